package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Evaluates learned policies, baselines and references on one table under one task, with everything
 * a reviewer needs to trust the comparison: for every entry the metrics of {@link DeferralMetrics},
 * the mean cost split into error and fee, each agent's workload, bootstrap intervals, paired
 * differences against the best baseline, and coverage curves.
 *
 * <p><b>Entries.</b> An {@link Entry} is a name, a {@link Kind}, the decisions, the cost matrix the
 * decisions are scored against (one-stage learned policies fill the model's column with their own
 * answers: {@link Evaluation#costs}), and for learned policies their rejection margins ({@link
 * LearnedPolicy#margins(Decisions)}) and the task they were trained for. Names must be unique.
 *
 * <p><b>Curves</b> (coverage = the share of cases the model answers; see {@link EvaluationResult}
 * for cases that cannot move):
 *
 * <ul>
 *   <li><b>margin curve</b> of a learned entry: the cases with the largest margins are deferred
 *       first, each to the policy's best-scored available expert, the others kept by the model —
 *       the curve clinicalml/human_ai_deferral's {@code compute_coverage_v_acc_curve} samples at
 *       100 quantiles of the rejection score, here exact (one point per distinct margin; tied
 *       margins move together). A threshold rule's decisions are a vertex of it.
 *   <li><b>oracle curve</b>: at coverage c the model keeps the c·n cases where its cost minus the
 *       cheapest available expert's cost is smallest, the rest go to that cheapest expert. The
 *       oracle's own decisions (cheapest agent per case) are a vertex of it.
 *   <li><b>random curve</b>: the expected accuracy and cost of deferring a uniformly random share s
 *       of the cases, each deferred case to expert j with probability proportional to the oracle's
 *       share of cases given to j (restricted to the experts available on the case; uniform when
 *       the oracle defers nothing). Exact expectation, linear in s: a segment.
 * </ul>
 *
 * Each curve sorts its rows once (a radix sort) and sweeps them in one pass; areas are trapezoids.
 *
 * <p><b>Intervals.</b> A one-pass Poisson(1) bootstrap ({@link PoissonBootstrap}): each of R
 * resamples weights every row by an independent Poisson(1) count, the same counts for every entry,
 * so the differences in mean cost and accuracy between an entry and the best baseline (the baseline
 * of lowest mean cost) are paired. Intervals are percentile intervals at the given level (type-7
 * quantiles, as {@link Bootstrap}). Results depend on the seed only: identical for any thread count
 * and any entry order.
 *
 * <p><b>Refusals.</b> An empty table, no entries, duplicate names, decisions or costs of another
 * length, costs over other agents or fees, NaN margins, a learned policy trained for another task
 * kind, other classes or other agents ({@link TaskCheck}). A policy trained under other fees or
 * cost weights is evaluated under the given task with a note.
 *
 * <p>Thread-safe: an evaluator holds only its options; every call uses its own threads, which it
 * stops before returning.
 */
public final class Evaluator {

  /** What an entry is in the comparison. */
  public enum Kind {
    /** A trained policy: gets a margin curve when it has margins, and its task is checked. */
    LEARNED,
    /** A deployable policy users compare against; the cheapest is the reference of differences. */
    BASELINE,
    /** A hindsight reference such as the oracle: reported, never the best baseline. */
    REFERENCE
  }

  /**
   * How intervals are computed.
   *
   * @param resamples bootstrap resamples R ≥ 0 (0: no intervals, their bounds are NaN)
   * @param level the confidence level, in (0, 1)
   * @param seed the seed of the resamples
   * @param threads worker threads ≥ 1 (results do not depend on it)
   */
  public record Options(int resamples, double level, long seed, int threads) {
    /** Validates the options. */
    public Options {
      if (resamples < 0) {
        throw new IllegalArgumentException("bootstrap resamples must be >= 0, got " + resamples);
      }
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
      }
      Checks.checkPositive("threads", threads);
    }

    /** 1000 resamples, level 0.95, seed 0, one thread per available processor. */
    public static Options defaults() {
      return new Options(1000, 0.95, 0L, Runtime.getRuntime().availableProcessors());
    }

    /** These options with another number of resamples. */
    public Options withResamples(int r) {
      return new Options(r, level, seed, threads);
    }

    /** These options with another level. */
    public Options withLevel(double l) {
      return new Options(resamples, l, seed, threads);
    }

    /** These options with another seed. */
    public Options withSeed(long s) {
      return new Options(resamples, level, s, threads);
    }

    /** These options with another number of threads. */
    public Options withThreads(int t) {
      return new Options(resamples, level, seed, t);
    }
  }

  /**
   * One thing to evaluate.
   *
   * @param name its name in the report (unique within an evaluation)
   * @param kind learned, baseline or reference
   * @param decisions its decisions on the table's rows
   * @param margins for a learned policy, each case's rejection margin (best available expert's
   *     score minus the model's; ±∞ allowed, NaN not), or null; copied
   * @param costs the n × A cost matrix its decisions are scored against, under the evaluation task
   * @param trainedFor for a learned policy, the task it was trained for (checked against the
   *     evaluation task), or null
   */
  public record Entry(
      String name,
      Kind kind,
      Decisions decisions,
      double[] margins,
      CostMatrix costs,
      TaskSpec trainedFor) {

    /** Validates the entry and copies the margins. */
    public Entry {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("an entry needs a non-blank name, got '" + name + "'");
      }
      if (kind == null || decisions == null || costs == null) {
        throw new IllegalArgumentException(
            "entry '" + name + "' needs a kind, decisions and a cost matrix");
      }
      if (margins != null && kind != Kind.LEARNED) {
        throw new IllegalArgumentException(
            "entry '" + name + "' is a " + kind + " entry; only LEARNED entries carry margins");
      }
      margins = margins == null ? null : margins.clone();
    }

    /** A copy of the margins, or null. */
    @Override
    public double[] margins() {
      return margins == null ? null : margins.clone();
    }

    /** Whether the entry carries margins (and so gets a margin curve). */
    public boolean hasMargins() {
      return margins != null;
    }

    double[] marginsView() {
      return margins;
    }

    /**
     * A learned policy's entry: checks its task against the evaluation task ({@link TaskCheck}),
     * decides the table's cases under the availability the table records ({@link
     * Availability#observed}), and scores them against {@link Evaluation#costs} (its own answers
     * fill the model's column when it learns the model).
     *
     * @throws IllegalArgumentException when the policy's task is incompatible or the table lacks
     *     what the policy reads
     */
    public static Entry learned(LearnedPolicy policy, TaskSpec task, DeferralTable table) {
      TaskCheck.check(policy.name(), policy.task(), task);
      Decisions d = policy.decide(table, Availability.observed(task, table));
      return new Entry(
          policy.name(),
          Kind.LEARNED,
          d,
          LearnedPolicy.margins(d),
          Evaluation.costs(task, table, d),
          policy.task());
    }

    /** A learned policy's entry from decisions already made. */
    public static Entry learned(
        String name, Decisions decisions, double[] margins, CostMatrix costs, TaskSpec trainedFor) {
      return new Entry(name, Kind.LEARNED, decisions, margins, costs, trainedFor);
    }

    /**
     * A baseline policy's entry: decides the table's cases under {@link Availability#observed} and
     * is scored against {@code costs} (the table's costs, or a learned one-stage policy's, which
     * makes "model" mean that learned model alone).
     */
    public static Entry baseline(
        DeferralPolicy policy, TaskSpec task, DeferralTable table, CostMatrix costs) {
      return new Entry(
          policy.name(),
          Kind.BASELINE,
          policy.decide(table, Availability.observed(task, table)),
          null,
          costs,
          null);
    }

    /** A baseline's entry from decisions already made. */
    public static Entry baseline(String name, Decisions decisions, CostMatrix costs) {
      return new Entry(name, Kind.BASELINE, decisions, null, costs, null);
    }

    /** The oracle ({@link Oracle}) on a cost matrix, named {@value Oracle#NAME}. */
    public static Entry oracle(CostMatrix costs) {
      return new Entry(Oracle.NAME, Kind.REFERENCE, Oracle.decisions(costs), null, costs, null);
    }

    /** A reference's entry from decisions already made. */
    public static Entry reference(String name, Decisions decisions, CostMatrix costs) {
      return new Entry(name, Kind.REFERENCE, decisions, null, costs, null);
    }
  }

  private final Options options;

  /** An evaluator with the given options. */
  public Evaluator(Options options) {
    if (options == null) {
      throw new IllegalArgumentException("options must be given");
    }
    this.options = options;
  }

  /** An evaluator with {@link Options#defaults()}. */
  public Evaluator() {
    this(Options.defaults());
  }

  /** The options. */
  public Options options() {
    return options;
  }

  /**
   * Evaluates the entries on a labelled table under a task.
   *
   * @param task the evaluation task (its fees and weights are the ones every cost was computed
   *     under)
   * @param table the table (weights and groups are read from it)
   * @param entries what to evaluate, with unique names
   * @return the result, entries in the given order
   * @throws IllegalArgumentException on an empty table, no entry, a duplicate name, an entry that
   *     does not fit the table or the task, a decision on an unavailable agent, or a learned policy
   *     trained for another task kind, other classes or other agents
   */
  public EvaluationResult evaluate(TaskSpec task, DeferralTable table, List<Entry> entries) {
    if (task == null || table == null || entries == null) {
      throw new IllegalArgumentException("a task, a table and entries must be given");
    }
    int n = table.rows();
    if (n == 0) {
      throw new IllegalArgumentException(
          table.source() + ": the table has no rows, so there is nothing to evaluate");
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("nothing to evaluate: give at least one entry");
    }
    Map<String, List<String>> notes = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : entries) {
      if (!seen.add(e.name())) {
        throw new IllegalArgumentException(
            "entry name '"
                + e.name()
                + "' is given twice; entry names must be unique (rename one, e.g. with"
                + " LearnedPolicy.withName)");
      }
      notes.put(e.name(), validate(e, task, table));
    }
    double[] w = table.hasWeights() ? DeferralMetrics.weights(table, n) : null;
    Groups groups = Groups.of(table);
    int threads = options.threads();
    ExecutorService pool =
        threads > 1
            ? Executors.newFixedThreadPool(
                threads,
                r -> {
                  Thread t = new Thread(r, "defer4j-evaluate");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    try {
      Map<CostMatrix, Future<CoverageCurves.Reference>> references = new IdentityHashMap<>();
      Map<String, Future<AccuracyCoverageCurve>> marginCurves = new HashMap<>();
      for (Entry e : entries) {
        references.computeIfAbsent(
            e.costs(), c -> submit(pool, () -> CoverageCurves.reference(c, w)));
        if (e.kind() == Kind.LEARNED && e.hasMargins()) {
          marginCurves.put(
              e.name(),
              submit(
                  pool,
                  () ->
                      CoverageCurves.margin(
                          e.name(), e.costs(), e.decisions(), e.marginsView(), w)));
        }
      }
      List<Future<Summary>> summaryFutures = new ArrayList<>();
      for (Entry e : entries) {
        summaryFutures.add(submit(pool, () -> Summary.of(e, task, table, w, groups)));
      }
      List<Summary> summaries = new ArrayList<>();
      for (Future<Summary> f : summaryFutures) {
        summaries.add(get(f));
      }
      Intervals intervals = intervals(entries, summaries, n, w, pool);
      List<PolicyResult> results = new ArrayList<>();
      for (int e = 0; e < entries.size(); e++) {
        Entry entry = entries.get(e);
        Summary s = summaries.get(e);
        CoverageCurves.Reference ref = get(references.get(entry.costs()));
        Future<AccuracyCoverageCurve> mc = marginCurves.get(entry.name());
        results.add(
            new PolicyResult(
                entry.name(),
                entry.kind(),
                s.report,
                s.split,
                s.workload,
                intervals.accuracy[e],
                intervals.cost[e],
                intervals.costDifference == null ? null : intervals.costDifference[e],
                intervals.accuracyDifference == null ? null : intervals.accuracyDifference[e],
                mc == null ? null : get(mc),
                ref.oracle(),
                ref.random(),
                s.multiTask,
                notes.get(entry.name())));
      }
      return new EvaluationResult(task, n, options, results, intervals.bestBaseline);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static List<String> validate(Entry e, TaskSpec task, DeferralTable table) {
    int n = table.rows();
    String name = e.name();
    if (e.decisions().rows() != n) {
      throw new IllegalArgumentException(
          "entry '"
              + name
              + "': its decisions cover "
              + e.decisions().rows()
              + " rows, the table "
              + table.source()
              + " has "
              + n);
    }
    if (e.costs().rows() != n) {
      throw new IllegalArgumentException(
          "entry '"
              + name
              + "': its cost matrix has "
              + e.costs().rows()
              + " rows, the table "
              + table.source()
              + " has "
              + n);
    }
    TaskCheck.checkCosts(name, e.costs(), task);
    if (e.decisions().agentSet() != null
        && !Arrays.equals(e.decisions().agentSet().names(), task.agents().names())) {
      throw new IllegalArgumentException(
          "entry '"
              + name
              + "': its decisions are over agents "
              + List.of(e.decisions().agentSet().names())
              + ", the evaluation task has "
              + List.of(task.agents().names()));
    }
    double[] m = e.marginsView();
    if (m != null) {
      Checks.checkDimension("margins of entry '" + name + "'", m.length, n);
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(m[i])) {
          throw new IllegalArgumentException(
              "entry '" + name + "': the margin of row " + (i + 1) + " is NaN");
        }
      }
    }
    if (e.kind() == Kind.LEARNED && e.trainedFor() != null) {
      return TaskCheck.check(name, e.trainedFor(), task);
    }
    return List.of();
  }

  /** Every entry's intervals and differences from one shared set of resamples. */
  private Intervals intervals(
      List<Entry> entries, List<Summary> summaries, int n, double[] w, ExecutorService pool) {
    int count = entries.size();
    int resamples = options.resamples();
    double level = options.level();
    String best = null;
    int bestIndex = -1;
    for (int e = 0; e < count; e++) {
      if (entries.get(e).kind() != Kind.BASELINE) {
        continue;
      }
      double c = summaries.get(e).report.meanCost();
      if (Double.isNaN(c)) {
        continue;
      }
      String name = entries.get(e).name();
      double bc = bestIndex < 0 ? Double.NaN : summaries.get(bestIndex).report.meanCost();
      if (bestIndex < 0 || c < bc || (c == bc && name.compareTo(best) < 0)) {
        best = name;
        bestIndex = e;
      }
    }
    List<double[]> columns = new ArrayList<>();
    int[] costColumn = new int[count];
    int[] correctColumn = new int[count];
    for (int e = 0; e < count; e++) {
      Summary s = summaries.get(e);
      costColumn[e] = columns.size() + 1;
      columns.add(s.costColumn);
      if (s.correctColumn != null) {
        correctColumn[e] = columns.size() + 1;
        columns.add(s.correctColumn);
      } else {
        correctColumn[e] = -1;
      }
    }
    int width = columns.size() + 1;
    double[] sums =
        resamples == 0
            ? new double[0]
            : PoissonBootstrap.sums(
                n,
                w,
                columns.toArray(new double[0][]),
                resamples,
                options.seed(),
                pool,
                options.threads());
    double[][] repCost = new double[count][];
    double[][] repAcc = new double[count][];
    for (int e = 0; e < count; e++) {
      repCost[e] = PoissonBootstrap.means(sums, width, costColumn[e], resamples);
      repAcc[e] =
          correctColumn[e] > 0
              ? PoissonBootstrap.means(sums, width, correctColumn[e], resamples)
              : nans(resamples);
    }
    Intervals out = new Intervals();
    out.bestBaseline = best;
    out.cost = new Bootstrap.Interval[count];
    out.accuracy = new Bootstrap.Interval[count];
    for (int e = 0; e < count; e++) {
      DeferralReport rep = summaries.get(e).report;
      out.cost[e] = Bootstrap.percentile(rep.meanCost(), repCost[e], level, resamples);
      out.accuracy[e] = Bootstrap.percentile(rep.systemAccuracy(), repAcc[e], level, resamples);
    }
    if (bestIndex >= 0) {
      out.costDifference = new Bootstrap.Interval[count];
      out.accuracyDifference = new Bootstrap.Interval[count];
      DeferralReport b = summaries.get(bestIndex).report;
      for (int e = 0; e < count; e++) {
        DeferralReport rep = summaries.get(e).report;
        double[] dc = new double[resamples];
        double[] da = new double[resamples];
        for (int r = 0; r < resamples; r++) {
          dc[r] = repCost[e][r] - repCost[bestIndex][r];
          da[r] = repAcc[e][r] - repAcc[bestIndex][r];
        }
        out.costDifference[e] =
            Bootstrap.percentile(rep.meanCost() - b.meanCost(), dc, level, resamples);
        out.accuracyDifference[e] =
            Bootstrap.percentile(rep.systemAccuracy() - b.systemAccuracy(), da, level, resamples);
      }
    }
    return out;
  }

  static double[] nans(int r) {
    double[] v = new double[r];
    Arrays.fill(v, Double.NaN);
    return v;
  }

  private static <T> Future<T> submit(ExecutorService pool, Callable<T> task) {
    if (pool != null) {
      return pool.submit(task);
    }
    java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
    f.run();
    return f;
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Waits for every future, rethrowing the first failure as it was thrown. */
  static void await(List<? extends Future<?>> futures) {
    for (Future<?> f : futures) {
      get(f);
    }
  }

  private static final class Intervals {
    String bestBaseline;
    Bootstrap.Interval[] cost;
    Bootstrap.Interval[] accuracy;
    Bootstrap.Interval[] costDifference;
    Bootstrap.Interval[] accuracyDifference;
  }

  /** The table's groups: each row's index into the sorted group names. */
  private record Groups(String[] names, int[] of) {
    static Groups of(DeferralTable table) {
      if (!table.hasGroups()) {
        return null;
      }
      int n = table.rows();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String g = table.group(i);
        if (g == null) {
          throw new IllegalArgumentException(table.source() + ": row " + i + " has no group");
        }
        index.putIfAbsent(g, 0);
      }
      String[] names = index.keySet().toArray(new String[0]);
      Arrays.sort(names);
      for (int k = 0; k < names.length; k++) {
        index.put(names[k], k);
      }
      int[] of = new int[n];
      for (int i = 0; i < n; i++) {
        of[i] = index.get(table.group(i));
      }
      return new Groups(names, of);
    }
  }

  /** One entry's point metrics and its bootstrap columns, from one pass over the rows. */
  private static final class Summary {
    DeferralReport report;
    PolicyResult.CostSplit split;
    List<PolicyResult.Workload> workload;
    double[] costColumn;
    double[] correctColumn;
    MultiTaskMetrics.Result multiTask;

    static Summary of(Entry entry, TaskSpec task, DeferralTable table, double[] w, Groups groups) {
      CostMatrix costs = entry.costs();
      Decisions d = entry.decisions();
      int n = costs.rows();
      int a = costs.agentCount();
      String[] agents = costs.agents().names();
      double[] fees = costs.agents().fees();
      int[] r = d.agents();
      int g = groups == null ? 0 : groups.names().length;
      double total = 0;
      double cost = 0;
      double fee = 0;
      double error = 0;
      double correct = 0;
      boolean unknown = false;
      double[] agentWeight = new double[a];
      int[] agentCases = new int[a];
      double[] agentCost = new double[a];
      double[] agentCorrect = new double[a];
      boolean[] agentUnknown = new boolean[a];
      double[] gTotal = new double[g];
      double[] gCost = new double[g];
      double[] gCorrect = new double[g];
      boolean[] gUnknown = new boolean[g];
      int[] gRows = new int[g];
      double[] gAgentWeight = new double[g * a];
      double[] costColumn = new double[n];
      double[] correctColumn = new double[n];
      for (int i = 0; i < n; i++) {
        int j = r[i];
        if (j < 0 || j >= a) {
          throw new IllegalArgumentException(
              "entry '"
                  + entry.name()
                  + "': the decision of row "
                  + (i + 1)
                  + " is agent "
                  + j
                  + ", outside [0, "
                  + a
                  + ")");
        }
        double c = costs.cost(i, j);
        if (Double.isNaN(c)) {
          throw new IllegalArgumentException(
              "entry '"
                  + entry.name()
                  + "': row "
                  + (i + 1)
                  + ": the decision chooses agent '"
                  + agents[j]
                  + "', which is unavailable there (no cost); policies must choose available"
                  + " agents");
        }
        double wi = w == null ? 1.0 : w[i];
        total += wi;
        cost += wi * c;
        fee += wi * fees[j];
        error += wi * (c - fees[j]);
        agentWeight[j] += wi;
        agentCases[j]++;
        agentCost[j] += wi * c;
        costColumn[i] = wi * c;
        byte k = costs.correct(i, j);
        if (k == CostMatrix.UNKNOWN) {
          unknown = true;
          agentUnknown[j] = true;
        } else {
          correct += wi * k;
          agentCorrect[j] += wi * k;
          correctColumn[i] = wi * k;
        }
        if (groups != null) {
          int gi = groups.of()[i];
          gRows[gi]++;
          gTotal[gi] += wi;
          gCost[gi] += wi * c;
          gAgentWeight[gi * a + j] += wi;
          if (k == CostMatrix.UNKNOWN) {
            gUnknown[gi] = true;
          } else {
            gCorrect[gi] += wi * k;
          }
        }
      }
      Summary s = new Summary();
      double accuracy = unknown ? Double.NaN : ratio(correct, total);
      Map<String, Double> allocation = new LinkedHashMap<>();
      Map<String, Double> expertAccuracy = new LinkedHashMap<>();
      List<PolicyResult.Workload> workload = new ArrayList<>();
      double modelAccuracy = Double.NaN;
      for (int j = 0; j < a; j++) {
        double share = ratio(agentWeight[j], total);
        double acc = agentUnknown[j] ? Double.NaN : ratio(agentCorrect[j], agentWeight[j]);
        allocation.put(agents[j], share);
        if (j == 0) {
          modelAccuracy = acc;
        } else {
          expertAccuracy.put(agents[j], acc);
        }
        workload.add(
            new PolicyResult.Workload(
                agents[j], agentCases[j], share, acc, ratio(agentCost[j], agentWeight[j])));
      }
      Map<String, GroupReport> groupReports = new LinkedHashMap<>();
      for (int gi = 0; gi < g; gi++) {
        Map<String, Double> ga = new LinkedHashMap<>();
        for (int j = 0; j < a; j++) {
          ga.put(agents[j], ratio(gAgentWeight[gi * a + j], gTotal[gi]));
        }
        String name = groups.names()[gi];
        groupReports.put(
            name,
            new GroupReport(
                name,
                gRows[gi],
                gUnknown[gi] ? Double.NaN : ratio(gCorrect[gi], gTotal[gi]),
                ratio(gCost[gi], gTotal[gi]),
                ratio(gAgentWeight[gi * a], gTotal[gi]),
                ga));
      }
      s.report =
          new DeferralReport(
              n,
              accuracy,
              ratio(cost, total),
              ratio(agentWeight[0], total),
              allocation,
              modelAccuracy,
              expertAccuracy,
              d.fallbackCount(),
              groupReports);
      s.split =
          new PolicyResult.CostSplit(ratio(cost, total), ratio(error, total), ratio(fee, total));
      s.workload = workload;
      s.costColumn = costColumn;
      s.correctColumn = unknown ? null : correctColumn;
      s.multiTask = multiTask(task, table, d, r);
      return s;
    }

    private static MultiTaskMetrics.Result multiTask(
        TaskSpec task, DeferralTable table, Decisions d, int[] r) {
      if (task.kind() != TaskKind.MULTITASK) {
        return null;
      }
      AgentColumns model = d.hasModelOutputs() ? d.modelOutputs() : null;
      if (model == null && !task.hasFrozenModel()) {
        return null;
      }
      return MultiTaskMetrics.evaluate(task, table, model, r);
    }

    private static double ratio(double num, double den) {
      return den > 0 ? num / den : Double.NaN;
    }
  }
}
