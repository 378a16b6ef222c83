package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatureStep;
import org.defer4j.io.text.TextFeaturizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading trained policies: exact round trip through a path, a stream and bytes; damaged
 * files fail clearly; the committed version-1 policy migrates and routes as it did.
 */
class PolicyArtifactTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(6, 3, 2, 0.8, 0.4, 0.9, 0.05, new SplittableRandom(4));

  private static LearnedPolicy trained(String method, boolean threshold) {
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

  private static Decisions decide(LearnedPolicy p, DeferralTable cases) {
    return p.decide(cases, Availability.observed(p.task(), cases));
  }

  @Test
  void roundTripGivesTheSameDecisionsBitForBit(@TempDir Path dir) throws IOException {
    LearnedPolicy policy = trained("ova", true);
    policy =
        policy
            .withProvenance(policy.provenance().withOptions(Map.of("note", "x")))
            .withName("ova-mlp");
    assertThat(policy.rule().spec()).startsWith("threshold:");
    assertThat(policy.features().standardization()).isNotNull();
    Path file = dir.resolve("p.json");
    PolicyArtifact.save(policy, file);
    DeferralTable test = PROBLEM.sample(300, new SplittableRandom(99));
    for (LearnedPolicy loaded :
        List.of(
            PolicyArtifact.load(file),
            PolicyArtifact.fromBytes(PolicyArtifact.toBytes(policy), "bytes"),
            PolicyArtifact.load(new ByteArrayInputStream(Files.readAllBytes(file)), "stream"))) {
      assertThat(decide(loaded, test)).isEqualTo(decide(policy, test));
      assertThat(loaded.rule().spec()).isEqualTo(policy.rule().spec());
      assertThat(loaded.head()).isEqualTo(ScoreHead.ONE_VS_ALL);
      assertThat(loaded.name()).isEqualTo("ova-mlp");
      assertThat(loaded.provenance()).isEqualTo(policy.provenance());
      assertThat(loaded.provenance().options()).containsEntry("note", "x");
      assertThat(loaded.task()).isEqualTo(policy.task());
      assertThat(loaded.features().names()).isEqualTo(policy.features().names());
      assertThat(loaded.features().standardization())
          .isEqualTo(policy.features().standardization());
    }
    assertThat(PolicyArtifact.isPolicy(file)).isTrue();
    Path renamed = dir.resolve("policy.bin");
    Files.copy(file, renamed);
    assertThat(PolicyArtifact.isPolicy(renamed)).isTrue();
    assertThat(PolicyArtifact.isPolicy(dir.resolve("missing.json"))).isFalse();
  }

  @Test
  void textFeaturesTravelWithThePolicy(@TempDir Path dir) throws IOException {
    FittedTextFeaturizer text =
        TextFeaturizer.withDefaults()
            .fit(new String[] {"the cat sat", "a dog ran", "cats and dogs"});
    SplittableRandom rng = new SplittableRandom(8);
    DeferralTable train = withText(PROBLEM.sample(400, rng.split()));
    LearnedPolicy policy =
        new DeferralTrainer(
                Surrogates.byName("ce"),
                DeferralTrainer.linear(0),
                TrainOptions.defaults().withEpochs(1),
                false)
            .withFeatures(
                FeatureOptions.defaults()
                    .withStep(
                        new TextFeatureStep("note", FittedTextFeaturizer.DEFAULT_PREFIX, text)))
            .fit(PROBLEM.task(), train, null, TrainingListener.NONE);
    Path file = dir.resolve("p.json");
    PolicyArtifact.save(policy, file);
    LearnedPolicy back = PolicyArtifact.load(file);
    TextFeatureStep step = (TextFeatureStep) back.features().steps().get(0);
    assertThat(step.featurizer().state()).isEqualTo(text.state());
    DeferralTable test = withText(PROBLEM.sample(50, rng.split()));
    assertThat(decide(back, test)).isEqualTo(decide(policy, test));
    assertThat(back.features().dimension())
        .isEqualTo(PROBLEM.cells() + text.dimension())
        .isEqualTo(policy.features().dimension());
  }

  /** The table with a raw text column 'note' (one of three texts per row). */
  private static DeferralTable withText(DeferralTable t) {
    String[] texts = new String[t.rows()];
    String[] pool = {"the cat sat", "a dog ran", "cats and dogs sat"};
    for (int i = 0; i < texts.length; i++) {
      texts[i] = pool[i % 3];
    }
    DeferralTable.Builder b =
        DeferralTable.builder(t.source(), t.rows())
            .features(t.featureNames(), t.featureBlock())
            .labels(t.labels())
            .text("note", texts);
    t.agents().forEach(b::agent);
    return b.build();
  }

  @Test
  void editedFileFailsTheChecksum(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.json");
    PolicyArtifact.save(trained("ce", false), file);
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
  void otherFormatVersionsMissingFilesAndNonPoliciesAreRefused(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("p.json");
    PolicyArtifact.save(trained("ce", false), file);
    Files.writeString(
        file, Files.readString(file).replace("\"format_version\" : 2", "\"format_version\" : 7"));
    assertThatThrownBy(() -> PolicyArtifact.load(file))
        .hasMessageContaining("format version 7; this defer4j reads versions 1 and 2");
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{\"hello\": [1, 2");
    assertThatThrownBy(() -> PolicyArtifact.load(junk))
        .hasMessageContaining("not a defer4j policy");
    Path table = dir.resolve("table.json");
    Files.writeString(table, "{\"format\": \"something-else\"}");
    assertThatThrownBy(() -> PolicyArtifact.load(table))
        .hasMessageContaining("not a defer4j policy");
    assertThatThrownBy(() -> PolicyArtifact.load(dir.resolve("none.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none.json: no such policy file");
  }

  /**
   * A policy written by format version 1 (committed under test resources: an MLP ova policy with a
   * tuned threshold, trained on raw inputs) migrates on load and routes the fixed cases as it did
   * when it was written (decisions recorded beside it).
   */
  @Test
  void committedVersionOnePolicyMigratesAndRoutesAsRecorded(@TempDir Path dir) throws IOException {
    Path golden = resource("artifacts/policy-v1.json");
    Path expected = resource("artifacts/policy-v1-decisions.txt");
    DeferralTable cases = PROBLEM.sample(40, new SplittableRandom(2026));
    LearnedPolicy a = PolicyArtifact.load(golden);
    assertThat(a.features().standardization()).isNull();
    assertThat(a.head()).isEqualTo(ScoreHead.ONE_VS_ALL);
    assertThat(a.rule()).isEqualTo(DecisionRules.threshold(0.2184784133814268));
    assertThat(a.provenance().metrics()).containsEntry("validation_system_accuracy", 0.682);
    assertThat(a.provenance().options()).containsEntry("migrated_from_format_version", "1");
    assertThat(Arrays.toString(decide(a, cases).agents()))
        .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8).trim());
    // Saved again, it is a version-2 file with the same decisions.
    Path again = dir.resolve("v2.json");
    PolicyArtifact.save(a, again);
    assertThat(Files.readString(again)).contains("\"format_version\" : 2");
    assertThat(decide(PolicyArtifact.load(again), cases)).isEqualTo(decide(a, cases));
  }

  /**
   * A version-1 policy trained with the removed {@code dce} (the committed file with its method
   * changed to dce and its checksum recomputed) still loads: its head is the class-max head that
   * dce used, and it routes every case.
   */
  @Test
  void versionOnePolicyOfTheRemovedDceStillLoads(@TempDir Path dir) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.readTree(resource("artifacts/policy-v1.json").toFile());
    com.fasterxml.jackson.databind.node.ObjectNode payload =
        (com.fasterxml.jackson.databind.node.ObjectNode) root.get("payload");
    assertThat(payload.path("method").asText()).isEqualTo("ova");
    payload.put("method", "dce");
    root.put("checksum", "sha256:" + PolicyArtifact.sha256(PolicyArtifact.canonical(payload)));
    Path file = dir.resolve("dce-v1.json");
    json.writeValue(file.toFile(), root);
    LearnedPolicy p = PolicyArtifact.load(file);
    assertThat(p.head()).isEqualTo(ScoreHead.CLASS_MAX);
    DeferralTable cases = PROBLEM.sample(40, new SplittableRandom(2026));
    assertThat(decide(p, cases).agents()).hasSize(40);
    // Version 2 saves the head, so a dce policy needs no catalogue lookup: provenance method dce.
    Path v2 = dir.resolve("dce-v2.json");
    PolicyArtifact.save(p, v2);
    com.fasterxml.jackson.databind.node.ObjectNode root2 =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(v2.toFile());
    com.fasterxml.jackson.databind.node.ObjectNode payload2 =
        (com.fasterxml.jackson.databind.node.ObjectNode) root2.get("payload");
    assertThat(payload2.path("head").asText()).isEqualTo("class-max");
    ((com.fasterxml.jackson.databind.node.ObjectNode) payload2.get("provenance"))
        .put("method", "dce");
    root2.put("checksum", "sha256:" + PolicyArtifact.sha256(PolicyArtifact.canonical(payload2)));
    json.writeValue(v2.toFile(), root2);
    LearnedPolicy again = PolicyArtifact.load(v2);
    assertThat(again.provenance().method()).isEqualTo("dce");
    assertThat(decide(again, cases)).isEqualTo(decide(p, cases));
  }

  private static Path resource(String name) {
    return Path.of(System.getProperty("defer4j.root"), "defer4j-io/src/test/resources", name);
  }
}
