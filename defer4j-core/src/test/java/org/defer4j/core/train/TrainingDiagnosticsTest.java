package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.TrainingDiagnostics.Finding;
import org.defer4j.core.train.TrainingDiagnostics.Kind;
import org.junit.jupiter.api.Test;

/**
 * Each check of {@link TrainingDiagnostics} once where it must fire and once where it must not, on
 * discrete problems with known laws (8 one-hot cells, 3 classes, 1 expert, no fee): an accurate
 * expert (accuracy 0.97 to 1) with near-uniform class laws, where the expert alone is the cheapest
 * agent, and a poor expert (0.2 to 0.35) with peaked class laws, where the model is.
 */
class TrainingDiagnosticsTest {
  /** Dirichlet(50) class laws (near uniform), expert accuracy on [0.97, 1]. */
  private static final DiscreteDeferralProblem GOOD_EXPERT =
      DiscreteDeferralProblem.random(8, 3, 1, 50, 0.97, 1.0, 0.0, new SplittableRandom(3));

  /** Dirichlet(0.1) class laws (nearly one class per cell), expert accuracy on [0.2, 0.35]. */
  private static final DiscreteDeferralProblem POOR_EXPERT =
      DiscreteDeferralProblem.random(8, 3, 1, 0.1, 0.2, 0.35, 0.0, new SplittableRandom(4));

  private static LearnedPolicy fitWell(DiscreteDeferralProblem p, DeferralTable train) {
    return new DeferralTrainer(
            Surrogates.crossEntropy(),
            DeferralTrainer.linear(0),
            TrainOptions.defaults().withAlgorithm(Algorithm.LBFGS).withEpochs(200),
            false)
        .fit(p.task(), train, null, TrainingListener.NONE);
  }

  private static List<Kind> kinds(List<Finding> f) {
    return f.stream().map(Finding::kind).toList();
  }

  @Test
  void anUntrainedPolicyIsWorseThanTheExpertAloneAndSaysSo() {
    SplittableRandom rng = new SplittableRandom(1);
    DeferralTable train = GOOD_EXPERT.sample(2_000, rng.split());
    DeferralTable val = GOOD_EXPERT.sample(1_000, rng.split());
    // One SGD step of size 1e-6: the parameters stay at their random initialisation.
    LearnedPolicy untrained =
        new DeferralTrainer(
                Surrogates.crossEntropy(),
                DeferralTrainer.linear(0),
                new TrainOptions(Algorithm.SGD, 1e-6, 1, 4_000, 0, 0L),
                false)
            .fit(GOOD_EXPERT.task(), train, val, TrainingListener.NONE);
    List<Finding> f = TrainingDiagnostics.check(untrained, train, val);
    assertThat(kinds(f)).contains(Kind.WORSE_THAN_SINGLE_AGENT);
    double own = Evaluation.of(untrained, GOOD_EXPERT.task(), val).report().meanCost();
    double expert = TrainingDiagnostics.singleAgentCosts(untrained, val).get("e1");
    assertThat(f.get(0).message())
        .contains(String.format(java.util.Locale.ROOT, "%.4f", own))
        .contains("expert e1 alone")
        .contains(String.format(java.util.Locale.ROOT, "%.4f", expert));

    LearnedPolicy trained = fitWell(GOOD_EXPERT, train);
    assertThat(kinds(TrainingDiagnostics.check(trained, train, val)))
        .doesNotContain(Kind.WORSE_THAN_SINGLE_AGENT);
  }

  @Test
  void deferringEverythingWhileTheModelIsCheaperIsFlagged() {
    SplittableRandom rng = new SplittableRandom(2);
    DeferralTable train = POOR_EXPERT.sample(2_000, rng.split());
    DeferralTable val = POOR_EXPERT.sample(1_000, rng.split());
    LearnedPolicy trained = fitWell(POOR_EXPERT, train);
    // θ = −MAX defers every case with an available expert (DeferralTrainer.tuneThreshold).
    LearnedPolicy deferAll = trained.withRule(DecisionRules.threshold(-Double.MAX_VALUE));
    List<Finding> f = TrainingDiagnostics.check(deferAll, train, val);
    assertThat(kinds(f)).contains(Kind.ONE_AGENT);
    assertThat(f.stream().filter(x -> x.kind() == Kind.ONE_AGENT).findFirst().get().message())
        .contains("100.0 % of the validation cases to expert e1 (>= 95 %)")
        .contains("the model alone is cheaper");
    assertThat(kinds(TrainingDiagnostics.check(trained, train, val)))
        .doesNotContain(Kind.ONE_AGENT);

    // Everything to the expert is no finding where the expert is the cheapest agent.
    DeferralTable goodTrain = GOOD_EXPERT.sample(2_000, rng.split());
    DeferralTable goodVal = GOOD_EXPERT.sample(1_000, rng.split());
    LearnedPolicy all =
        fitWell(GOOD_EXPERT, goodTrain).withRule(DecisionRules.threshold(-Double.MAX_VALUE));
    assertThat(kinds(TrainingDiagnostics.check(all, goodTrain, goodVal)))
        .doesNotContain(Kind.ONE_AGENT);
  }

  @Test
  void aFitThatKeptItsFirstEpochIsFlaggedWithACause() {
    SplittableRandom rng = new SplittableRandom(5);
    DeferralTable train = POOR_EXPERT.sample(1_000, rng.split());
    DeferralTable val = POOR_EXPERT.sample(500, rng.split());
    LearnedPolicy p = fitWell(POOR_EXPERT, train);
    // The check reads the fit from the provenance; these are the figures of a fit stopped by
    // patience 5 after 6 of at most 30 epochs, keeping epoch 1.
    LearnedPolicy early = p.withProvenance(fit(p.provenance(), "adam", 6, 1, 30, 0.001));
    List<Finding> f = TrainingDiagnostics.check(early, train, val);
    assertThat(kinds(f)).contains(Kind.STOPPED_EARLY);
    assertThat(f.stream().filter(x -> x.kind() == Kind.STOPPED_EARLY).findFirst().get().message())
        .contains("kept epoch 1 of 6 run (at most 30)")
        .contains("learning rate 0.001 may be too small");
    LearnedPolicy fast = p.withProvenance(fit(p.provenance(), "adam", 6, 1, 30, 0.1));
    assertThat(TrainingDiagnostics.check(fast, train, val).toString()).contains("may be too high");

    assertThat(
            kinds(
                TrainingDiagnostics.check(
                    p.withProvenance(fit(p.provenance(), "adam", 40, 30, 100, 0.003)), train, val)))
        .doesNotContain(Kind.STOPPED_EARLY);
    // Ran every epoch it was allowed: not stopped early, however small the budget.
    assertThat(
            kinds(
                TrainingDiagnostics.check(
                    p.withProvenance(fit(p.provenance(), "adam", 30, 2, 30, 0.003)), train, val)))
        .doesNotContain(Kind.STOPPED_EARLY);
    assertThat(
            kinds(
                TrainingDiagnostics.check(
                    p.withProvenance(fit(p.provenance(), "lbfgs", 6, 1, 30, 0.003)), train, val)))
        .doesNotContain(Kind.STOPPED_EARLY);
  }

  @Test
  void unscaledInputsAreNamedAsTheCauseOfAnEarlyStop() {
    SplittableRandom rng = new SplittableRandom(6);
    DeferralTable base = POOR_EXPERT.sample(1_000, rng.split());
    // Cell 0's indicator times 10,000: the standard deviations then differ by about 10^4.
    double[] block = base.featureBlock();
    int d = base.featureCount();
    for (int i = 0; i < base.rows(); i++) {
      block[i * d] *= 10_000;
    }
    DeferralTable train = base.withFeatures(base.featureNames(), block);
    DeferralTable val = POOR_EXPERT.sample(500, rng.split());
    LearnedPolicy raw =
        new DeferralTrainer(
                Surrogates.crossEntropy(),
                DeferralTrainer.linear(0),
                TrainOptions.defaults().withEpochs(2),
                false)
            .withFeatures(org.defer4j.core.feature.FeatureOptions.raw())
            .fit(POOR_EXPERT.task(), train, val, TrainingListener.NONE);
    assertThat(TrainingDiagnostics.rawScaleSpread(raw, train)).isGreaterThan(1_000);
    LearnedPolicy early = raw.withProvenance(fit(raw.provenance(), "adam", 4, 1, 30, 0.003));
    assertThat(TrainingDiagnostics.check(early, train, val).toString())
        .contains("inputs are not standardised");
  }

  @Test
  void fewRowsPerParameterAreFlaggedWithTheRatio() {
    SplittableRandom rng = new SplittableRandom(7);
    DeferralTable small = POOR_EXPERT.sample(60, rng.split());
    // An MLP with 32 hidden units: 8 x 32 + 32 + 32 x 4 + 4 = 420 parameters for 60 rows.
    LearnedPolicy mlp =
        new DeferralTrainer(
                Surrogates.crossEntropy(),
                DeferralTrainer.mlp(List.of(32), Activation.RELU, 0),
                TrainOptions.defaults().withEpochs(2),
                false)
            .fit(POOR_EXPERT.task(), small, null, TrainingListener.NONE);
    List<Finding> f = TrainingDiagnostics.check(mlp, small, null);
    assertThat(kinds(f)).containsExactly(Kind.TOO_FEW_ROWS);
    assertThat(f.get(0).message())
        .contains("60 training rows for 420 scorer parameters (0.14 rows per parameter, below 2)");

    DeferralTable big = POOR_EXPERT.sample(3_000, rng.split());
    LearnedPolicy linear = fitWell(POOR_EXPERT, big);
    assertThat(TrainingDiagnostics.check(linear, big, null)).isEmpty();
  }

  @Test
  void sparseExpertsAreComparedOnTheCasesTheyAnswered() {
    SplittableRandom rng = new SplittableRandom(8);
    DeferralTable train = everyOtherAnswer(GOOD_EXPERT.sample(2_000, rng.split()));
    DeferralTable val = everyOtherAnswer(GOOD_EXPERT.sample(1_000, rng.split()));
    LearnedPolicy p = fitWell(GOOD_EXPERT, train);
    // The policy only defers a case to e1 where e1 answered it; e1 alone falls back to the model
    // on the other half, so it costs about half the model's error rate.
    Map<String, Double> alone = TrainingDiagnostics.singleAgentCosts(p, val);
    assertThat(alone.get("e1")).isFinite().isLessThan(alone.get("model"));
    assertThat(kinds(TrainingDiagnostics.check(p, train, val)))
        .doesNotContain(Kind.WORSE_THAN_SINGLE_AGENT, Kind.ONE_AGENT);
  }

  /** The table with expert e1's answers removed on every odd row. */
  private static DeferralTable everyOtherAnswer(DeferralTable t) {
    org.defer4j.core.data.AgentColumns e = t.agent("e1");
    int[] y = e.predictedClasses();
    for (int i = 1; i < y.length; i += 2) {
      y[i] = org.defer4j.core.data.AgentColumns.UNOBSERVED;
    }
    return t.withAgent(
        "e1", new org.defer4j.core.data.AgentColumns(t.rows(), y, null, null, 0, null));
  }

  private static Provenance fit(
      Provenance p, String algorithm, int epochs, int best, int max, double lr) {
    Map<String, String> o = new LinkedHashMap<>(p.options());
    o.put("max_epochs", Integer.toString(max));
    o.put("learning_rate", Double.toString(lr));
    return new Provenance(
        p.method(),
        algorithm,
        p.seed(),
        epochs,
        best,
        p.trainRows(),
        p.dataSha256(),
        p.defer4jVersion(),
        p.created(),
        o,
        p.metrics());
  }
}
