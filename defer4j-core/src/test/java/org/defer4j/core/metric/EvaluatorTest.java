package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's point metrics, order and thread independence, fees and refusals. Hand-derived
 * numbers refer to the table of {@link SixCases}; the one-stage case to {@link EvaluationTest}.
 */
class EvaluatorTest {
  private static final double TOL = 1e-12;
  private static final Evaluator QUICK =
      new Evaluator(Evaluator.Options.defaults().withResamples(200).withThreads(1));

  /** learned, model alone, b alone and the oracle on the six cases under {@code task}. */
  private static List<Evaluator.Entry> entries(TaskSpec task, TaskSpec trainedFor) {
    CostMatrix c = SixCases.costs(task);
    Decisions d = SixCases.learnedDecisions(task);
    return List.of(
        Evaluator.Entry.learned("learned", d, LearnedPolicy.margins(d), c, trainedFor),
        Evaluator.Entry.baseline("model", SixCases.all(task, 0), c),
        Evaluator.Entry.baseline("expert:b", SixCases.all(task, 2), c),
        Evaluator.Entry.oracle(c));
  }

  private static EvaluationResult six(TaskSpec task, TaskSpec trainedFor) {
    return QUICK.evaluate(task, SixCases.table(), entries(task, trainedFor));
  }

  @Test
  void costSplitsIntoErrorAndFeeAndSumsToTheMeanCost() {
    EvaluationResult r = six(SixCases.task(), SixCases.task());
    // learned: every chosen agent right, fees .1 + .2 + .1 + .2 + 0 + .3 = 0.9 -> fee 0.15, error
    // 0.
    PolicyResult.CostSplit l = r.policy("learned").cost();
    assertThat(l.total()).isCloseTo(0.15, within(TOL));
    assertThat(l.fee()).isCloseTo(0.15, within(TOL));
    assertThat(l.error()).isCloseTo(0, within(TOL));
    // b alone: fee 0.2 on every row; wrong on rows 0 and 5 -> error 2/6; cost 3.2/6.
    PolicyResult.CostSplit b = r.policy("expert:b").cost();
    assertThat(b.fee()).isCloseTo(0.2, within(TOL));
    assertThat(b.error()).isCloseTo(2 / 6.0, within(TOL));
    assertThat(b.total()).isCloseTo(3.2 / 6, within(TOL));
    // The model: no fee, wrong on rows 2, 3, 5.
    PolicyResult.CostSplit m = r.policy("model").cost();
    assertThat(m.fee()).isZero();
    assertThat(m.error()).isCloseTo(0.5, within(TOL));
    for (PolicyResult p : r.policies()) {
      assertThat(p.cost().error() + p.cost().fee()).isCloseTo(p.meanCost(), within(TOL));
      assertThat(p.cost().total()).isEqualTo(p.meanCost());
    }
  }

  @Test
  void workloadCountsSharesAndAccuracyPerAgent() {
    EvaluationResult r = six(SixCases.task(), SixCases.task());
    // learned: m keeps row 4; a gets rows 0, 2; b rows 1, 3; c row 5 — all right.
    PolicyResult l = r.policy("learned");
    assertThat(l.workload())
        .extracting(PolicyResult.Workload::agent)
        .containsExactly("m", "a", "b", "c");
    assertThat(l.workload()).extracting(PolicyResult.Workload::cases).containsExactly(1, 2, 2, 1);
    assertThat(l.workload("a").share()).isCloseTo(2 / 6.0, within(TOL));
    assertThat(l.workload("a").meanCost()).isCloseTo(0.1, within(TOL));
    assertThat(l.workload("c").accuracy()).isEqualTo(1.0);
    // b alone: 6 cases, right on rows 1, 2, 3, 4; nothing for the others (NaN accuracy).
    PolicyResult b = r.policy("expert:b");
    assertThat(b.workload("b").cases()).isEqualTo(6);
    assertThat(b.workload("b").share()).isEqualTo(1.0);
    assertThat(b.workload("b").accuracy()).isCloseTo(4 / 6.0, within(TOL));
    assertThat(b.workload("a").cases()).isZero();
    assertThat(b.workload("a").accuracy()).isNaN();
    assertThat(b.report().expertAccuracy().get("b")).isEqualTo(b.workload("b").accuracy());
  }

  @Test
  void pointMetricsAreThoseOfDeferralMetrics() {
    // A random weighted, grouped table with unavailable cells: the evaluator's DeferralReport must
    // equal DeferralMetrics.evaluate bit for bit (same sums in the same order).
    SplittableRandom rng = new SplittableRandom(3);
    int n = 500;
    TaskSpec task = SixCases.task();
    double[] cost = new double[n * 4];
    byte[] correct = new byte[n * 4];
    int[] chosen = new int[n];
    double[] weights = new double[n];
    String[] groups = new String[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        boolean seen = j == 0 || rng.nextInt(4) > 0;
        int k = rng.nextInt(2);
        cost[i * 4 + j] = seen ? 1 - k + 0.1 * j : Double.NaN;
        correct[i * 4 + j] = seen ? (byte) k : CostMatrix.UNKNOWN;
      }
      do {
        chosen[i] = rng.nextInt(4);
      } while (Double.isNaN(cost[i * 4 + chosen[i]]));
      weights[i] = rng.nextInt(3) + rng.nextDouble();
      groups[i] = "g" + rng.nextInt(3);
    }
    CostMatrix c = new CostMatrix(task.agents(), n, cost, correct);
    DeferralTable t = DeferralTable.builder("w.csv", n).weights(weights).groups(groups).build();
    Decisions d = Decisions.builder(task.agents(), chosen).build();
    EvaluationResult r = QUICK.evaluate(task, t, List.of(Evaluator.Entry.baseline("random", d, c)));
    assertThat(r.policy("random").report()).isEqualTo(DeferralMetrics.evaluate(c, d, t));
    assertThat(r.policy("random").report().groups()).containsOnlyKeys("g0", "g1", "g2");
  }

  @Test
  void resultsDoNotDependOnTheOrderOfEntries() {
    TaskSpec task = SixCases.task();
    List<Evaluator.Entry> e = new ArrayList<>(entries(task, task));
    EvaluationResult a = QUICK.evaluate(task, SixCases.table(), e);
    Collections.reverse(e);
    EvaluationResult b = QUICK.evaluate(task, SixCases.table(), e);
    assertThat(b.policies().get(0).name()).isEqualTo(Oracle.NAME);
    for (PolicyResult p : a.policies()) {
      assertThat(b.policy(p.name())).isEqualTo(p);
    }
    assertThat(b.bestBaseline()).isEqualTo(a.bestBaseline());
  }

  @Test
  void differencesAreTakenAgainstTheCheapestBaseline() {
    EvaluationResult r = six(SixCases.task(), SixCases.task());
    // model 3/6 = 0.5 < b alone 3.2/6: the model is the best baseline; the oracle is a reference
    // and is never chosen although it is cheaper.
    assertThat(r.bestBaseline()).contains("model");
    PolicyResult l = r.policy("learned");
    assertThat(l.costDifference().estimate()).isCloseTo(0.15 - 0.5, within(TOL));
    assertThat(l.accuracyDifference().estimate()).isCloseTo(1 - 0.5, within(TOL));
    PolicyResult m = r.policy("model");
    assertThat(m.costDifference().lower()).isZero();
    assertThat(m.costDifference().upper()).isZero();
    // Without a baseline there are no differences.
    TaskSpec task = SixCases.task();
    EvaluationResult none =
        QUICK.evaluate(
            task, SixCases.table(), List.of(Evaluator.Entry.oracle(SixCases.costs(task))));
    assertThat(none.bestBaseline()).isEmpty();
    assertThat(none.policy(Oracle.NAME).costDifference()).isNull();
  }

  @Test
  void changingAFeeChangesEveryAffectedCostAndNothingElse() {
    // b's fee 0.2 -> 0.5. The learned policy sends rows 1 and 3 to b: its cost and fee part rise
    // by 0.3·2/6 = 0.1; b alone rises by 0.3. The model alone never pays b: identical result.
    // Accuracy, coverage, allocation and workload counts do not depend on fees.
    TaskSpec before = SixCases.task(0.1, 0.2, 0.3);
    TaskSpec after = SixCases.task(0.1, 0.5, 0.3);
    EvaluationResult r0 = six(before, before);
    EvaluationResult r1 = six(after, before);
    double[] rise = {0.1, 0.0, 0.3};
    String[] names = {"learned", "model", "expert:b"};
    for (int k = 0; k < names.length; k++) {
      PolicyResult p0 = r0.policy(names[k]);
      PolicyResult p1 = r1.policy(names[k]);
      assertThat(p1.meanCost() - p0.meanCost()).isCloseTo(rise[k], within(TOL));
      assertThat(p1.cost().fee() - p0.cost().fee()).isCloseTo(rise[k], within(TOL));
      assertThat(p1.cost().error()).isCloseTo(p0.cost().error(), within(TOL));
      assertThat(p1.systemAccuracy()).isEqualTo(p0.systemAccuracy());
      assertThat(p1.accuracyInterval()).isEqualTo(p0.accuracyInterval());
      assertThat(p1.report().allocation()).isEqualTo(p0.report().allocation());
      assertThat(p1.workload())
          .extracting(PolicyResult.Workload::cases)
          .isEqualTo(p0.workload().stream().map(PolicyResult.Workload::cases).toList());
    }
    PolicyResult m0 = r0.policy("model");
    PolicyResult m1 = r1.policy("model");
    assertThat(m1.report()).isEqualTo(m0.report());
    assertThat(m1.costInterval()).isEqualTo(m0.costInterval());
    assertThat(m1.workload()).isEqualTo(m0.workload());
    // The learned policy was trained under b's old fee: the result says so.
    assertThat(r0.notes()).isEmpty();
    assertThat(r1.notes())
        .singleElement()
        .asString()
        .contains("policy 'learned' was trained under other fees")
        .contains("fee of 'b' 0.2 → 0.5");
    assertThat(r1.policy("learned").notes()).isEqualTo(r1.notes());
  }

  @Test
  void oneStagePolicyEntryScoresItsOwnAnswers() {
    // EvaluationTest's policy and table: decisions m, e1, e1, m; costs 0, 0.1, 1.1, 1 -> 0.55.
    // Margins 0.5 − |x| = −1.5, 0.3, 0.2, −1.0; keep order rows 0, 3, 2, 1. Model costs 0, 1, 0,
    // 1; e1 costs 1.1, 0.1, 1.1, 0.1. Curve costs (×4): 2.4, 1.3, 2.2, 1.1, 2.0 — the policy's own
    // point (coverage 1/2, 2.2/4 = 0.55) is the middle vertex.
    LearnedPolicy p = EvaluationTest.policy();
    DeferralTable t = EvaluationTest.table();
    TaskSpec task = p.task();
    Evaluator.Entry e = Evaluator.Entry.learned(p, task, t);
    PolicyResult r = QUICK.evaluate(task, t, List.of(e)).policy(p.name());
    assertThat(r.meanCost()).isCloseTo(0.55, within(TOL));
    double[] expected = {2.4 / 4, 1.3 / 4, 2.2 / 4, 1.1 / 4, 2.0 / 4};
    assertThat(r.marginCurve().size()).isEqualTo(5);
    for (int k = 0; k < 5; k++) {
      assertThat(r.marginCurve().point(k).cost()).isCloseTo(expected[k], within(TOL));
    }
    assertThat(r.marginCurve().point(2).coverage()).isEqualTo(0.5);
    // Evaluated under e1's fee 0.4: costs +0.3 on the two deferred rows, and a note.
    TaskSpec dearer =
        TaskSpec.classification(List.of("0", "1"), null, List.of(Agent.expert("e1", 0.4)));
    EvaluationResult d = QUICK.evaluate(dearer, t, List.of(Evaluator.Entry.learned(p, dearer, t)));
    assertThat(d.policy(p.name()).meanCost()).isCloseTo(0.55 + 0.15, within(TOL));
    assertThat(d.notes()).singleElement().asString().contains("fee of 'e1' 0.1 → 0.4");
  }

  @Test
  void baselinePolicyEntryDecidesUnderTheObservedAvailability() {
    // b did not see row 2: "expert:b" falls back to the first available agent (the model) there.
    TaskSpec task = SixCases.task();
    DeferralTable full = SixCases.table();
    int[] said = new int[6];
    for (int i = 0; i < 6; i++) {
      said[i] = full.agent("b").predictedClass(i);
    }
    said[2] = AgentColumns.UNOBSERVED;
    DeferralTable t = full.withAgent("b", new AgentColumns(6, said, null, null, 0, null));
    CostMatrix c = new CostModel(task).costs(t);
    Evaluator.Entry e = Evaluator.Entry.baseline(Policies.expert("b"), task, t, c);
    PolicyResult r = QUICK.evaluate(task, t, List.of(e)).policy("expert:b");
    assertThat(r.report().fallbackCount()).isEqualTo(1);
    assertThat(r.workload("m").cases()).isEqualTo(1);
    assertThat(e.decisions().availability().available(2, 2)).isFalse();
  }

  @Test
  void refusesAnEmptyTable() {
    TaskSpec task = SixCases.task();
    DeferralTable empty = DeferralTable.builder("empty.csv", 0).build();
    CostMatrix c = new CostMatrix(task.agents(), 0, new double[0], new byte[0]);
    assertThatThrownBy(
            () ->
                QUICK.evaluate(
                    task,
                    empty,
                    List.of(Evaluator.Entry.baseline("model", Decisions.of(new int[0]), c))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty.csv: the table has no rows, so there is nothing to evaluate");
  }

  @Test
  void refusesDuplicateNamesAndEntriesThatDoNotFit() {
    TaskSpec task = SixCases.task();
    DeferralTable t = SixCases.table();
    CostMatrix c = SixCases.costs(task);
    Evaluator.Entry m = Evaluator.Entry.baseline("model", SixCases.all(task, 0), c);
    assertThatThrownBy(() -> QUICK.evaluate(task, t, List.of(m, m)))
        .hasMessageContaining("entry name 'model' is given twice; entry names must be unique");
    assertThatThrownBy(() -> QUICK.evaluate(task, t, List.of()))
        .hasMessageContaining("give at least one entry");
    Evaluator.Entry short4 = Evaluator.Entry.baseline("short", Decisions.of(new int[4]), c);
    assertThatThrownBy(() -> QUICK.evaluate(task, t, List.of(short4)))
        .hasMessage("entry 'short': its decisions cover 4 rows, the table six.csv has 6");
    // Costs computed under another fee than the evaluation task's.
    CostMatrix other = SixCases.costs(SixCases.task(0.1, 0.9, 0.3));
    Evaluator.Entry stale = Evaluator.Entry.baseline("stale", SixCases.all(task, 0), other);
    assertThatThrownBy(() -> QUICK.evaluate(task, t, List.of(stale)))
        .hasMessageContaining("entry 'stale': its costs were computed with fee 0.9")
        .hasMessageContaining("the evaluation task gives 0.2");
    // Margins with a NaN, and margins on a baseline.
    Decisions d = SixCases.learnedDecisions(task);
    double[] bad = LearnedPolicy.margins(d);
    bad[3] = Double.NaN;
    assertThatThrownBy(
            () -> QUICK.evaluate(task, t, List.of(Evaluator.Entry.learned("l", d, bad, c, task))))
        .hasMessage("entry 'l': the margin of row 4 is NaN");
    assertThatThrownBy(
            () -> new Evaluator.Entry("b", Evaluator.Kind.BASELINE, d, new double[6], c, null))
        .hasMessageContaining("only LEARNED entries carry margins");
  }

  @Test
  void refusesADecisionOnAnUnavailableAgent() {
    TaskSpec task = SixCases.task();
    double[] cost = new double[24];
    byte[] k = new byte[24];
    CostMatrix full = SixCases.costs(task);
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 4; j++) {
        cost[i * 4 + j] = full.cost(i, j);
        k[i * 4 + j] = full.correct(i, j);
      }
    }
    cost[2 * 4 + 2] = Double.NaN;
    k[2 * 4 + 2] = CostMatrix.UNKNOWN;
    CostMatrix c = new CostMatrix(task.agents(), 6, cost, k);
    assertThatThrownBy(
            () ->
                QUICK.evaluate(
                    task,
                    SixCases.table(),
                    List.of(Evaluator.Entry.baseline("b", SixCases.all(task, 2), c))))
        .hasMessageContaining("entry 'b': row 3: the decision chooses agent 'b', which is")
        .hasMessageContaining("unavailable there");
  }

  @Test
  void refusesALearnedPolicyOfAnotherTask() {
    TaskSpec task = SixCases.task();
    TaskSpec otherAgents =
        TaskSpec.classification(
            List.of("0", "1"),
            "m",
            List.of(Agent.expert("a", 0.1), Agent.expert("c", 0.3), Agent.expert("b", 0.2)));
    assertThatThrownBy(() -> six(task, otherAgents))
        .hasMessageContaining("policy 'learned' was trained for a classification task with agents")
        .hasMessageContaining("[m, a, c, b]")
        .hasMessageContaining("but the evaluation task is a classification task with agents")
        .hasMessageContaining("[m, a, b, c]")
        .hasMessageContaining("the agents differ");
  }

  @Test
  void optionsAreValidated() {
    assertThat(Evaluator.Options.defaults().resamples()).isEqualTo(1000);
    assertThat(Evaluator.Options.defaults().level()).isEqualTo(0.95);
    assertThat(Evaluator.Options.defaults().threads())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThatThrownBy(() -> Evaluator.Options.defaults().withLevel(1))
        .hasMessageContaining("confidence level must be in (0, 1), got 1.0");
    assertThatThrownBy(() -> Evaluator.Options.defaults().withThreads(0))
        .hasMessageContaining("threads must be > 0, got 0");
    assertThatThrownBy(() -> Evaluator.Options.defaults().withResamples(-1))
        .hasMessageContaining("bootstrap resamples must be >= 0, got -1");
    // No resamples: point estimates with NaN bounds.
    TaskSpec task = SixCases.task();
    EvaluationResult r =
        new Evaluator(Evaluator.Options.defaults().withResamples(0))
            .evaluate(task, SixCases.table(), entries(task, task));
    assertThat(r.policy("learned").costInterval().estimate()).isCloseTo(0.15, within(TOL));
    assertThat(r.policy("learned").costInterval().lower()).isNaN();
  }

  @Test
  void availabilityOfThePolicyAndOfTheCostsAgree() {
    // Sanity of SixCases: the observed availability is everything.
    TaskSpec task = SixCases.task();
    Availability av = Availability.observed(task, SixCases.table());
    for (int i = 0; i < 6; i++) {
      assertThat(av.availableNames(i)).containsExactly("m", "a", "b", "c");
    }
  }
}
