package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.DeferralModel;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeaturizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading trained policies: exact round trip, and damaged files fail clearly. */
class PolicyArtifactTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(6, 3, 2, 0.8, 0.4, 0.9, 0.05, new SplittableRandom(4));

  private static DeferralModel trained(String method, boolean threshold) {
    SplittableRandom rng = new SplittableRandom(8);
    DeferralTable train = PROBLEM.sample(1_500, rng.split());
    DeferralTable val = PROBLEM.sample(500, rng.split());
    return new DeferralTrainer(
            Surrogates.byName(method),
            DeferralTrainer.mlp(List.of(5), Activation.TANH, 1e-3),
            TrainOptions.defaults().withEpochs(2),
            threshold)
        .fit(PROBLEM.task(), train, val, TrainingListener.NONE);
  }

  @Test
  void roundTripGivesTheSameScoresBitForBit(@TempDir Path dir) throws IOException {
    DeferralModel model = trained("ova", true).withProvenance(Map.of("note", "x"));
    Path file = dir.resolve("p.json");
    new PolicyArtifact(model, "ova", null).save(file);
    PolicyArtifact loaded = PolicyArtifact.load(file);
    DeferralTable test = PROBLEM.sample(300, new SplittableRandom(99));
    assertThat(Arrays.equals(loaded.model().scores(test), model.scores(test))).isTrue();
    assertThat(loaded.model().threshold()).isEqualTo(model.threshold());
    assertThat(loaded.method()).isEqualTo("ova");
    assertThat(loaded.model().provenance()).containsEntry("note", "x");
    assertThat(loaded.model().task()).isEqualTo(model.task());
    assertThat(loaded.model().featureNames()).isEqualTo(model.featureNames());
  }

  @Test
  void textFeaturizerTravelsWithThePolicy(@TempDir Path dir) throws IOException {
    DeferralModel model = trained("ce", false);
    FittedTextFeaturizer text =
        TextFeaturizer.withDefaults()
            .fit(new String[] {"the cat sat", "a dog ran", "cats and dogs"});
    Path file = dir.resolve("p.json");
    new PolicyArtifact(model, "ce", text).save(file);
    FittedTextFeaturizer back = PolicyArtifact.load(file).text();
    assertThat(back.state()).isEqualTo(text.state());
    assertThat(back.transform("a cat and a dog"))
        .containsExactly(text.transform("a cat and a dog"));
  }

  @Test
  void editedFileFailsTheChecksum(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.json");
    new PolicyArtifact(trained("ce", false), "ce", null).save(file);
    String json = Files.readString(file);
    String edited = json.replaceFirst("\"l2\" : 0\\.001", "\"l2\" : 0.002");
    assertThat(edited).isNotEqualTo(json);
    Files.writeString(file, edited);
    assertThatThrownBy(() -> PolicyArtifact.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void otherFormatVersionsAndNonPoliciesAreRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.json");
    new PolicyArtifact(trained("ce", false), "ce", null).save(file);
    Files.writeString(
        file, Files.readString(file).replace("\"format_version\" : 1", "\"format_version\" : 7"));
    assertThatThrownBy(() -> PolicyArtifact.load(file))
        .hasMessageContaining("format version 7, this defer4j reads 1");
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{\"hello\": [1, 2");
    assertThatThrownBy(() -> PolicyArtifact.load(junk))
        .hasMessageContaining("not a defer4j policy");
    Path table = dir.resolve("table.json");
    Files.writeString(table, "{\"format\": \"something-else\"}");
    assertThatThrownBy(() -> PolicyArtifact.load(table))
        .hasMessageContaining("not a defer4j policy");
  }

  /**
   * A policy written by format version 1 (committed under test resources) still loads and routes
   * the fixed cases as it did when it was written (decisions recorded beside it).
   */
  @Test
  void committedVersionOnePolicyStillLoadsAndRoutesAsRecorded() throws IOException {
    Path golden = resource("artifacts/policy-v1.json");
    Path expected = resource("artifacts/policy-v1-decisions.txt");
    DeferralTable cases = PROBLEM.sample(40, new SplittableRandom(2026));
    if (Boolean.getBoolean("defer4j.regenerate.golden")) {
      DeferralModel m = trained("ova", true);
      new PolicyArtifact(m, "ova", null).save(golden);
      Files.writeString(
          expected, Arrays.toString(m.decide(cases, m.costs(cases))), StandardCharsets.UTF_8);
    }
    PolicyArtifact a = PolicyArtifact.load(golden);
    int[] d = a.model().decide(cases, a.model().costs(cases));
    assertThat(Arrays.toString(d)).isEqualTo(Files.readString(expected).trim());
  }

  private static Path resource(String name) {
    return Path.of(System.getProperty("defer4j.root"), "defer4j-io/src/test/resources", name);
  }
}
