package org.defer4j.core.train.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * The search is a pure function of its seed (not of the thread count or the number of trials), its
 * trial 0 is the setting it starts from, and its winner is the least validation cost. The problem
 * is a discrete one with known laws (8 one-hot cells, 3 classes, 2 experts).
 */
class TunerTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(8, 3, 2, 0.7, 0.3, 0.95, 0.0, new SplittableRandom(11));
  private static final DeferralTable TRAIN = PROBLEM.sample(1_500, new SplittableRandom(1));
  private static final DeferralTable VAL = PROBLEM.sample(600, new SplittableRandom(2));

  private static Tuner.TrialFit fit(boolean mlp) {
    return s ->
        new DeferralTrainer(
                Surrogates.byName(s.method()),
                mlp
                    ? DeferralTrainer.mlp(List.of(s.hiddenWidth()), Activation.TANH, s.l2())
                    : DeferralTrainer.linear(s.l2()),
                new TrainOptions(
                    Algorithm.ADAM, s.learningRate(), s.epochs(), 128, s.patience(), 7L),
                false)
            .fit(PROBLEM.task(), TRAIN, VAL, TrainingListener.NONE);
  }

  private static SearchSpace quick() {
    SearchSpace d = SearchSpace.defaults();
    return new SearchSpace(
        d.minLearningRate(),
        d.maxLearningRate(),
        d.zeroL2Share(),
        d.minL2(),
        d.maxL2(),
        List.of(new int[] {5, 2}, new int[] {10, 3}),
        List.of(4, 8),
        true);
  }

  private static TuneResult run(int threads, int trials, boolean mlp, TrialSetting start) {
    return new Tuner(new Tuner.Options(trials, 42L, threads, quick()))
        .tune(start, mlp, PROBLEM.task(), VAL, fit(mlp), Tuner.Listener.NONE);
  }

  @Test
  void theResultDoesNotDependOnTheThreadCount() {
    TrialSetting start = new TrialSetting("ce", 0.003, 0, 10, 3, 8);
    TuneResult one = run(1, 6, true, start);
    TuneResult three = run(3, 6, true, start);
    assertThat(three.best()).isEqualTo(one.best());
    for (int i = 0; i < 6; i++) {
      Trial a = one.trials().get(i);
      Trial b = three.trials().get(i);
      assertThat(b.setting()).isEqualTo(a.setting());
      // Bit for bit: the same setting and training seed give the same fit on any thread.
      assertThat(b.validationCost()).isEqualTo(a.validationCost());
      assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
    }
    assertThat(
            Arrays.equals(one.policy().scorer().parameters(), three.policy().scorer().parameters()))
        .isTrue();
    assertThat(three.csv()).isNotEmpty();
  }

  @Test
  void settingsDependOnlyOnTheSeedAndTheIndex() {
    TrialSetting start = new TrialSetting("ce", 0.003, 0, 10, 3, 0);
    Tuner four = new Tuner(new Tuner.Options(4, 42L, 1, quick()));
    Tuner nine = new Tuner(new Tuner.Options(9, 42L, 1, quick()));
    List<TrialSetting> a = four.settings(start, false);
    List<TrialSetting> b = nine.settings(start, false);
    assertThat(b.subList(0, 4)).isEqualTo(a);
    assertThat(a.get(0)).isEqualTo(start);
    assertThat(new Tuner(new Tuner.Options(4, 43L, 1, quick())).settings(start, false))
        .isNotEqualTo(a);
    for (TrialSetting s : b) {
      assertThat(s.learningRate()).isBetween(3e-4 * 0.99, 0.1 * 1.01);
      assertThat(s.hiddenWidth()).isZero();
      // ce's parameter is alpha in [0, 1]; the others keep the method as given.
      assertThat(s.method()).matches("ce(:(0(\\.\\d+)?|1))?");
    }
    assertThat(b.stream().map(TrialSetting::method).distinct().count()).isGreaterThan(1);
    // Methods without a parameter keep their name.
    assertThat(
            nine.settings(new TrialSetting("ova", 0.003, 0, 10, 3, 0), false).stream()
                .map(TrialSetting::method)
                .distinct())
        .containsExactly("ova");
  }

  @Test
  void theWinnerHasTheLeastValidationCostAndRecordsTheSearch() {
    // A poor start: a learning rate too small to move the scorer in 5 epochs.
    TrialSetting start = new TrialSetting("ova", 1e-5, 0, 5, 2, 0);
    TuneResult r = run(2, 8, false, start);
    Trial first = r.trials().get(0);
    for (Trial t : r.trials()) {
      assertThat(r.winner().validationCost()).isLessThanOrEqualTo(t.validationCost());
    }
    assertThat(r.winner().validationCost()).isLessThan(first.validationCost() - 0.01);
    LearnedPolicy p = r.policy();
    assertThat(Evaluation.of(p, PROBLEM.task(), VAL).report().meanCost())
        .isEqualTo(r.winner().validationCost());
    assertThat(p.provenance().options())
        .containsEntry("tune_trials", "8")
        .containsEntry("tune_seed", "42")
        .containsEntry("tune_best_trial", Integer.toString(r.best()))
        .containsEntry("tune_setting", r.winner().setting().asOptions())
        .containsEntry("tune_table", r.csv());
    assertThat(r.csv().lines()).hasSize(9).first().isEqualTo(TuneResult.CSV_HEADER);
    assertThat(r.table()).hasSize(9);
    assertThat(r.table().get(1)).startsWith("*");
  }

  @Test
  void aFailedTrialIsRecordedAndTheOthersStillCount() {
    TrialSetting start = new TrialSetting("ova", 0.003, 0, 5, 2, 0);
    TuneResult r =
        new Tuner(new Tuner.Options(3, 1L, 2, quick()))
            .tune(
                start,
                false,
                PROBLEM.task(),
                VAL,
                s -> {
                  if (s.equals(start)) {
                    throw new IllegalArgumentException("bad trial");
                  }
                  return fit(false).fit(s);
                },
                Tuner.Listener.NONE);
    assertThat(r.trials().get(0).succeeded()).isFalse();
    assertThat(r.trials().get(0).error()).isEqualTo("IllegalArgumentException: bad trial");
    assertThat(r.best()).isNotZero();
    assertThatThrownBy(
            () ->
                new Tuner(new Tuner.Options(2, 1L, 1, quick()))
                    .tune(
                        start,
                        false,
                        PROBLEM.task(),
                        VAL,
                        s -> {
                          throw new IllegalStateException("no");
                        },
                        Tuner.Listener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every tuning trial failed; trial 0: IllegalStateException: no");
    assertThatThrownBy(() -> new Tuner.Options(0, 1L, 1, quick()))
        .hasMessage("tuning needs at least 1 trial, got 0");
  }

  @Test
  void methodParametersAndTheirNames() {
    assertThat(MethodParameter.of("ce:0.5").orElseThrow().method(0.25)).isEqualTo("ce:0.25");
    assertThat(MethodParameter.of("psi:mae").orElseThrow().method(-0.5)).isEqualTo("psi:q:-0.5");
    assertThat(Surrogates.byName("psi:q:-0.5").name()).isEqualTo("psi:q:-0.5");
    assertThat(MethodParameter.of("2s-comp:1").orElseThrow().symbol()).isEqualTo("nu");
    assertThat(MethodParameter.of("decoupled").orElseThrow().logScale()).isTrue();
    assertThat(MethodParameter.of("ova")).isEmpty();
    SplittableRandom rng = new SplittableRandom(3);
    MethodParameter nu = MethodParameter.of("topk").orElseThrow();
    for (int i = 0; i < 100; i++) {
      double v = nu.draw(rng);
      assertThat(v).isBetween(0.0, 2.0);
      assertThat(Surrogates.byName(nu.method(v))).isNotNull();
    }
  }
}
