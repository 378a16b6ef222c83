package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Golden check of the ECE against the published HateSpeech L2D models of Verma &amp; Nalisnick,
 * "Calibrated Learning to Defer with One-vs-All Classifiers", ICML 2022 (PMLR 162:22184–22202),
 * whose HateSpeech experiment reports the calibration of P(expert correct | x) for the softmax
 * (Mozannar &amp; Sontag 2020) and the one-vs-all parameterisations.
 *
 * <p>The fixture (src/test/resources/golden-ece, MIT, from github.com/rajevv/OvA-L2D, folder
 * Hatespeech) holds the two models' outputs on the 4,096 test tweets and whether the expert was
 * correct. The authors' script {@code Hatespeech/hateSpeech-reliability.py}, which draws the
 * paper's HateSpeech reliability diagrams (Figs/HateSpeech_{Softmax,OvA}_Reliability.pdf), turns
 * them into estimates exactly as done here (softmax: min(1, p_⊥ / Σ_{k&lt;3} p_k); OvA: the last
 * sigmoid output as stored; outcomes truncated to the first 4,096 entries), calls {@code
 * compute_calibration} with 20 equal-width bins closed on the right, (lo, hi] — our convention —
 * and annotates each diagram with {@code "ECE=%.2f" % (100 · ECE)}. On these files that gives ECE =
 * 6.96 for softmax and 0.77 for OvA, the expected values below.
 *
 * <p>The binning convention does not matter for these files: no estimate is 0 or lies on a bin
 * edge, and (lo, hi] and [lo, hi) give identical ECEs (checked with NumPy 2.4 in float64, which
 * also gives the full-precision values pinned below; the reference runs in float32 and agrees to
 * 4·10⁻⁸). With 15 bins the values would be 6.47 and 0.86, so the bin count does matter.
 */
class GoldenEceTest {
  /** The published values are percentages with two decimals: half a unit of the last digit. */
  private static final double PAPER_ROUNDING = 0.005 / 100;

  private static double[] numbers(String resource) throws IOException {
    try (InputStream in = GoldenEceTest.class.getResourceAsStream("/golden-ece/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Arrays.stream(text.replace("[", " ").replace("]", " ").split(","))
          .map(String::trim)
          .mapToDouble(Double::parseDouble)
          .toArray();
    }
  }

  private static int[] outcomes(String resource, int n) throws IOException {
    double[] v = numbers(resource);
    assertThat(v.length).isGreaterThanOrEqualTo(n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }

  @Test
  void softmaxExpertCorrectnessEce() throws IOException {
    double[] confs = numbers("softmax_confs.json");
    assertThat(confs.length).isEqualTo(4096 * 4);
    int n = confs.length / 4;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      double classes = confs[4 * i] + confs[4 * i + 1] + confs[4 * i + 2];
      p[i] = Math.min(1.0, confs[4 * i + 3] / classes);
    }
    int[] y = outcomes("softmax_acc.json", n);
    Calibration.Reliability r = Calibration.reliability(p, y, Calibration.DEFAULT_BINS);
    // Published: ECE = 6.96 (%).
    assertThat(r.ece()).isCloseTo(0.0696, within(PAPER_ROUNDING));
    // Full precision, NumPy float64 with the same binning.
    assertThat(r.ece()).isCloseTo(0.06959286166826774, within(1e-12));
    assertThat(r.mce()).isCloseTo(0.7878881310678023, within(1e-12));
    // The unbounded softmax estimate exceeds 1 on 1,370 rows, all clipped into the last bin.
    assertThat(r.bins().get(19).count()).isGreaterThanOrEqualTo(1370);
  }

  @Test
  void oneVsAllExpertCorrectnessEce() throws IOException {
    double[] confs = numbers("ova_confs.json");
    assertThat(confs.length).isEqualTo(4096 * 4);
    int n = confs.length / 4;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = confs[4 * i + 3];
    }
    int[] y = outcomes("ova_acc.json", n);
    Calibration.Reliability r = Calibration.reliability(p, y, Calibration.DEFAULT_BINS);
    // Published: ECE = 0.77 (%).
    assertThat(r.ece()).isCloseTo(0.0077, within(PAPER_ROUNDING));
    assertThat(r.ece()).isCloseTo(0.0076544431649381555, within(1e-12));
    assertThat(r.mce()).isCloseTo(0.08603059727212659, within(1e-12));
    // The paper's point: OvA is about nine times better calibrated than softmax here.
    assertThat(r.ece()).isLessThan(0.0696 / 5);
  }
}
