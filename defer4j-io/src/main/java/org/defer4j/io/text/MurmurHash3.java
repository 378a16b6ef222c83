package org.defer4j.io.text;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, 32-bit x86 variant ({@code MurmurHash3_x86_32} of Austin Appleby's public-domain
 * SMHasher), the hash that text features use to put a term into a bucket. Bytes are read as
 * little-endian 4-byte blocks, as the reference does; the result is the reference's unsigned 32-bit
 * value reinterpreted as a Java {@code int}, which is also what scikit-learn's {@code
 * murmurhash3_32(key, seed, positive=False)} returns for the same UTF-8 bytes.
 *
 * <p>The algorithm is frozen: changing it would change every saved text featurizer's features.
 */
public final class MurmurHash3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private MurmurHash3() {}

  /**
   * The hash of {@code length} bytes of {@code data} from {@code offset}.
   *
   * @throws IndexOutOfBoundsException when the range is outside {@code data}
   */
  public static int hash32(byte[] data, int offset, int length, int seed) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IndexOutOfBoundsException(
          "bytes ["
              + offset
              + ", "
              + ((long) offset + length)
              + ") are outside an array of "
              + data.length);
    }
    int h1 = seed;
    int end = offset + (length & ~3);
    for (int i = offset; i < end; i += 4) {
      int k1 =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      h1 ^= mixK1(k1);
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int tail = length & 3;
    if (tail != 0) {
      int k1 = 0;
      if (tail == 3) {
        k1 ^= (data[end + 2] & 0xff) << 16;
      }
      if (tail >= 2) {
        k1 ^= (data[end + 1] & 0xff) << 8;
      }
      k1 ^= data[end] & 0xff;
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    return fmix32(h1);
  }

  /** The hash of the UTF-8 bytes of {@code text} (unpaired surrogates become {@code '?'}). */
  public static int hash32(String text, int seed) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return hash32(bytes, 0, bytes.length, seed);
  }

  private static int mixK1(int k1) {
    k1 *= C1;
    k1 = Integer.rotateLeft(k1, 15);
    return k1 * C2;
  }

  private static int fmix32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
