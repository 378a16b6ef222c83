package org.defer4j.io.text;

import java.util.Arrays;

/**
 * Scratch space that collects the MurmurHash3 values of one text's terms. Not thread-safe: each
 * caller owns one.
 */
final class TermHashes implements TermWalker.Visitor {
  private final int seed;
  private byte[] bytes = new byte[96];
  private int[] hashes = new int[64];
  private int count;

  TermHashes(int seed) {
    this.seed = seed;
  }

  /** Forgets the terms of the previous text. */
  void clear() {
    count = 0;
  }

  /** Number of terms collected (with repeats). */
  int count() {
    return count;
  }

  /** Sorts the collected hashes so that equal terms are adjacent; returns the array. */
  int[] sorted() {
    Arrays.sort(hashes, 0, count);
    return hashes;
  }

  @Override
  public void term(char[] chars, int length) {
    if (bytes.length < 3 * length) {
      bytes = new byte[Math.max(3 * length, 2 * bytes.length)];
    }
    int n = encodeUtf8(chars, length, bytes);
    if (count == hashes.length) {
      hashes = Arrays.copyOf(hashes, 2 * count);
    }
    hashes[count++] = MurmurHash3.hash32(bytes, 0, n, seed);
  }

  /**
   * UTF-8 of {@code chars[0, length)} into {@code out} (room for 3 bytes a char), with an unpaired
   * surrogate written as {@code '?'} exactly as {@link String#getBytes} does, so that a term's hash
   * equals {@link MurmurHash3#hash32(String, int)} of its key.
   */
  static int encodeUtf8(char[] chars, int length, byte[] out) {
    int p = 0;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      if (c < 0x80) {
        out[p++] = (byte) c;
      } else if (c < 0x800) {
        out[p++] = (byte) (0xc0 | c >> 6);
        out[p++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(chars[i + 1])) {
        int cp = Character.toCodePoint(c, chars[++i]);
        out[p++] = (byte) (0xf0 | cp >> 18);
        out[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[p++] = (byte) (0x80 | cp & 0x3f);
      } else if (Character.isSurrogate(c)) {
        out[p++] = '?';
      } else {
        out[p++] = (byte) (0xe0 | c >> 12);
        out[p++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[p++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return p;
  }
}
