package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's contract beyond {@link EvaluatorTest}: options and entries as values, the choice
 * of the best baseline (position and ties), intervals of entries without known correctness, group
 * order, refusals of malformed entries, multi-task metrics, and how failures of its tasks come out.
 * Numbers refer to {@link SixCases} (model alone: mean cost 3/6, accuracy 3/6; expert b alone: cost
 * 3.2/6; learned: cost 0.15) and to {@link MultiTaskMetricsTest}.
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted:
 *
 * <ul>
 *   <li>Evaluator:302 ({@code threads > 1} → {@code >= 1}, and negated) and :307 (no {@code
 *       setDaemon}): whether the work runs on a pool or on the caller's thread changes no result
 *       (tested: identical for 1, 2 and 3 threads), and the pool is shut down before {@code
 *       evaluate} returns, so its threads being daemons is not observable either.
 *   <li>Evaluator:437, {@code name.compareTo(best) < 0} → {@code <= 0}: names are unique, so the
 *       comparison is never 0.
 *   <li>Evaluator:473 and :475 ({@code total > 0} → {@code >= 0}): a resample of total weight 0 has
 *       every Poisson count times weight 0, so its sums are 0 too and 0/0 is the same NaN; :475 and
 *       :490 ({@code correctColumn[e] > 0} → {@code >= 0}): a correctness column is −1 or ≥ 2,
 *       never 0.
 *   <li>Evaluator:754, {@code den > 0} → {@code >= 0} in {@code ratio}: every denominator is a sum
 *       of weights ≥ 0 whose numerator is a sum of the same weights times finite values, so 0/0
 *       gives the same NaN.
 * </ul>
 */
class EvaluatorContractTest {
  private static final double TOL = 1e-12;
  private static final Evaluator QUICK =
      new Evaluator(Evaluator.Options.defaults().withResamples(200).withThreads(1));

  @Test
  void optionsAreValuesAndTheirWithersChangeOneField() {
    Evaluator.Options o = new Evaluator.Options(10, 0.8, 5L, 3);
    assertThat(o.withLevel(0.9)).isEqualTo(new Evaluator.Options(10, 0.9, 5L, 3));
    assertThat(o.withSeed(7L)).isEqualTo(new Evaluator.Options(10, 0.8, 7L, 3));
    assertThat(o.withResamples(4)).isEqualTo(new Evaluator.Options(4, 0.8, 5L, 3));
    assertThat(o.withThreads(1)).isEqualTo(new Evaluator.Options(10, 0.8, 5L, 1));
    assertThatThrownBy(() -> o.withLevel(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence level must be in (0, 1), got 0.0");
    assertThat(new Evaluator(o).options()).isSameAs(o);
    assertThatThrownBy(() -> new Evaluator(null)).hasMessage("options must be given");
  }

  @Test
  void entriesCopyTheirMarginsAndSayWhatTheyAre() {
    TaskSpec task = SixCases.task();
    CostMatrix c = SixCases.costs(task);
    Decisions d = SixCases.learnedDecisions(task);
    double[] margins = LearnedPolicy.margins(d);
    Evaluator.Entry learned = Evaluator.Entry.learned("l", d, margins, c, task);
    assertThat(learned.hasMargins()).isTrue();
    assertThat(learned.margins()).containsExactly(margins).isNotSameAs(margins);
    learned.margins()[0] = 99;
    margins[1] = 99;
    assertThat(learned.margins()).containsExactly(LearnedPolicy.margins(d));
    Evaluator.Entry baseline = Evaluator.Entry.baseline("model", SixCases.all(task, 0), c);
    assertThat(baseline.hasMargins()).isFalse();
    assertThat(baseline.margins()).isNull();
    Evaluator.Entry ref = Evaluator.Entry.reference("hindsight", SixCases.all(task, 1), c);
    assertThat(ref.name()).isEqualTo("hindsight");
    assertThat(ref.kind()).isEqualTo(Evaluator.Kind.REFERENCE);
    assertThat(ref.hasMargins()).isFalse();
    // A reference is reported but never the best baseline, even when it is the only entry.
    EvaluationResult r = QUICK.evaluate(task, SixCases.table(), List.of(ref));
    assertThat(r.bestBaseline()).isEmpty();
    assertThat(r.policy("hindsight").kind()).isEqualTo(Evaluator.Kind.REFERENCE);
  }

  @Test
  void theResultKnowsItsTaskRowsAndOptions() {
    TaskSpec task = SixCases.task();
    Evaluator.Options o = Evaluator.Options.defaults().withResamples(20).withThreads(1);
    EvaluationResult r =
        new Evaluator(o)
            .evaluate(
                task,
                SixCases.table(),
                List.of(
                    Evaluator.Entry.baseline("model", SixCases.all(task, 0), SixCases.costs(task)),
                    Evaluator.Entry.oracle(SixCases.costs(task))));
    assertThat(r.task()).isSameAs(task);
    assertThat(r.rows()).isEqualTo(6);
    assertThat(r.options()).isSameAs(o);
    assertThat(r).hasToString("EvaluationResult[6 rows, 2 entries]");
    assertThatThrownBy(() -> r.policy("nobody"))
        .hasMessage("no entry 'nobody'; entries are [model, oracle]");
  }

  @Test
  void theBestBaselineIsFoundWhereverItStandsAndTiesGoToTheFirstName() {
    TaskSpec task = SixCases.task();
    CostMatrix c = SixCases.costs(task);
    Evaluator.Entry model = Evaluator.Entry.baseline("model", SixCases.all(task, 0), c);
    Evaluator.Entry b = Evaluator.Entry.baseline("expert:b", SixCases.all(task, 2), c);
    // The model (3/6) is cheaper than b (3.2/6), first or second.
    EvaluationResult first = QUICK.evaluate(task, SixCases.table(), List.of(model, b));
    assertThat(first.bestBaseline()).contains("model");
    assertThat(first.policy("expert:b").costDifference().estimate())
        .isCloseTo(0.2 / 6, within(TOL));
    EvaluationResult second = QUICK.evaluate(task, SixCases.table(), List.of(b, model));
    assertThat(second.bestBaseline()).contains("model");
    assertThat(second.policy("expert:b").costDifference().estimate())
        .isCloseTo(0.2 / 6, within(TOL));
    // Two baselines of equal cost: the first name in alphabetical order, not the first given.
    Evaluator.Entry zeta = Evaluator.Entry.baseline("zeta", SixCases.all(task, 0), c);
    Evaluator.Entry alpha = Evaluator.Entry.baseline("alpha", SixCases.all(task, 0), c);
    assertThat(QUICK.evaluate(task, SixCases.table(), List.of(zeta, alpha)).bestBaseline())
        .contains("alpha");
    assertThat(QUICK.evaluate(task, SixCases.table(), List.of(alpha, zeta)).bestBaseline())
        .contains("alpha");
  }

  @Test
  void theBestBaselinesOwnDifferencesAreZero() {
    // Paired resamples: the best baseline minus itself is 0 in every resample, for cost and for
    // accuracy.
    TaskSpec task = SixCases.task();
    CostMatrix c = SixCases.costs(task);
    EvaluationResult r =
        QUICK.evaluate(
            task,
            SixCases.table(),
            List.of(
                Evaluator.Entry.baseline("model", SixCases.all(task, 0), c),
                Evaluator.Entry.baseline("expert:b", SixCases.all(task, 2), c)));
    PolicyResult m = r.policy("model");
    assertThat(m.accuracyDifference().estimate()).isZero();
    assertThat(m.accuracyDifference().lower()).isZero();
    assertThat(m.accuracyDifference().upper()).isZero();
    assertThat(m.costDifference().lower()).isZero();
    assertThat(m.costDifference().upper()).isZero();
    // b: right on 4 of 6, the model on 3 of 6 -> +1/6 accuracy.
    assertThat(r.policy("expert:b").accuracyDifference().estimate())
        .isCloseTo(1 / 6.0, within(TOL));
  }

  @Test
  void unknownCorrectnessGivesNaNAccuracyIntervalsButCostIntervals() {
    TaskSpec task = SixCases.task();
    CostMatrix known = SixCases.costs(task);
    double[] cost = new double[24];
    byte[] unknown = new byte[24];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 4; j++) {
        cost[i * 4 + j] = known.cost(i, j);
        unknown[i * 4 + j] = CostMatrix.UNKNOWN;
      }
    }
    CostMatrix c = new CostMatrix(task.agents(), 6, cost, unknown);
    PolicyResult p =
        QUICK
            .evaluate(
                task,
                SixCases.table(),
                List.of(Evaluator.Entry.baseline("model", SixCases.all(task, 0), c)))
            .policy("model");
    assertThat(p.systemAccuracy()).isNaN();
    assertThat(p.accuracyInterval().lower()).isNaN();
    assertThat(p.accuracyInterval().upper()).isNaN();
    assertThat(p.accuracyInterval().resamples()).isEqualTo(200);
    // The cost is known: mean 3/6 and a real interval around it.
    assertThat(p.costInterval().estimate()).isCloseTo(0.5, within(TOL));
    assertThat(p.costInterval().lower()).isBetween(0.0, 0.5);
  }

  @Test
  void groupsAreReportedInNameOrder() {
    // "BB" and "Aa" have the same String hash, so a hash map keeps them in insertion order (BB
    // first, as in the table); the report must list them sorted.
    TaskSpec task = SixCases.task();
    DeferralTable t = SixCases.table(new String[] {"BB", "BB", "Aa", "BB", "Aa", "Aa"});
    PolicyResult p =
        QUICK
            .evaluate(
                task,
                t,
                List.of(
                    Evaluator.Entry.baseline("model", SixCases.all(task, 0), SixCases.costs(task))))
            .policy("model");
    assertThat(p.report().groups().keySet()).containsExactly("Aa", "BB");
    // Aa: rows 2, 4, 5 (model wrong, right, wrong) -> 1/3; BB: rows 0, 1, 3 -> 2/3.
    assertThat(p.report().groups().get("Aa").n()).isEqualTo(3);
    assertThat(p.report().groups().get("Aa").systemAccuracy()).isCloseTo(1 / 3.0, within(TOL));
    assertThat(p.report().groups().get("BB").systemAccuracy()).isCloseTo(2 / 3.0, within(TOL));
  }

  @Test
  void malformedEntriesAreRefusedWithTheirRowNumbers() {
    TaskSpec task = SixCases.task();
    DeferralTable t = SixCases.table();
    CostMatrix c = SixCases.costs(task);
    Decisions d = SixCases.learnedDecisions(task);
    double[] five = new double[5];
    assertThatThrownBy(
            () -> QUICK.evaluate(task, t, List.of(Evaluator.Entry.learned("l", d, five, c, task))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("margins of entry 'l' has length 5, expected 6");
    double[] seven = new double[7];
    assertThatThrownBy(
            () -> QUICK.evaluate(task, t, List.of(Evaluator.Entry.learned("l", d, seven, c, task))))
        .hasMessage("margins of entry 'l' has length 7, expected 6");
    // Bare decisions (no agent set) naming agent 4 of 4 on the last row.
    Decisions outside = Decisions.of(new int[] {0, 0, 0, 0, 0, 4});
    assertThatThrownBy(
            () -> QUICK.evaluate(task, t, List.of(Evaluator.Entry.baseline("x", outside, c))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entry 'x': the decision of row 6 is agent 4, outside [0, 4)");
    // A decision on an unavailable agent comes out as the IllegalArgumentException it is, with
    // several threads as with one.
    double[] cost = new double[24];
    byte[] k = new byte[24];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 4; j++) {
        cost[i * 4 + j] = j == 2 && i == 2 ? Double.NaN : c.cost(i, j);
        k[i * 4 + j] = j == 2 && i == 2 ? CostMatrix.UNKNOWN : c.correct(i, j);
      }
    }
    CostMatrix holes = new CostMatrix(task.agents(), 6, cost, k);
    List<Evaluator.Entry> bad =
        List.of(Evaluator.Entry.baseline("b", SixCases.all(task, 2), holes));
    for (int threads : new int[] {1, 2}) {
      Evaluator ev =
          new Evaluator(Evaluator.Options.defaults().withResamples(10).withThreads(threads));
      assertThatThrownBy(() -> ev.evaluate(task, t, bad))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("entry 'b': row 3: the decision chooses agent 'b'");
    }
  }

  /** {@link MultiTaskMetricsTest}'s task: classes a, b, frozen model net, expert e1 (fee 0.2). */
  private static TaskSpec multiTask(String model) {
    return new TaskSpec(
        TaskKind.MULTITASK,
        List.of("a", "b"),
        model,
        List.of(Agent.expert("e1", 0.2)),
        new CostWeights(1, 1, RegressionLoss.SMOOTH_L1, 1.0),
        null);
  }

  /** {@link MultiTaskMetricsTest}'s table: y = 0, 1, 1; t = 0, 0, 0; net and e1's answers. */
  private static DeferralTable multiTaskTable() {
    return DeferralTable.builder("mt", 3)
        .labels(new int[] {0, 1, 1})
        .targets(new double[] {0, 0, 0})
        .agent(
            "net",
            new AgentColumns(3, new int[] {0, 0, 1}, new double[] {3, 0.5, 0}, null, 0, null))
        .agent(
            "e1", new AgentColumns(3, new int[] {1, 1, 1}, new double[] {0, 0, -2}, null, 0, null))
        .build();
  }

  @Test
  void multiTaskEntriesGetPerTaskMetrics() {
    // Decisions (net, e1, e1): accuracy 1, mean smooth-L1 (2.5 + 0 + 1.5)/3 = 4/3
    // (MultiTaskMetricsTest.perTaskMetricsOfTheChosenAgents).
    TaskSpec frozen = multiTask("net");
    DeferralTable t = multiTaskTable();
    Decisions d = Decisions.builder(frozen.agents(), new int[] {0, 1, 1}).build();
    EvaluationResult r =
        QUICK.evaluate(
            frozen,
            t,
            List.of(Evaluator.Entry.baseline("router", d, new CostModel(frozen).costs(t))));
    MultiTaskMetrics.Result m = r.policy("router").multiTask();
    assertThat(m).isNotNull();
    assertThat(m.accuracy()).isCloseTo(1.0, within(1e-15));
    assertThat(m.regressionLoss()).isCloseTo(4.0 / 3, within(1e-15));
    // A one-stage policy whose decisions carry the learned model's answers (here the same as
    // net's): the same metrics, read from the decisions.
    TaskSpec learned = multiTask(null);
    Decisions withAnswers =
        Decisions.builder(learned.agents(), new int[] {0, 1, 1})
            .predictedClass(new int[] {0, 0, 1})
            .predictedValue(new double[] {3, 0.5, 0})
            .build();
    EvaluationResult one =
        QUICK.evaluate(
            learned,
            t,
            List.of(
                Evaluator.Entry.baseline(
                    "one-stage", withAnswers, Evaluation.costs(learned, t, withAnswers))));
    MultiTaskMetrics.Result o = one.policy("one-stage").multiTask();
    assertThat(o).isNotNull();
    assertThat(o.accuracy()).isCloseTo(1.0, within(1e-15));
    assertThat(o.regressionLoss()).isCloseTo(4.0 / 3, within(1e-15));
    // Without the learned model's answers there is no model to score: no per-task metrics.
    Decisions experts = Decisions.builder(learned.agents(), new int[] {1, 1, 1}).build();
    double[] cost = new double[6];
    byte[] k = new byte[6];
    CostMatrix fromAnswers = Evaluation.costs(learned, t, withAnswers);
    for (int i = 0; i < 3; i++) {
      cost[2 * i] = Double.NaN;
      k[2 * i] = CostMatrix.UNKNOWN;
      cost[2 * i + 1] = fromAnswers.cost(i, 1);
      k[2 * i + 1] = fromAnswers.correct(i, 1);
    }
    CostMatrix noModel = new CostMatrix(learned.agents(), 3, cost, k);
    EvaluationResult none =
        QUICK.evaluate(learned, t, List.of(Evaluator.Entry.baseline("e1", experts, noModel)));
    assertThat(none.policy("e1").multiTask()).isNull();
    // And a classification task has none either.
    TaskSpec task = SixCases.task();
    assertThat(
            QUICK
                .evaluate(
                    task, SixCases.table(), List.of(Evaluator.Entry.oracle(SixCases.costs(task))))
                .policy(Oracle.NAME)
                .multiTask())
        .isNull();
  }

  /** A future whose wait is interrupted. */
  private static Future<Object> interrupted() {
    return new CompletableFuture<>() {
      @Override
      public Object get() throws InterruptedException {
        throw new InterruptedException();
      }

      @Override
      public Object get(long timeout, TimeUnit unit) throws InterruptedException {
        throw new InterruptedException();
      }
    };
  }

  @Test
  void failuresOfTasksComeOutAsThrown() {
    FutureTask<Object> runtime =
        new FutureTask<>(
            () -> {
              throw new IllegalArgumentException("bad row");
            });
    runtime.run();
    assertThatThrownBy(() -> Evaluator.await(List.of(runtime)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad row");
    FutureTask<Object> error =
        new FutureTask<>(
            () -> {
              throw new AssertionError("broken invariant");
            });
    error.run();
    assertThatThrownBy(() -> Evaluator.await(List.of(error)))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("broken invariant");
    FutureTask<Object> checked =
        new FutureTask<>(
            () -> {
              throw new IOException("disk");
            });
    checked.run();
    assertThatThrownBy(() -> Evaluator.await(List.of(checked)))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasCauseExactlyInstanceOf(IOException.class);
    // Every future is awaited in order; the first failure wins.
    FutureTask<Object> ok = new FutureTask<>(() -> "fine");
    ok.run();
    assertThatThrownBy(() -> Evaluator.await(List.of(ok, runtime, error)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInterruptedWaitRestoresTheInterruptFlag() {
    Future<Object> interrupted = interrupted();
    try {
      assertThatThrownBy(() -> Evaluator.await(List.of(interrupted)))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("evaluation interrupted")
          .hasCauseExactlyInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
