package org.defer4j.io.text;

/**
 * How a {@link TextFeaturizer} turns a text into terms and terms into a hashed TF-IDF vector. A
 * value object: every option that changes a feature value is here, so that saving it with the
 * fitted IDF vector ({@link TextFeaturizerState}) reproduces the features bit for bit.
 *
 * <p>Terms are, in order: the word n-grams of sizes 1..{@code maxWordNgram} (Lucene {@code
 * StandardTokenizer} → {@code LowerCaseFilter} → optional English stop words → {@code
 * ShingleFilter}), then, when {@code minCharNgram > 0}, the character n-grams of sizes {@code
 * minCharNgram..maxCharNgram} of every kept word padded as {@code <word>}. See {@link
 * TextFeaturizer} for the exact definition of each term's key and hash.
 *
 * @param dimension number of hash buckets d, the length of every feature vector (≥ 1)
 * @param englishStopWords whether to drop Lucene's 33 English stop words ({@code
 *     EnglishAnalyzer.ENGLISH_STOP_WORDS_SET}) before forming n-grams
 * @param maxWordNgram the largest word n-gram (1 = words only, 2 = words and bigrams, at most 5)
 * @param minCharNgram the smallest character n-gram, or 0 for none
 * @param maxCharNgram the largest character n-gram, or 0 for none (at most 10)
 * @param sublinearTf whether a term seen c times in a text weighs {@code 1 + ln c} instead of c
 * @param signedHashing whether each term carries the sign of its hash (+1 or −1), so that colliding
 *     terms cancel on average instead of piling up (Weinberger et al. 2009, "Feature hashing for
 *     large scale multitask learning")
 * @param hashSeed the MurmurHash3 seed (0 reproduces scikit-learn's {@code HashingVectorizer})
 */
public record TextOptions(
    int dimension,
    boolean englishStopWords,
    int maxWordNgram,
    int minCharNgram,
    int maxCharNgram,
    boolean sublinearTf,
    boolean signedHashing,
    int hashSeed) {

  /** The default number of buckets. */
  public static final int DEFAULT_DIMENSION = 1024;

  /** The largest accepted dimension, so that a dense n × d block stays addressable. */
  public static final int MAX_DIMENSION = 1 << 24;

  /** Validates the options. */
  public TextOptions {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "text dimension must be in [1, " + MAX_DIMENSION + "], got " + dimension);
    }
    if (maxWordNgram < 1 || maxWordNgram > 5) {
      throw new IllegalArgumentException("maxWordNgram must be in [1, 5], got " + maxWordNgram);
    }
    boolean noChars = minCharNgram == 0 && maxCharNgram == 0;
    if (!noChars && (minCharNgram < 1 || maxCharNgram < minCharNgram || maxCharNgram > 10)) {
      throw new IllegalArgumentException(
          "character n-grams must be 0..0 (none) or 1 <= min <= max <= 10, got "
              + minCharNgram
              + ".."
              + maxCharNgram);
    }
  }

  /**
   * The defaults: 1024 buckets, no stop-word removal, words and word bigrams, no character n-grams,
   * sublinear tf, signed hashing, seed 0.
   */
  public static TextOptions defaults() {
    return new TextOptions(DEFAULT_DIMENSION, false, 2, 0, 0, true, true, 0);
  }

  /** Whether character n-grams are produced. */
  public boolean charNgrams() {
    return minCharNgram > 0;
  }

  /** These options with {@code dimension} buckets. */
  public TextOptions withDimension(int dimension) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }

  /** These options with English stop words dropped or kept. */
  public TextOptions withEnglishStopWords(boolean englishStopWords) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }

  /** These options with word n-grams up to {@code maxWordNgram}. */
  public TextOptions withMaxWordNgram(int maxWordNgram) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }

  /** These options with character n-grams of sizes {@code min..max} (0, 0 for none). */
  public TextOptions withCharNgrams(int min, int max) {
    return new TextOptions(
        dimension, englishStopWords, maxWordNgram, min, max, sublinearTf, signedHashing, hashSeed);
  }

  /** These options with sublinear tf switched on or off. */
  public TextOptions withSublinearTf(boolean sublinearTf) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }

  /** These options with signed hashing switched on or off. */
  public TextOptions withSignedHashing(boolean signedHashing) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }

  /** These options with MurmurHash3 seed {@code hashSeed}. */
  public TextOptions withHashSeed(int hashSeed) {
    return new TextOptions(
        dimension,
        englishStopWords,
        maxWordNgram,
        minCharNgram,
        maxCharNgram,
        sublinearTf,
        signedHashing,
        hashSeed);
  }
}
