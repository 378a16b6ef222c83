package org.defer4j.bench.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.model.ScorerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runners' small pieces, so that their mains cannot rot unnoticed (no training here). */
class HateSpeechEvidenceTest {
  @Test
  void methodsAreTheOneStageClassificationSurrogatesOfTheCatalogue() {
    // The list of the task brief, in catalogue order; psi:LINK expands to the two links.
    assertThat(HateSpeechEvidence.methods())
        .containsExactly(
            "ce",
            "cost-sensitive",
            "ova",
            "asym-softmax",
            "realizable",
            "psi:mae",
            "psi:log",
            "lsf",
            "ce-rejector",
            "pr",
            "moe",
            "decoupled");
  }

  @Test
  void configsBuildTheScorerTheyName() {
    assertThat(new HateSpeechEvidence.Config(true, 1e-3, 0).spec(8, 4).kind())
        .isEqualTo(ScorerSpec.Kind.MLP);
    assertThat(new HateSpeechEvidence.Config(true, 1e-3, 0).spec(8, 4).hidden())
        .containsExactly(64);
    assertThat(new HateSpeechEvidence.Config(false, 1e-3, 2e-5).spec(8, 4).l2()).isEqualTo(2e-5);
  }

  @Test
  void meanAndSampleStandardDeviationSkipNaN() {
    // mean of 1, 2, 3 = 2; sample variance ((1 + 0 + 1) / 2) = 1.
    assertThat(HateSpeechEvidence.meanSd(new double[] {1, Double.NaN, 2, 3}))
        .isEqualTo("2.0000 ± 1.0000");
    assertThat(HateSpeechEvidence.meanSd(new double[] {Double.NaN})).isEqualTo("–");
  }

  @Test
  void exportedTrainingRowsReadBackExactly(@TempDir Path dir) throws Exception {
    double[] x = {0.5, -1.25, 1e-300, 3.0, 0.0, 7.0};
    int[] labels = {2, 0, 1};
    int[] votes = {2, 1, 1};
    DeferralTable t =
        DeferralTable.builder("t", 3)
            .labels(labels)
            .features(List.of("a", "b"), x)
            .agent("annotator", new AgentColumns(3, votes, null, null, 0, null))
            .build();
    Path f = dir.resolve("rows.bin");
    HateSpeechEvidence.exportTraining(t, f);
    TrainThroughput.Data d = TrainThroughput.read(f);
    assertThat(d.n()).isEqualTo(3);
    assertThat(d.d()).isEqualTo(2);
    assertThat(d.k()).isEqualTo(3);
    assertThat(d.j()).isEqualTo(1);
    assertThat(d.x()).containsExactly(x);
    assertThat(d.y()).containsExactly(labels);
    // Expert correct where its vote equals the label: rows 0 and 2.
    assertThat(d.e()).containsExactly(new double[] {1, 0, 1}, within(0.0));
  }
}
