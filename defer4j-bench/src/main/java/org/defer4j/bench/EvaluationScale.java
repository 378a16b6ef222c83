package org.defer4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.metric.PolicyResult;
import org.defer4j.core.model.LinearScorer;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;

/**
 * How long {@link Evaluator#evaluate} takes as the table grows: a synthetic two-stage table of n
 * rows (32 Gaussian features, 3 classes, a frozen model and 4 experts with fees 0.05–0.2, the
 * fourth expert seeing 70% of the cases), one learned policy (a linear rejector over the agents
 * with seeded random weights, argmax rule) with its decisions and margins, and the oracle;
 * evaluated with the default options (1000 Poisson bootstrap resamples, level 0.95, intervals,
 * paired differences, margin, oracle and random curves) on every available processor.
 *
 * <p>Only {@code evaluate} is timed; deciding the cases and computing the cost matrix are timed
 * once per size for context. Each size is run {@code REPS} times after one untimed warm-up run; the
 * table gives the minimum and the median, and the 1-minute load average before and after (from
 * {@code /proc/loadavg}, as {@code uptime} prints it).
 *
 * <p>Usage: {@code java [-Dresamples=R] [-Dthreads=T] -cp defer4j-bench.jar
 * org.defer4j.bench.EvaluationScale [REPS] [N...]} (defaults: 3 repetitions of n = 10 000, 200 000
 * and 1 000 000; R = 1000; T = the available processors).
 */
public final class EvaluationScale {
  private static final int FEATURES = 32;
  private static final int EXPERTS = 4;
  private static final List<String> CLASSES = List.of("a", "b", "c");

  private EvaluationScale() {}

  /** Runs the measurement and prints a Markdown table. */
  public static void main(String[] args) throws IOException {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {10_000, 200_000, 1_000_000};
    TaskSpec task = task();
    LearnedPolicy policy = policy(task);
    Evaluator.Options defaults = Evaluator.Options.defaults();
    Evaluator evaluator =
        new Evaluator(
            defaults
                .withResamples(Integer.getInteger("resamples", defaults.resamples()))
                .withThreads(Integer.getInteger("threads", defaults.threads())));
    Evaluator.Options o = evaluator.options();
    System.out.printf(
        Locale.ROOT,
        "evaluate: %d resamples, level %.2f, %d threads; %d features, %d experts; JVM max heap %d"
            + " MiB%n%n",
        o.resamples(),
        o.level(),
        o.threads(),
        FEATURES,
        EXPERTS,
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println(
        "| n | decide (s) | costs (s) | evaluate min (s) | evaluate median (s) | runs |"
            + " load before → after | learned cost [95% CI] | Δ vs oracle curve area |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---|---|---:|");
    for (int n : sizes) {
      DeferralTable table = table(n, new SplittableRandom(n));
      long t0 = System.nanoTime();
      Decisions d = policy.decide(table, Availability.observed(task, table));
      double[] margins = LearnedPolicy.margins(d);
      long t1 = System.nanoTime();
      CostMatrix costs = new CostModel(task).costs(table);
      long t2 = System.nanoTime();
      List<Evaluator.Entry> entries =
          List.of(
              Evaluator.Entry.learned(policy.name(), d, margins, costs, policy.task()),
              Evaluator.Entry.oracle(costs));
      evaluator.evaluate(task, table, entries);
      String loadBefore = load();
      double[] times = new double[reps];
      EvaluationResult result = null;
      for (int r = 0; r < reps; r++) {
        long s = System.nanoTime();
        result = evaluator.evaluate(task, table, entries);
        times[r] = (System.nanoTime() - s) / 1e9;
      }
      String loadAfter = load();
      Arrays.sort(times);
      PolicyResult l = result.policy(policy.name());
      System.out.printf(
          Locale.ROOT,
          "| %,d | %.2f | %.2f | %.2f | %.2f | %s | %s → %s | %.4f [%.4f, %.4f] | %.4f |%n",
          n,
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          times[0],
          times[reps / 2],
          format(times),
          loadBefore,
          loadAfter,
          l.meanCost(),
          l.costInterval().lower(),
          l.costInterval().upper(),
          l.marginCurve().areaUnderCost() - l.oracleCurve().areaUnderCost());
    }
  }

  private static String format(double[] times) {
    List<String> s = new ArrayList<>();
    for (double t : times) {
      s.add(String.format(Locale.ROOT, "%.2f", t));
    }
    return String.join(", ", s);
  }

  private static String load() throws IOException {
    Path p = Path.of("/proc/loadavg");
    return Files.exists(p) ? Files.readString(p).split(" ")[0] : "n/a";
  }

  static TaskSpec task() {
    List<Agent> experts = new ArrayList<>();
    for (int j = 1; j <= EXPERTS; j++) {
      experts.add(Agent.expert("e" + j, 0.05 * j));
    }
    return TaskSpec.classification(CLASSES, "m", experts);
  }

  /** A linear rejector over the agents (AGENTS head, argmax) with seeded random weights. */
  static LearnedPolicy policy(TaskSpec task) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < FEATURES; k++) {
      names.add("f" + k);
    }
    LinearScorer s = Scorers.linear(FEATURES, EXPERTS + 1, new SplittableRandom(42));
    return new LearnedPolicy(
            task,
            FeaturePipeline.of(names, List.of()),
            s,
            ScoreHead.AGENTS,
            DecisionRules.argmax(),
            Provenance.of("synthetic-linear"))
        .withName("learned");
  }

  /**
   * n cases: features N(0, 1); the model is right with probability σ(x_0); expert j with
   * probability 0.55 + 0.1·j when x_j &gt; 0 and 0.85 − 0.1·j otherwise; expert 4 sees 70% of the
   * cases. A wrong answer is a uniformly drawn other class.
   */
  static DeferralTable table(int n, SplittableRandom rng) {
    double[] x = new double[n * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    int[] y = new int[n];
    int[][] said = new int[EXPERTS + 1][n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(CLASSES.size());
      for (int j = 0; j <= EXPERTS; j++) {
        double xi = x[i * FEATURES + j];
        double p = j == 0 ? 1 / (1 + Math.exp(-xi)) : xi > 0 ? 0.55 + 0.1 * j : 0.85 - 0.1 * j;
        boolean right = rng.nextDouble() < p;
        said[j][i] = right ? y[i] : (y[i] + 1 + rng.nextInt(CLASSES.size() - 1)) % CLASSES.size();
        if (j == EXPERTS && rng.nextDouble() < 0.3) {
          said[j][i] = AgentColumns.UNOBSERVED;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < FEATURES; k++) {
      names.add("f" + k);
    }
    DeferralTable.Builder b =
        DeferralTable.builder("synthetic-" + n, n).features(names, x).labels(y);
    b.agent("m", new AgentColumns(n, said[0], null, null, 0, null));
    for (int j = 1; j <= EXPERTS; j++) {
      b.agent("e" + j, new AgentColumns(n, said[j], null, null, 0, null));
    }
    return b.build();
  }
}
