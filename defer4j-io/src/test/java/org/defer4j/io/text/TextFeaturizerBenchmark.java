package org.defer4j.io.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throughput of text features on all 24,783 hate-speech tweets at d = 1024 with the default
 * options: fit (IDF) + transform of every tweet, the two phases apart, and one routed tweet at a
 * time. A plain main, not a Surefire test. Run from the module directory after {@code mvn
 * test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:&lt;lucene jars&gt;:../defer4j-core/target/classes \
 *     -Ddefer4j.shared.data=../../shared/data org.defer4j.io.text.TextFeaturizerBenchmark [rounds]
 * </pre>
 */
public final class TextFeaturizerBenchmark {
  private TextFeaturizerBenchmark() {}

  /** Runs the benchmark; the optional argument is the number of measured rounds (default 5). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path file = HateSpeechTweets.file();
    if (file == null) {
      System.err.println(HateSpeechTweets.missingReason());
      System.exit(2);
    }
    String[] tweets = HateSpeechTweets.read(file).tweets;
    int n = tweets.length;
    TextFeaturizer featurizer = TextFeaturizer.withDefaults();
    double checksum = 0;
    for (int warm = 0; warm < 3; warm++) {
      checksum += Arrays.stream(featurizer.fit(tweets).transform(tweets), 0, 1024).sum();
    }
    double[] total = new double[rounds];
    double[] fit = new double[rounds];
    double[] transform = new double[rounds];
    double[] single = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      FittedTextFeaturizer f = featurizer.fit(tweets);
      long t1 = System.nanoTime();
      double[] block = f.transform(tweets);
      long t2 = System.nanoTime();
      double[] row = new double[f.dimension()];
      for (String t : tweets) {
        f.transform(t, row);
      }
      long t3 = System.nanoTime();
      checksum += Arrays.stream(block, 0, f.dimension()).sum() + Arrays.stream(row).sum();
      fit[r] = (t1 - t0) * 1e-9;
      transform[r] = (t2 - t1) * 1e-9;
      total[r] = (t2 - t0) * 1e-9;
      single[r] = (t3 - t2) * 1e-9;
    }
    System.out.printf(
        Locale.ROOT,
        "%d tweets, d=%d, %d rounds after 3 warm-ups, %d cores, %s%n",
        n,
        TextOptions.DEFAULT_DIMENSION,
        rounds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report("fit + transform", n, total);
    report("fit (IDF) only", n, fit);
    report("transform (n x d block)", n, transform);
    report("transform one at a time", n, single);
    System.out.println("(checksum " + checksum + ")");
  }

  private static void report(String what, int n, double[] seconds) {
    double[] s = seconds.clone();
    Arrays.sort(s);
    double median = s[s.length / 2];
    System.out.printf(
        Locale.ROOT,
        "  %-26s median %.3f s (min %.3f, max %.3f) = %,.0f tweets/s%n",
        what,
        median,
        s[0],
        s[s.length - 1],
        n / median);
  }
}
