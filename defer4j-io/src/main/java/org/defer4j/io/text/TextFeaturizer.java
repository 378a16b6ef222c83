package org.defer4j.io.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hashed TF-IDF features of raw text (the "hashing trick" of Weinberger et al. 2009 followed by the
 * TF-IDF weighting of scikit-learn's {@code TfidfTransformer}). An unfitted featurizer: {@link
 * #fit} learns the IDF weights from training texts and returns an immutable {@link
 * FittedTextFeaturizer}.
 *
 * <p><b>Terms.</b> A text is tokenised by Lucene's {@code StandardTokenizer} (Unicode UAX #29 word
 * boundaries; punctuation, {@code @} and {@code #} split words) and lower-cased ({@code
 * LowerCaseFilter}); optionally Lucene's English stop words are dropped, the words left being
 * treated as adjacent. Its terms are, in text order, each word followed by the word n-grams that
 * start at it (sizes 2..{@code maxWordNgram}, words joined by one space, from Lucene's {@code
 * ShingleFilter}), and, when character n-grams are on, the n-grams (sizes {@code
 * minCharNgram..maxCharNgram}, in code points) of {@code "<" + word + ">"}, each keyed as a space
 * followed by the gram. {@link #terms(String)} lists them.
 *
 * <p><b>Hashing.</b> A term with key s has hash h(s) = MurmurHash3_x86_32(UTF-8(s), seed) as a
 * signed 32-bit integer ({@link MurmurHash3}); its bucket is b(s) = |h(s)| mod d (with |−2³¹| =
 * 2³¹) and its sign σ(s) = +1 when h(s) ≥ 0, −1 otherwise (always +1 without signed hashing). Terms
 * are identified by their hash, so two distinct keys with one 32-bit hash count as one term. This
 * matches scikit-learn's {@code HashingVectorizer(alternate_sign=True)} except for h = −2³¹.
 *
 * <p><b>Weights.</b> With c_s the count of term s in the text, tf_s = 1 + ln c_s (sublinear) or
 * c_s, the raw vector is v_b = idf_b · Σ_{s : b(s)=b} σ(s) · tf_s and the feature vector is v /
 * ‖v‖₂ (left at zero when v = 0, e.g. for an empty text). The IDF of bucket b is the smoothed idf_b
 * = ln((1 + n) / (1 + df_b)) + 1 of scikit-learn, where n is the number of training texts and df_b
 * the number of training texts with at least one term in bucket b. Logarithms use {@link
 * StrictMath} so that a featurizer restored on another JVM gives the same bits.
 */
public final class TextFeaturizer {
  private final TextOptions options;
  private final TermWalker walker;

  /** A featurizer with the given options. */
  public TextFeaturizer(TextOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("text options must be given");
    }
    this.options = options;
    this.walker = new TermWalker(options);
  }

  /** A featurizer with {@link TextOptions#defaults()}. */
  public static TextFeaturizer withDefaults() {
    return new TextFeaturizer(TextOptions.defaults());
  }

  /** The options. */
  public TextOptions options() {
    return options;
  }

  /** The keys of the terms of {@code text}, in order and with repeats (null is empty). */
  public List<String> terms(String text) {
    List<String> out = new ArrayList<>();
    walker.walk(text, (chars, length) -> out.add(new String(chars, 0, length)));
    return out;
  }

  /** The bucket b(s) in [0, d) of a term key s. */
  public int bucket(String termKey) {
    return bucketOf(MurmurHash3.hash32(termKey, options.hashSeed()), options.dimension());
  }

  /** The sign σ(s), +1 or −1, of a term key s. */
  public int sign(String termKey) {
    return signOf(MurmurHash3.hash32(termKey, options.hashSeed()), options.signedHashing());
  }

  /**
   * Learns the IDF of every bucket from {@code texts} (the training texts only; null entries are
   * empty texts). The array is not modified.
   *
   * @throws IllegalArgumentException when {@code texts} is null or empty
   */
  public FittedTextFeaturizer fit(String[] texts) {
    if (texts == null || texts.length == 0) {
      throw new IllegalArgumentException("fitting text features needs at least one training text");
    }
    int d = options.dimension();
    int[] df = new int[d];
    int[] lastDoc = new int[d];
    Arrays.fill(lastDoc, -1);
    TermHashes hashes = new TermHashes(options.hashSeed());
    for (int i = 0; i < texts.length; i++) {
      hashes.clear();
      walker.walk(texts[i], hashes);
      int[] h = hashes.sorted();
      for (int k = 0; k < hashes.count(); k++) {
        int b = bucketOf(h[k], d);
        if (lastDoc[b] != i) {
          lastDoc[b] = i;
          df[b]++;
        }
      }
    }
    double[] idf = new double[d];
    double n = texts.length;
    for (int b = 0; b < d; b++) {
      idf[b] = StrictMath.log((1.0 + n) / (1.0 + df[b])) + 1.0;
    }
    return new FittedTextFeaturizer(options, texts.length, idf, walker);
  }

  static int bucketOf(int hash, int dimension) {
    return (int) (Math.abs((long) hash) % dimension);
  }

  static int signOf(int hash, boolean signed) {
    return signed && hash < 0 ? -1 : 1;
  }
}
