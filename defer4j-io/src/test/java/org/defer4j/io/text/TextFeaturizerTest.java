package org.defer4j.io.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TextFeaturizerTest {
  private static final double TOL = 1e-12;

  private static final TextOptions WORDS_ONLY = TextOptions.defaults().withMaxWordNgram(1);

  // ---- tokenisation -------------------------------------------------------------------------

  /**
   * Expected terms follow Unicode UAX #29 word boundaries as implemented by Lucene's
   * StandardTokenizer: '@', ':', '&', ';' and '!' split words, an apostrophe between letters
   * (MidNumLet) does not; then lower-casing; then each word is followed by the bigram starting at
   * it.
   */
  @Test
  void wordsAndBigramsOfATweet() {
    TextFeaturizer f = TextFeaturizer.withDefaults();
    assertThat(f.terms("!!! RT @mayasolovely: You shouldn't complain &amp; cry"))
        .containsExactly(
            "rt",
            "rt mayasolovely",
            "mayasolovely",
            "mayasolovely you",
            "you",
            "you shouldn't",
            "shouldn't",
            "shouldn't complain",
            "complain",
            "complain amp",
            "amp",
            "amp cry",
            "cry");
  }

  /** UAX #29: '.' between digits or letters (MidNumLet) keeps the token, '-' and '/' split. */
  @Test
  void numbersHyphensAndUrls() {
    TextFeaturizer f = new TextFeaturizer(WORDS_ONLY);
    assertThat(f.terms("E-mail at 3.14, https://t.co/AbC #Tag"))
        .containsExactly("e", "mail", "at", "3.14", "https", "t.co", "abc", "tag");
  }

  /** Lower-casing is Unicode-aware; an emoji is a token of its own (Lucene's <EMOJI> type). */
  @Test
  void unicodeWordsAndEmoji() {
    TextFeaturizer f = new TextFeaturizer(WORDS_ONLY);
    assertThat(f.terms("Ça VA \uD83D\uDE00 Déjà-vu"))
        .containsExactly("ça", "va", "\uD83D\uDE00", "déjà", "vu");
  }

  /**
   * "the", "and", "are", "in" are in Lucene's English stop set; the bigrams then join the words
   * left, as scikit-learn's stop_words + ngram_range does (no "_" filler tokens).
   */
  @Test
  void stopWordsAreDroppedBeforeBigrams() {
    TextFeaturizer f = new TextFeaturizer(TextOptions.defaults().withEnglishStopWords(true));
    assertThat(f.terms("The cat and the dog are in the house"))
        .containsExactly("cat", "cat dog", "dog", "dog house", "house");
  }

  /** Character n-grams of "<hi>" and "<ok>" of sizes 2 and 3, keyed with a leading space. */
  @Test
  void characterNgramsFollowEachWord() {
    TextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withMaxWordNgram(1).withCharNgrams(2, 3));
    assertThat(f.terms("Hi ok"))
        .containsExactly(
            "hi", " <h", " hi", " i>", " <hi", " hi>", "ok", " <o", " ok", " k>", " <ok", " ok>");
  }

  /** A character n-gram never splits a surrogate pair: "<😀>" has 3 code points, 2 bigrams. */
  @Test
  void characterNgramsCountCodePoints() {
    TextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withMaxWordNgram(1).withCharNgrams(2, 2));
    assertThat(f.terms("\uD83D\uDE00"))
        .containsExactly("\uD83D\uDE00", " <\uD83D\uDE00", " \uD83D\uDE00>");
  }

  @Test
  void trigramsWhenAsked() {
    TextFeaturizer f = new TextFeaturizer(TextOptions.defaults().withMaxWordNgram(3));
    assertThat(f.terms("a b c")).containsExactly("a", "a b", "a b c", "b", "b c", "c");
  }

  @Test
  void emptyAndNullTextsHaveNoTerms() {
    TextFeaturizer f = TextFeaturizer.withDefaults();
    assertThat(f.terms("")).isEmpty();
    assertThat(f.terms(null)).isEmpty();
    assertThat(f.terms("!!! ... ???")).isEmpty();
  }

  // ---- hashing ------------------------------------------------------------------------------

  /**
   * Buckets and signs from the documented rule b = |h| mod d, σ = sign(h), with h the golden
   * MurmurHash3 values of MurmurHash3Test (scikit-learn 1.2.1): "foo" → −156908512, "hello" →
   * 613153351.
   */
  @Test
  void bucketAndSignFollowTheDocumentedRule() {
    TextFeaturizer f = TextFeaturizer.withDefaults();
    assertThat(f.bucket("foo")).isEqualTo(156908512 % 1024).isEqualTo(992);
    assertThat(f.sign("foo")).isEqualTo(-1);
    assertThat(f.bucket("hello")).isEqualTo(613153351 % 1024).isEqualTo(583);
    assertThat(f.sign("hello")).isEqualTo(1);
    TextFeaturizer unsigned = new TextFeaturizer(TextOptions.defaults().withSignedHashing(false));
    assertThat(unsigned.sign("foo")).isEqualTo(1);
    // |−2^31| is taken as 2^31, not the overflowed int.
    assertThat(TextFeaturizer.bucketOf(Integer.MIN_VALUE, 1000))
        .isEqualTo((int) (2147483648L % 1000));
  }

  // ---- IDF and weights ----------------------------------------------------------------------

  /**
   * Hand computation, corpus {"a b", "a c", "a"}, words only: n = 3, df(a) = 3, df(b) = df(c) = 1,
   * so idf(a) = ln(4/4) + 1 = 1, idf(b) = idf(c) = ln(4/2) + 1 = 1 + ln 2 and an empty bucket has
   * ln(4/1) + 1 = 1 + 2 ln 2. Then "a b b" has tf(a) = 1, tf(b) = 1 + ln 2 (sublinear), raw vector
   * σa·1 at b(a) and σb·(1 + ln 2)² at b(b), divided by sqrt(1 + (1 + ln 2)⁴).
   */
  @Test
  void idfAndWeightsMatchAHandComputation() {
    TextFeaturizer f = new TextFeaturizer(WORDS_ONLY);
    int ba = f.bucket("a");
    int bb = f.bucket("b");
    int bc = f.bucket("c");
    assertThat(new HashSet<>(List.of(ba, bb, bc))).as("no collision in this example").hasSize(3);

    FittedTextFeaturizer fitted = f.fit(new String[] {"a b", "a c", "a"});
    double ln2 = Math.log(2);
    assertThat(fitted.trainingTexts()).isEqualTo(3);
    assertThat(fitted.idf(ba)).isCloseTo(1.0, within(TOL));
    assertThat(fitted.idf(bb)).isCloseTo(1 + ln2, within(TOL));
    assertThat(fitted.idf(bc)).isCloseTo(1 + ln2, within(TOL));
    int empty = firstBucketNotIn(Set.of(ba, bb, bc));
    assertThat(fitted.idf(empty)).isCloseTo(1 + 2 * ln2, within(TOL));

    double[] x = fitted.transform("a b b");
    double wb = (1 + ln2) * (1 + ln2);
    double norm = Math.sqrt(1 + wb * wb);
    assertThat(x[ba]).isCloseTo(f.sign("a") / norm, within(TOL));
    assertThat(x[bb]).isCloseTo(f.sign("b") * wb / norm, within(TOL));
    assertThat(nonZeros(x)).isEqualTo(2);

    // Raw term frequency instead: tf(b) = 2, so σb·2(1 + ln 2).
    double[] raw =
        new TextFeaturizer(WORDS_ONLY.withSublinearTf(false))
            .fit(new String[] {"a b", "a c", "a"})
            .transform("a b b");
    double rb = 2 * (1 + ln2);
    assertThat(raw[bb]).isCloseTo(f.sign("b") * rb / Math.sqrt(1 + rb * rb), within(TOL));
  }

  private static int firstBucketNotIn(Set<Integer> used) {
    int b = 0;
    while (used.contains(b)) {
      b++;
    }
    return b;
  }

  /**
   * Golden values from scikit-learn 1.2.1: HashingVectorizer(n_features=d, analyzer=<the same words
   * and bigrams>, alternate_sign=True, norm=None) then TfidfTransformer(smooth_idf=True,
   * sublinear_tf=False, norm="l2") fitted on CORPUS. With d = 16 many terms collide and cancel
   * partly, which checks the signed sums and the bucket-level document frequencies.
   */
  private static final String[] CORPUS = {
    "the cat sat", "the cat ate the fish", "a dog sat on the cat", "fish fish fish"
  };

  @Test
  void matchesScikitLearnWithSixteenBuckets() {
    FittedTextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withDimension(16).withSublinearTf(false))
            .fit(CORPUS);
    assertThat(f.idf(0)).isCloseTo(1.916290731874155, within(TOL));
    assertThat(f.idf(1)).isCloseTo(1.5108256237659907, within(TOL));
    assertThat(f.idf(2)).isCloseTo(1.2231435513142097, within(TOL));
    assertThat(f.idf(6))
        .as("bucket no training text touches")
        .isCloseTo(2.6094379124341005, within(TOL));
    assertSparse(
        f.transform("the cat ate the dog"),
        Map.of(
            1, 0.31388055659033837,
            2, 0.25411336201685447,
            3, 0.39811768614981463,
            5, -0.39811768614981463,
            7, 0.25411336201685447,
            12, -0.31388055659033837,
            14, -0.5082267240337089,
            15, 0.31388055659033837));
    assertSparse(
        f.transform("unseen words only"),
        Map.of(
            1, 0.32288564918600576,
            3, 0.40953950426654184,
            10, -0.5576752479658509,
            12, -0.6457712983720115));
    assertSparse(
        f.transform("fish cat"),
        Map.of(4, 0.6136667440107333, 7, 0.4968161174826459, 15, 0.6136667440107333));
  }

  @Test
  void matchesScikitLearnWith1024Buckets() {
    FittedTextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withSublinearTf(false)).fit(CORPUS);
    assertThat(f.idf(158)).isCloseTo(1.2231435513142097, within(TOL));
    assertThat(f.idf(143)).isCloseTo(1.5108256237659907, within(TOL));
    assertThat(f.idf(12)).isCloseTo(1.916290731874155, within(TOL));
    assertSparse(
        f.transform("the cat ate the dog"),
        Map.of(
            12, -0.34713174535693964,
            158, -0.4431393929192895,
            322, 0.22156969645964475,
            369, 0.34713174535693964,
            435, 0.34713174535693964,
            549, -0.34713174535693964,
            719, 0.47269379425423447,
            807, 0.22156969645964475));
    assertSparse(
        f.transform("fish cat"),
        Map.of(143, 0.46431279131163805, 324, 0.8019425814718331, 807, 0.3759012208635236));
  }

  private static void assertSparse(double[] x, Map<Integer, Double> expected) {
    for (int b = 0; b < x.length; b++) {
      double e = expected.getOrDefault(b, 0.0);
      assertThat(x[b]).as("bucket %d", b).isCloseTo(e, within(TOL));
    }
  }

  // ---- properties ---------------------------------------------------------------------------

  @Test
  void nonEmptyRowsHaveUnitNormAndEmptyRowsAreZero() {
    TextFeaturizer unfitted = TextFeaturizer.withDefaults();
    FittedTextFeaturizer f = unfitted.fit(randomTexts(200, 1L));
    String[] texts = randomTexts(300, 2L);
    texts[0] = "";
    texts[1] = null;
    texts[2] = " ?!. ";
    double[] block = f.transform(texts);
    int d = f.dimension();
    for (int i = 0; i < texts.length; i++) {
      double sum = 0;
      for (int b = 0; b < d; b++) {
        double v = block[i * d + b];
        assertThat(Double.isFinite(v)).as("row %d bucket %d", i, b).isTrue();
        sum += v * v;
      }
      if (i < 3 || unfitted.terms(texts[i]).isEmpty()) {
        assertThat(sum).as("row %d has no terms", i).isZero();
      } else {
        assertThat(Math.sqrt(sum)).as("row %d", i).isCloseTo(1.0, within(1e-12));
      }
    }
  }

  @Test
  void everyBucketGetsTheSmoothedIdfOfItsDocumentFrequency() {
    String[] train = randomTexts(100, 3L);
    TextFeaturizer tf = new TextFeaturizer(TextOptions.defaults().withDimension(64));
    FittedTextFeaturizer f = tf.fit(train);
    int[] df = new int[64];
    for (String t : train) {
      Set<Integer> buckets = new HashSet<>();
      for (String term : tf.terms(t)) {
        buckets.add(tf.bucket(term));
      }
      buckets.forEach(b -> df[b]++);
    }
    for (int b = 0; b < 64; b++) {
      assertThat(f.idf(b))
          .as("bucket %d", b)
          .isCloseTo(Math.log(101.0 / (1 + df[b])) + 1, within(TOL));
    }
  }

  @Test
  void deterministicAcrossFitsBatchesAndThreads() throws Exception {
    String[] train = randomTexts(300, 4L);
    String[] test = randomTexts(200, 5L);
    String[] trainCopy = train.clone();
    TextOptions options = TextOptions.defaults().withCharNgrams(2, 4).withEnglishStopWords(true);
    FittedTextFeaturizer a = new TextFeaturizer(options).fit(train);
    FittedTextFeaturizer b = new TextFeaturizer(options).fit(train);
    assertThat(train).as("input not modified").isEqualTo(trainCopy);
    assertThat(Arrays.equals(a.idf(), b.idf())).isTrue();
    double[] block = a.transform(test);
    assertThat(Arrays.equals(block, b.transform(test))).isTrue();
    int d = a.dimension();
    double[] row = new double[d];
    Arrays.fill(row, 7.0); // stale content must be overwritten
    for (int i = 0; i < test.length; i++) {
      a.transform(test[i], row);
      assertThat(Arrays.equals(row, Arrays.copyOfRange(block, i * d, (i + 1) * d)))
          .as("row %d", i)
          .isTrue();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> a.transform(test)));
      }
      for (Future<double[]> fut : futures) {
        assertThat(Arrays.equals(fut.get(), block)).isTrue();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void stateRoundTripGivesIdenticalBits() throws Exception {
    String[] train = randomTexts(200, 6L);
    String[] test = randomTexts(100, 7L);
    TextOptions options =
        TextOptions.defaults().withDimension(300).withCharNgrams(3, 3).withHashSeed(17);
    FittedTextFeaturizer f = new TextFeaturizer(options).fit(train);
    TextFeaturizerState state = f.state();
    assertThat(state.formatVersion()).isEqualTo(TextFeaturizerState.FORMAT_VERSION);
    assertThat(state.options()).isEqualTo(options);
    assertThat(state.trainingTexts()).isEqualTo(200);

    FittedTextFeaturizer restored = FittedTextFeaturizer.fromState(state);
    assertThat(restored.state()).isEqualTo(state);
    assertThat(Arrays.equals(restored.transform(test), f.transform(test))).isTrue();

    // Through JSON, as an artifact would store it: doubles are written in shortest round-trip form.
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(state);
    TextFeaturizerState read = json.readValue(text, TextFeaturizerState.class);
    assertThat(read).isEqualTo(state);
    assertThat(
            Arrays.equals(FittedTextFeaturizer.fromState(read).transform(test), f.transform(test)))
        .isTrue();

    // The state owns its IDF vector.
    double[] idf = state.idf();
    idf[0] = 99;
    assertThat(state.idf()[0]).isNotEqualTo(99);
  }

  @Test
  void unseenBucketsGetTheLargestIdf() {
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(new String[] {"x y", "y z"});
    double max = Arrays.stream(f.idf()).max().orElseThrow();
    // ln((1 + 2) / 1) + 1 for a bucket of df 0.
    assertThat(max).isCloseTo(Math.log(3) + 1, within(TOL));
  }

  @Test
  void featureNamesArePaddedToOneWidth() {
    FittedTextFeaturizer small = TextFeaturizer.withDefaults().fit(new String[] {"a"});
    assertThat(small.featureNames()).hasSize(1024).startsWith("text_0000", "text_0001");
    assertThat(small.featureNames().get(1023)).isEqualTo("text_1023");
    FittedTextFeaturizer big =
        new TextFeaturizer(TextOptions.defaults().withDimension(20000)).fit(new String[] {"a"});
    assertThat(big.featureNames("tweet")).startsWith("tweet_00000").endsWith("tweet_19999");
  }

  @Test
  void rejectsBadOptionsAndInputs() {
    assertThatThrownBy(() -> TextOptions.defaults().withDimension(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> TextOptions.defaults().withMaxWordNgram(6))
        .hasMessageContaining("maxWordNgram");
    assertThatThrownBy(() -> TextOptions.defaults().withCharNgrams(3, 2))
        .hasMessageContaining("3..2");
    assertThatThrownBy(() -> TextFeaturizer.withDefaults().fit(new String[0]))
        .hasMessageContaining("at least one training text");
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(new String[] {"a"});
    assertThatThrownBy(() -> f.transform("a", new double[3])).hasMessageContaining("expected 1024");
    TextFeaturizerState s = f.state();
    assertThatThrownBy(() -> new TextFeaturizerState(2, s.options(), 1, s.idf()))
        .hasMessageContaining("format version 2");
    assertThatThrownBy(() -> new TextFeaturizerState(1, s.options(), 1, new double[5]))
        .hasMessageContaining("expected dimension 1024");
    double[] nan = s.idf();
    nan[3] = Double.NaN;
    assertThatThrownBy(() -> new TextFeaturizerState(1, s.options(), 1, nan))
        .hasMessageContaining("idf[3]");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static final String[] WORDS = {
    "the",
    "cat",
    "dog",
    "sat",
    "ate",
    "fish",
    "and",
    "is",
    "a",
    "very",
    "happy",
    "sad",
    "bird",
    "Hate",
    "LOVE",
    "déjà",
    "vu",
    "don't",
    "#tag",
    "@user",
    "http://x.co/1",
    "!!",
    "3.5",
    "\uD83D\uDE00"
  };

  /** Seeded texts of 0..14 words from a small vocabulary with punctuation and Unicode. */
  static String[] randomTexts(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      int len = random.nextInt(0, 15);
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < len; k++) {
        sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(5) == 0 ? ", " : " ");
      }
      out[i] = sb.toString();
    }
    return out;
  }

  private static int nonZeros(double[] x) {
    int c = 0;
    for (double v : x) {
      if (v != 0) {
        c++;
      }
    }
    return c;
  }
}
