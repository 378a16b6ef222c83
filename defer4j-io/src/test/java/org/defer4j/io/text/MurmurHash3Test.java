package org.defer4j.io.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.lucene.util.StringHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MurmurHash3Test {

  /**
   * Golden values printed by scikit-learn 1.2.1 (Debian python3-sklearn), {@code
   * sklearn.utils.murmurhash3_32(key, seed=seed)} on the UTF-8 of the key, which wraps the
   * reference C++ MurmurHash3_x86_32.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|0|0",
        "foo|0|-156908512",
        "hello|0|613153351",
        "abc|0|-1277324294",
        "the quick brown fox|0|519850996",
        "'Hello, world!'|1234|-84488781",
        "café|0|605818632",
        "\uD83D\uDE00|0|-1095487750",
        "abcd|42|-396302900",
        "hate speech|0|1339504977",
      })
  void matchesScikitLearnGoldenValues(String key, int seed, int expected) {
    assertThat(MurmurHash3.hash32(key, seed)).isEqualTo(expected);
  }

  /**
   * Cross-check against an independent implementation, Lucene's {@code
   * StringHelper.murmurhash3_x86_32}, on seeded random byte strings of every tail length.
   */
  @Test
  void agreesWithLuceneOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(20240917L);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] data = new byte[random.nextInt(0, 40)];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) random.nextInt(256);
      }
      int offset = data.length == 0 ? 0 : random.nextInt(0, data.length + 1);
      int length = data.length - offset;
      int seed = random.nextInt();
      assertThat(MurmurHash3.hash32(data, offset, length, seed))
          .as("trial %d", trial)
          .isEqualTo(StringHelper.murmurhash3_x86_32(data, offset, length, seed));
    }
  }

  /** The char-level UTF-8 encoder used for terms must give String.getBytes' bytes exactly. */
  @Test
  void termEncoderMatchesStringGetBytesIncludingLoneSurrogates() {
    SplittableRandom random = new SplittableRandom(7L);
    char[] alphabet = {'a', 'Z', '1', 'é', 'ß', '€', '中', '\uD83D', '\uDE00', '\uDBFF', '\uDC00'};
    byte[] out = new byte[3 * 32];
    for (int trial = 0; trial < 5000; trial++) {
      char[] chars = new char[random.nextInt(0, 32)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int n = TermHashes.encodeUtf8(chars, chars.length, out);
      byte[] expected = new String(chars).getBytes(StandardCharsets.UTF_8);
      byte[] actual = Arrays.copyOf(out, n);
      assertThat(actual).as("trial %d: %s", trial, new String(chars)).isEqualTo(expected);
    }
  }

  @Test
  void rejectsARangeOutsideTheArray() {
    assertThatThrownBy(() -> MurmurHash3.hash32(new byte[4], 2, 3, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("[2, 5)");
  }
}
