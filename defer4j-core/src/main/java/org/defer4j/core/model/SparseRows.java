package org.defer4j.core.model;

import java.util.Arrays;
import org.defer4j.core.Checks;

/**
 * A feature block stored by its non-zero entries (compressed sparse rows): for row r, the entries
 * {@code k} in [start[r], start[r+1]) hold the column and the value of its non-zeros in increasing
 * column order. Hashed TF-IDF text features are more than 98 % zeros; a {@link Scorer} reading this
 * storage ({@link Scorer#forwardBatch(SparseRows, int[], int, int, double[], Workspace)}) does the
 * arithmetic of its first layer on the non-zeros only, and the dense scorers of defer4j give the
 * same scores and gradients as from the dense block, up to the order of floating-point additions.
 *
 * <p>Immutable; built once from a row-major dense block ({@link #of}, {@link #ofIfSparse}).
 */
public final class SparseRows {
  /** Rows sampled by {@link #ofIfSparse} before it counts the whole block. */
  private static final int SAMPLE_ROWS = 256;

  private final int rows;
  private final int columns;
  final int[] start;
  final int[] column;
  final double[] value;

  private SparseRows(int rows, int columns, int[] start, int[] column, double[] value) {
    this.rows = rows;
    this.columns = columns;
    this.start = start;
    this.column = column;
    this.value = value;
  }

  /**
   * The non-zeros of a row-major block of {@code block.length / columns} rows.
   *
   * @throws IllegalArgumentException if {@code columns < 1} or the block is not a whole number of
   *     rows
   */
  public static SparseRows of(double[] block, int columns) {
    return build(block, columns, rowCount(block, columns), Long.MAX_VALUE);
  }

  /**
   * {@link #of} when at most {@code maxDensity} of the block's entries are non-zero, else null. The
   * first rows are sampled first, so that a dense block is rejected without a full scan; a sparse
   * one is read once.
   *
   * @throws IllegalArgumentException as {@link #of}, or if {@code maxDensity} is not in [0, 1]
   */
  public static SparseRows ofIfSparse(double[] block, int columns, double maxDensity) {
    int n = rowCount(block, columns);
    if (!(maxDensity >= 0 && maxDensity <= 1)) {
      throw new IllegalArgumentException("maxDensity must be in [0, 1], got " + maxDensity);
    }
    int sample = Math.min(n, SAMPLE_ROWS) * columns;
    long sampled = 0;
    for (int i = 0; i < sample; i++) {
      if (block[i] != 0) {
        sampled++;
      }
    }
    if (sampled > maxDensity * sample) {
      return null;
    }
    return build(block, columns, n, (long) Math.floor(maxDensity * block.length));
  }

  private static int rowCount(double[] block, int columns) {
    Checks.checkPositive("columns", columns);
    if (block.length % columns != 0) {
      throw new IllegalArgumentException(
          "a block of " + block.length + " entries is not a whole number of rows of " + columns);
    }
    return block.length / columns;
  }

  /** The compressed rows in one pass, or null as soon as there are more than maxNonZeros. */
  private static SparseRows build(double[] block, int columns, int n, long maxNonZeros) {
    int[] start = new int[n + 1];
    int capacity = Math.max(16, block.length / 64);
    int[] column = new int[capacity];
    double[] value = new double[capacity];
    int k = 0;
    for (int r = 0; r < n; r++) {
      int base = r * columns;
      if (column.length - k < columns) {
        int grown =
            (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * column.length, k + columns));
        column = Arrays.copyOf(column, grown);
        value = Arrays.copyOf(value, grown);
      }
      for (int j = 0; j < columns; j++) {
        double v = block[base + j];
        if (v != 0) {
          column[k] = j;
          value[k] = v;
          k++;
        }
      }
      if (k > maxNonZeros) {
        return null;
      }
      start[r + 1] = k;
    }
    return new SparseRows(n, columns, start, Arrays.copyOf(column, k), Arrays.copyOf(value, k));
  }

  /** The number of rows. */
  public int rows() {
    return rows;
  }

  /** The number of columns (features per row). */
  public int columns() {
    return columns;
  }

  /** The number of stored (non-zero) entries. */
  public int nonZeros() {
    return start[rows];
  }

  /** The non-zeros of row r. */
  public int nonZeros(int r) {
    Checks.checkIndex("row", r, rows);
    return start[r + 1] - start[r];
  }

  /** The fraction of entries that are non-zero. */
  public double density() {
    return rows == 0 ? 0 : (double) nonZeros() / ((double) rows * columns);
  }

  /** Entry (r, j), zero where none is stored. */
  public double get(int r, int j) {
    Checks.checkIndex("row", r, rows);
    Checks.checkIndex("column", j, columns);
    int k = Arrays.binarySearch(column, start[r], start[r + 1], j);
    return k >= 0 ? value[k] : 0;
  }

  /**
   * The rows {@code rows[from .. from + count)} as a dense row-major block of {@code count ×
   * columns()} entries.
   *
   * @throws IndexOutOfBoundsException on a row outside the block
   */
  public double[] dense(int[] rows, int from, int count) {
    double[] out = new double[Math.multiplyExact(count, columns)];
    for (int b = 0; b < count; b++) {
      int r = rows[from + b];
      Checks.checkIndex("row", r, this.rows);
      for (int k = start[r]; k < start[r + 1]; k++) {
        out[b * columns + column[k]] = value[k];
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "SparseRows[" + rows + " × " + columns + ", " + nonZeros() + " non-zeros]";
  }
}
