package org.defer4j.cli.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RouteLLM derivation on the raw data. Expected counts and accuracies are the figures of
 * shared/data/DATASETS.md ("Useful exact figures"), which match RouteLLM's own decontaminated
 * benchmark (routellm/evals/benchmarks.py); they are given to two decimals, hence the 0.005-point
 * tolerance.
 */
class RouteLlmTest {
  private static Path dir;

  @BeforeAll
  static void data() {
    String root = System.getProperty("defer4j.shared.data");
    Assumptions.assumeTrue(root != null, "system property defer4j.shared.data is not set");
    dir = Path.of(root).resolve("routellm");
    Assumptions.assumeTrue(Files.isDirectory(dir), "no RouteLLM data at " + dir);
  }

  /** {weak accuracy, strong accuracy, oracle accuracy} in percent. */
  private static double[] accuracies(DeferralTable t) {
    double[] mix = t.agent("mixtral").costs();
    double[] gpt = t.agent("gpt4").costs();
    int w = 0;
    int s = 0;
    int o = 0;
    for (int i = 0; i < t.rows(); i++) {
      boolean a = mix[i] == 0.0;
      boolean b = gpt[i] == 0.0;
      w += a ? 1 : 0;
      s += b ? 1 : 0;
      o += a || b ? 1 : 0;
    }
    double n = t.rows();
    return new double[] {100 * w / n, 100 * s / n, 100 * o / n};
  }

  @Test
  void mmluAfterDecontaminationMatchesRouteLlm() throws Exception {
    DeferralTable t = RouteLlm.mmlu(dir);
    assertThat(t.rows()).isEqualTo(14_037);
    double[] acc = accuracies(t);
    assertThat(acc[0]).isCloseTo(68.09, within(0.005));
    assertThat(acc[1]).isCloseTo(80.59, within(0.005));
    assertThat(acc[2]).isCloseTo(85.87, within(0.005));
    // The length feature, then 57 subject files -> 57 one-hot columns, exactly one set per row,
    // matching the group.
    assertThat(t.featureCount()).isEqualTo(58);
    assertThat(t.featureNames().get(0)).isEqualTo(RouteLlm.LENGTH_FEATURE);
    for (int i = 0; i < t.rows(); i++) {
      double sum = 0;
      for (int j = 1; j < 58; j++) {
        sum += t.feature(i, j);
      }
      assertThat(sum).isEqualTo(1.0);
      int hot = t.featureNames().indexOf(RouteLlm.SUBJECT_PREFIX + t.group(i));
      assertThat(t.feature(i, hot)).isEqualTo(1.0);
    }
    Set<String> contaminated =
        RouteLlm.contaminatedPrompts(dir.resolve("mmlu_contaminated_prompts.jsonl"));
    assertThat(Arrays.stream(t.text().get("prompt")).filter(contaminated::contains)).isEmpty();

    DeferralTable all = RouteLlm.mmluAll(dir);
    assertThat(all.rows()).isEqualTo(14_042);
    assertThat(all.featureNames()).isEqualTo(t.featureNames());
  }

  @Test
  void gsm8kAfterDecontaminationMatchesRouteLlm() throws Exception {
    DeferralTable t = RouteLlm.gsm8k(dir);
    assertThat(t.rows()).isEqualTo(1_307);
    double[] acc = accuracies(t);
    assertThat(acc[0]).isCloseTo(63.73, within(0.005));
    assertThat(acc[1]).isCloseTo(85.77, within(0.005));
    assertThat(acc[2]).isCloseTo(92.96, within(0.005));
    // 12 listed prompts, each removing exactly one problem of the 1,319.
    assertThat(RouteLlm.contaminatedPrompts(dir.resolve("gsm8k_contaminated_prompts.jsonl")))
        .hasSize(12);
  }

  @Test
  void promptLengthIsCentredLogLength() {
    // log2(1 + 255) - 8 = 0; log2(1 + 1023) - 8 = 2; code points, not UTF-16 units.
    assertThat(RouteLlm.promptLength("a".repeat(255))).isCloseTo(0.0, within(1e-12));
    assertThat(RouteLlm.promptLength("b".repeat(1023))).isCloseTo(2.0, within(1e-12));
    assertThat(RouteLlm.promptLength("\uD83D\uDE00")).isCloseTo(1 - 8, within(1e-12));
  }

  @Test
  void splitIsASeededPartition() {
    int[][] a = RouteLlm.split(1_307, new SplittableRandom(2024));
    int[][] b = RouteLlm.split(1_307, new SplittableRandom(2024));
    assertThat(a).isDeepEqualTo(b);
    // round(0.6 n) and round(0.2 n) rows, the rest to test.
    assertThat(a[0]).hasSize(784);
    assertThat(a[1]).hasSize(261);
    assertThat(a[2]).hasSize(262);
    Set<Integer> seen = new HashSet<>();
    for (int[] part : a) {
      for (int i : part) {
        assertThat(seen.add(i)).isTrue();
      }
    }
    assertThat(seen).hasSize(1_307);
  }
}
