package org.defer4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of what the benchmark measures, so that its main cannot rot unnoticed. */
class TableLoadBenchmarkTest {
  @Test
  void syntheticTableIsSeededAndSurvivesBothFormats(@TempDir Path dir) {
    DeferralTable t = TableLoadBenchmark.syntheticTable(2_000, 4, new SplittableRandom(5));
    DeferralTable again = TableLoadBenchmark.syntheticTable(2_000, 4, new SplittableRandom(5));
    String sum = TableLoadBenchmark.checksum(t);
    assertThat(TableLoadBenchmark.checksum(again)).isEqualTo(sum);
    assertThat(
            TableLoadBenchmark.checksum(
                TableLoadBenchmark.syntheticTable(2_000, 4, new SplittableRandom(6))))
        .isNotEqualTo(sum);
    // Expert e3 is right with probability 0.8 where observed (90% of rows): with 2,000 rows its
    // observed accuracy lies within 0.8 +- 0.05 (more than 5 standard deviations).
    int seen = 0;
    int right = 0;
    for (int i = 0; i < t.rows(); i++) {
      int p = t.agent("e3").predictedClass(i);
      if (p >= 0) {
        seen++;
        right += p == t.label(i) ? 1 : 0;
      }
    }
    assertThat(seen / 2000.0).isBetween(0.85, 0.95);
    // Wrong answers are uniform over 3 classes, so accuracy = 0.8 + 0.2 / 3.
    assertThat((double) right / seen).isBetween(0.8 + 0.2 / 3 - 0.05, 0.8 + 0.2 / 3 + 0.05);

    TaskSpec spec =
        TaskSpec.classification(
            List.of("c0", "c1", "c2"),
            null,
            List.of(Agent.expert("e1", 0.1), Agent.expert("e2", 0.1), Agent.expert("e3", 0.1)));
    for (String name : List.of("t.csv", "t.parquet")) {
      Path f = dir.resolve(name);
      DeferralTableWriter.write(t, spec, f);
      assertThat(TableLoadBenchmark.checksum(DeferralTableReader.read(f, spec))).isEqualTo(sum);
    }
  }
}
