package org.defer4j.core.metric;

/**
 * Orders rows by a double key without boxing: a stable least-significant-digit radix sort of the
 * keys' order-preserving 64-bit images (11-bit digits, passes whose digit is the same for every key
 * skipped), O(n) time and two int and two long buffers of n.
 *
 * <p>Stable: rows with equal keys keep their given order, as {@code Arrays.sort} on boxed indices
 * would, so every curve built on it is deterministic. {@code −0.0} and {@code 0.0} are one key.
 * Keys must not be NaN (callers check); ±∞ sort to the ends.
 */
final class RowOrder {
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int PASSES = (64 + BITS - 1) / BITS;

  private RowOrder() {}

  /**
   * The rows sorted by ascending {@code keys[row]}.
   *
   * @param keys the key of every row of the table (indexed by row)
   * @param rows the rows to sort (not modified); only the first {@code count} are read
   * @param count how many rows
   * @return a new array of the {@code count} rows in ascending key order, ties in input order
   */
  static int[] ascending(double[] keys, int[] rows, int count) {
    long[] k = new long[count];
    int[] idx = new int[count];
    for (int t = 0; t < count; t++) {
      int r = rows[t];
      idx[t] = r;
      k[t] = sortable(keys[r]);
    }
    return sort(k, idx);
  }

  /** All rows 0..n−1 sorted by ascending key (ties by row number). */
  static int[] ascending(double[] keys) {
    int n = keys.length;
    long[] k = new long[n];
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      k[i] = sortable(keys[i]);
    }
    return sort(k, idx);
  }

  /** The key's image whose unsigned order is the key's numeric order. */
  static long sortable(double key) {
    // Adding 0.0 turns −0.0 into 0.0 so that the two zeros are one key, as == says.
    long b = Double.doubleToRawLongBits(key + 0.0);
    return b ^ ((b >> 63) | Long.MIN_VALUE);
  }

  private static int[] sort(long[] k, int[] idx) {
    int n = k.length;
    int[][] counts = new int[PASSES][RADIX];
    for (int t = 0; t < n; t++) {
      long v = k[t];
      for (int p = 0; p < PASSES; p++) {
        counts[p][(int) (v >>> (p * BITS)) & (RADIX - 1)]++;
      }
    }
    long[] k2 = new long[n];
    int[] idx2 = new int[n];
    for (int p = 0; p < PASSES; p++) {
      int[] c = counts[p];
      boolean trivial = false;
      for (int d = 0; d < RADIX; d++) {
        if (c[d] == n) {
          trivial = true;
          break;
        }
        if (c[d] != 0) {
          break;
        }
      }
      if (trivial || n == 0) {
        continue;
      }
      int sum = 0;
      for (int d = 0; d < RADIX; d++) {
        int x = c[d];
        c[d] = sum;
        sum += x;
      }
      int shift = p * BITS;
      for (int t = 0; t < n; t++) {
        long v = k[t];
        int pos = c[(int) (v >>> shift) & (RADIX - 1)]++;
        k2[pos] = v;
        idx2[pos] = idx[t];
      }
      long[] tk = k;
      k = k2;
      k2 = tk;
      int[] ti = idx;
      idx = idx2;
      idx2 = ti;
    }
    return idx;
  }
}
