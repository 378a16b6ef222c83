package org.defer4j.io.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Text features on real tweets: speed, and enough signal for a trivial classifier. */
class HateSpeechTextFeaturesTest {
  private static final int K = 3;

  @Test
  void nearestCentroidOnTweetFeaturesBeatsTheMajorityClass() throws Exception {
    Path file = HateSpeechTweets.file();
    assumeTrue(file != null, HateSpeechTweets::missingReason);
    HateSpeechTweets data = HateSpeechTweets.read(file);
    // DATASETS.md / Davidson et al. 2017: 24,783 labelled tweets.
    assertThat(data.tweets).hasSize(24_783);
    assertThat(data.classes).containsOnly(0, 1, 2);

    // A seeded sample of 5,000 tweets: 4,000 to fit (IDF and centroids), 1,000 held out.
    int[] order = permutation(data.tweets.length, new SplittableRandom(20250101L));
    int nTrain = 4000;
    int nTest = 1000;
    String[] train = new String[nTrain];
    int[] yTrain = new int[nTrain];
    String[] test = new String[nTest];
    int[] yTest = new int[nTest];
    for (int i = 0; i < nTrain; i++) {
      train[i] = data.tweets[order[i]];
      yTrain[i] = data.classes[order[i]];
    }
    for (int i = 0; i < nTest; i++) {
      test[i] = data.tweets[order[nTrain + i]];
      yTest[i] = data.classes[order[nTrain + i]];
    }

    long start = System.nanoTime();
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(train);
    double[] xTrain = f.transform(train);
    double[] xTest = f.transform(test);
    double seconds = (System.nanoTime() - start) * 1e-9;
    // 0.3 to 2.1 s measured in a test JVM under JaCoCo on the shared 2-core build machine
    // (warm: see TextFeaturizerBenchmark); the bound leaves room for a busier machine.
    assertThat(seconds).as("fit + transform of 5,000 tweets, seconds").isLessThan(6.0);

    int d = f.dimension();
    for (int i = 0; i < nTest; i++) {
      double norm = 0;
      for (int b = 0; b < d; b++) {
        norm += xTest[i * d + b] * xTest[i * d + b];
      }
      assertThat(norm == 0 || Math.abs(norm - 1) < 1e-12).as("test row %d", i).isTrue();
    }

    // Nearest centroid by cosine: centroids are class means of training rows, then normalised.
    double[][] centroids = new double[K][d];
    int[] counts = new int[K];
    for (int i = 0; i < nTrain; i++) {
      counts[yTrain[i]]++;
      for (int b = 0; b < d; b++) {
        centroids[yTrain[i]][b] += xTrain[i * d + b];
      }
    }
    for (double[] c : centroids) {
      double norm = 0;
      for (double v : c) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (int b = 0; b < d; b++) {
        c[b] /= norm;
      }
    }
    int majority = 0;
    for (int k = 1; k < K; k++) {
      if (counts[k] > counts[majority]) {
        majority = k;
      }
    }
    int correct = 0;
    int majorityCorrect = 0;
    int[] perClassTotal = new int[K];
    int[] perClassCorrect = new int[K];
    for (int i = 0; i < nTest; i++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < K; k++) {
        double s = 0;
        for (int b = 0; b < d; b++) {
          s += centroids[k][b] * xTest[i * d + b];
        }
        if (s > bestScore) {
          bestScore = s;
          best = k;
        }
      }
      perClassTotal[yTest[i]]++;
      if (best == yTest[i]) {
        correct++;
        perClassCorrect[yTest[i]]++;
      }
      if (yTest[i] == majority) {
        majorityCorrect++;
      }
    }
    double centroidAccuracy = correct / (double) nTest;
    double majorityRate = majorityCorrect / (double) nTest;
    double balanced = 0;
    for (int k = 0; k < K; k++) {
      balanced += perClassCorrect[k] / (double) perClassTotal[k] / K;
    }
    double softmaxAccuracy =
        softmaxRegressionAccuracy(xTrain, yTrain, xTest, yTest, d, new SplittableRandom(7L));
    System.out.printf(
        "hate speech, 4000/1000 tweets, d=%d: fit+transform %.3f s; held-out majority-class (%d)"
            + " rate %.3f; nearest centroid accuracy %.3f, balanced accuracy %.3f; softmax"
            + " regression accuracy %.3f%n",
        d, seconds, majority, majorityRate, centroidAccuracy, balanced, softmaxAccuracy);
    assertThat(majority).as("offensive is the majority class").isEqualTo(1);
    // Nearest centroid ignores class priors, so with 77% offensive tweets its plain accuracy
    // (0.730 measured) stays below the majority rate (0.776); its balanced accuracy, where the
    // majority-class rule scores exactly 1/3, shows the signal: 0.628 measured.
    assertThat(balanced).isGreaterThan(1.0 / K + 0.2);
    // A linear model on the same features uses the priors and beats the majority rule on plain
    // accuracy: 0.830 measured. For scale, scikit-learn 1.2.1's LogisticRegression(C=1) on its
    // HashingVectorizer(1024, ngram_range=(1, 2)) + TfidfTransformer features of another seeded
    // 4,000/1,000 split reached 0.845 against a majority rate of 0.792.
    assertThat(softmaxAccuracy).isGreaterThan(majorityRate + 0.03);
  }

  /**
   * Multinomial logistic regression by plain SGD (10 epochs, step 0.2, seeded order) on the
   * non-zero entries of each row; scores are shifted by their max before exp.
   */
  private static double softmaxRegressionAccuracy(
      double[] xTrain, int[] yTrain, double[] xTest, int[] yTest, int d, SplittableRandom random) {
    int n = yTrain.length;
    double[][] w = new double[K][d];
    double[] bias = new double[K];
    double[] p = new double[K];
    for (int epoch = 0; epoch < 10; epoch++) {
      for (int i : permutation(n, random)) {
        scores(w, bias, xTrain, i * d, d, p);
        double max = Math.max(p[0], Math.max(p[1], p[2]));
        double z = 0;
        for (int k = 0; k < K; k++) {
          p[k] = Math.exp(p[k] - max);
          z += p[k];
        }
        for (int k = 0; k < K; k++) {
          double g = 0.2 * (p[k] / z - (yTrain[i] == k ? 1 : 0));
          bias[k] -= g;
          for (int b = 0; b < d; b++) {
            double x = xTrain[i * d + b];
            if (x != 0) {
              w[k][b] -= g * x;
            }
          }
        }
      }
    }
    int correct = 0;
    for (int i = 0; i < yTest.length; i++) {
      scores(w, bias, xTest, i * d, d, p);
      int best = 0;
      for (int k = 1; k < K; k++) {
        if (p[k] > p[best]) {
          best = k;
        }
      }
      if (best == yTest[i]) {
        correct++;
      }
    }
    return correct / (double) yTest.length;
  }

  private static void scores(
      double[][] w, double[] bias, double[] x, int offset, int d, double[] out) {
    for (int k = 0; k < K; k++) {
      double s = bias[k];
      for (int b = 0; b < d; b++) {
        s += w[k][b] * x[offset + b];
      }
      out[k] = s;
    }
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
