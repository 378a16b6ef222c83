package org.defer4j.core.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The frozen model's probabilities as rejector inputs (two-stage {@code --model-probabilities}) and
 * its confidence max_k p(k | x), read from tables and from single cases; and the trainer's {@link
 * FeatureOptions} that build the pipeline with them.
 */
class ModelProbabilitiesTest {
  static final TaskSpec TASK =
      TaskSpec.classification(
          List.of("a", "b"), "net", List.of(Agent.expert("e1", 0.0), Agent.expert("e2", 0.3)));

  /** n rows: x0, x1 uniform; the model net gives p = (p_a, 1 − p_a). */
  static DeferralTable table(int n, SplittableRandom rnd) {
    double[] x = new double[2 * n];
    int[] y = new int[n];
    int[] net = new int[n];
    double[] prob = new double[2 * n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = rnd.nextDouble() - 0.5;
      x[2 * i + 1] = rnd.nextDouble() - 0.5;
      y[i] = rnd.nextInt(2);
      prob[2 * i] = rnd.nextDouble();
      prob[2 * i + 1] = 1 - prob[2 * i];
      net[i] = prob[2 * i] >= 0.5 ? 0 : 1;
    }
    return DeferralTable.builder("probs.csv", n)
        .features(List.of("x0", "x1"), x)
        .labels(y)
        .agent("net", new AgentColumns(n, net, null, prob, 2, null))
        .build();
  }

  /** Appended inputs are named net.p.a, net.p.b and hold the probabilities, after x. */
  @Test
  void probabilitiesAreAppendedAfterTheFeatures() {
    DeferralTable t = table(10, new SplittableRandom(3));
    FeaturePipeline p = FeatureOptions.raw().withModelProbabilities(true).fit(TASK, t);
    assertThat(p.names()).containsExactly("x0", "x1", "net.p.a", "net.p.b");
    assertThat(p.columns()).containsExactly("x0", "x1");
    assertThat(p.steps()).containsExactly(new ModelProbabilities("net", List.of("a", "b")));
    assertThat(p.standardization()).isNull();
    double[] in = p.transform(t);
    for (int i = 0; i < 10; i++) {
      assertThat(in[4 * i]).isEqualTo(t.feature(i, 0));
      assertThat(in[4 * i + 1]).isEqualTo(t.feature(i, 1));
      assertThat(in[4 * i + 2]).isEqualTo(t.agent("net").probability(i, 0));
      assertThat(in[4 * i + 3]).isEqualTo(t.agent("net").probability(i, 1));
    }
    // The table is not modified: its features are still x0, x1.
    assertThat(t.featureNames()).containsExactly("x0", "x1");
  }

  @Test
  void confidenceIsTheLargestProbability() {
    DeferralTable t =
        DeferralTable.builder("c.csv", 3)
            .agent(
                "net",
                new AgentColumns(
                    3,
                    null,
                    null,
                    new double[] {0.2, 0.8, 0.6, 0.4, Double.NaN, Double.NaN},
                    2,
                    null))
            .build();
    // Row 2 is unobserved: confidence 0 (the model is unavailable there anyway).
    assertThat(ModelProbabilities.confidence(t, "net", 2)).containsExactly(0.8, 0.6, 0.0);
    assertThat(
            ModelProbabilities.confidence(
                Map.of("m.net.p.a", 0.3, "net.p.b", 0.7), "net", List.of("a", "b")))
        .isEqualTo(0.7);
  }

  @Test
  void missingProbabilitiesAreRefusedNamingTheColumnOrKey() {
    ModelProbabilities step = new ModelProbabilities("net", List.of("a", "b"));
    DeferralTable t = table(5, new SplittableRandom(2));
    DeferralTable noProb =
        t.withAgent(
            "net", new AgentColumns(5, t.agent("net").predictedClasses(), null, null, 0, null));
    FeaturePipeline p = FeaturePipeline.of(List.of("x0", "x1"), List.of(step));
    assertThatThrownBy(() -> p.transform(noProb))
        .hasMessageContaining("probs.csv")
        .hasMessageContaining("no m.net.p.<class> columns");
    DeferralTable noModel =
        DeferralTable.builder("x.csv", 1).features(List.of("x0", "x1"), new double[2]).build();
    assertThatThrownBy(() -> p.transform(noModel)).hasMessageContaining("m.net.p.<class>");
    // An unobserved row cannot be an input.
    double[] probs = {0.5, 0.5, Double.NaN, Double.NaN};
    DeferralTable gap =
        DeferralTable.builder("gap.csv", 2)
            .features(List.of("x0", "x1"), new double[4])
            .agent("net", new AgentColumns(2, null, null, probs, 2, null))
            .build();
    assertThatThrownBy(() -> p.transform(gap))
        .hasMessageContaining("gap.csv: row 2, column m.net.p.a: empty");
    // Three probability columns for a two-class task.
    DeferralTable three =
        DeferralTable.builder("three.csv", 1)
            .features(List.of("x0", "x1"), new double[2])
            .agent("net", new AgentColumns(1, null, null, new double[] {0.2, 0.3, 0.5}, 3, null))
            .build();
    assertThatThrownBy(() -> p.transform(three))
        .hasMessageContaining("the model has 3 probability columns, the task has 2 classes");
    // One case by name: the missing key is named with its class.
    Map<String, Object> one = new HashMap<>();
    one.put("x0", 0.1);
    one.put("x1", 0.2);
    one.put("m.net.p.a", 0.4);
    assertThatThrownBy(() -> p.transform(one))
        .hasMessageContaining("missing input 'm.net.p.b'")
        .hasMessageContaining("probability of class b");
    one.put("m.net.p.b", "0.6");
    assertThatThrownBy(() -> p.transform(one)).hasMessageContaining("'m.net.p.b' must be a number");
  }

  @Test
  void stepsRestoreFromTheirState() {
    ModelProbabilities step = new ModelProbabilities("net", List.of("a", "b"));
    assertThat(step.kind()).isEqualTo(ModelProbabilities.KIND);
    assertThat(step.model()).isEqualTo("net");
    FeatureStep back = FeatureSteps.decode(step.kind(), step.state());
    assertThat(back).isEqualTo(step).hasSameHashCodeAs(step);
    assertThat(back.names()).containsExactly("net.p.a", "net.p.b");
    assertThatThrownBy(() -> FeatureSteps.decode("tfidf-9", Map.of()))
        .hasMessageContaining("unknown feature step kind 'tfidf-9'")
        .hasMessageContaining(ModelProbabilities.KIND);
    assertThatThrownBy(() -> FeatureSteps.decode(ModelProbabilities.KIND, Map.of("model", "net")))
        .hasMessageContaining("needs 'model' and 'classes'");
    assertThatThrownBy(() -> new ModelProbabilities(" ", List.of("a")))
        .hasMessageContaining("frozen model's name");
    assertThatThrownBy(() -> new ModelProbabilities("net", List.of()))
        .hasMessageContaining("task's classes");
  }

  @Test
  void featureOptionsStandardiseByDefault() {
    assertThat(FeatureOptions.defaults().standardize()).isTrue();
    assertThat(FeatureOptions.defaults().modelProbabilities()).isFalse();
    assertThat(FeatureOptions.raw().standardize()).isFalse();
    DeferralTable t = table(50, new SplittableRandom(7));
    FeaturePipeline std = FeatureOptions.defaults().fit(TASK, t);
    assertThat(std.names()).containsExactly("x0", "x1");
    assertThat(std.standardization()).isNotNull();
    assertThat(std.standardization())
        .isEqualTo(Standardization.fit(FeatureOptions.raw().fit(TASK, t).transform(t), 2));
    // With the probabilities, the standardisation covers them too.
    FeaturePipeline both = FeatureOptions.defaults().withModelProbabilities(true).fit(TASK, t);
    assertThat(both.standardization().dimension()).isEqualTo(4);
    assertThat(FeatureOptions.raw().withStandardize(true)).isEqualTo(FeatureOptions.defaults());
    // Nothing to standardise: no standardisation.
    DeferralTable noFeatures = DeferralTable.builder("empty.csv", 3).build();
    assertThat(FeatureOptions.defaults().fit(TASK, noFeatures).standardization()).isNull();
    // Extra steps come after the probabilities.
    FeatureStep extra = new ModelProbabilities("net", List.of("a", "b"));
    FeatureOptions withStep = FeatureOptions.raw().withStep(extra);
    assertThat(withStep.extraSteps()).containsExactly(extra);
    assertThat(FeatureOptions.raw().extraSteps()).isEmpty();
  }

  @Test
  void probabilityInputsNeedAFrozenModel() {
    TaskSpec oneStage =
        TaskSpec.classification(List.of("a", "b"), null, List.of(Agent.expert("e1", 0.0)));
    assertThatThrownBy(
            () ->
                FeatureOptions.defaults()
                    .withModelProbabilities(true)
                    .fit(oneStage, table(5, new SplittableRandom(1))))
        .hasMessageContaining("need a frozen model");
  }
}
