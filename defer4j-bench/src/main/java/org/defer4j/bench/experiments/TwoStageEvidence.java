package org.defer4j.bench.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.MultiTaskMetrics;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteCostProblem;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.StageOneModel;
import org.defer4j.core.train.StageOneTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableWriter;

/**
 * Evidence for two-stage multi-task deferral, printed as Markdown for {@code docs/results.md}:
 *
 * <ol>
 *   <li>the seed paper's EHR experiment (Montreuil et al. 2025, §5.2, Table 1) on flchain ({@link
 *       FlchainEhr}): a frozen multi-head model trained by defer4j, two cluster-specialised
 *       experts, and our multi-task rejector against rejectors trained on the classification cost
 *       only and on the regression cost only (all with the same surrogate and architecture, so only
 *       the cost differs), the plug-in estimator, and the single agents and the oracle;
 *   <li>convergence of two-stage rejectors to the Bayes rule argmin_j E[c_j | x] on {@link
 *       DiscreteCostProblem} as n grows, for 2s-comp:ν with ν ∈ {0, 1, 2} and the plug-in (linear
 *       rejector on one-hot cells). The convex losses (ν = 0, ν = 1, plug-in) are minimised by
 *       full-batch L-BFGS (300 iterations); the bounded, non-convex ν = 2 loss by Adam (learning
 *       rate 0.05, batch 64, max(20, 400000 / n) epochs), since L-BFGS stalls at its start point
 *       there, while constant-step Adam leaves a noise floor on the convex ones.
 * </ol>
 *
 * <p>Usage: {@code TwoStageEvidence DATA_FOLDER [--seeds 4] [--fees 0.2,0.2] [--part
 * ehr|synthetic|all] [--write-tables DIR]}; {@code --write-tables} also writes seed 0's splits and
 * the task YAML for the CLI walk-through.
 */
public final class TwoStageEvidence {
  private TwoStageEvidence() {}

  /** Runs the experiments; see the class comment for the arguments. */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println(
          "usage: TwoStageEvidence DATA_FOLDER [--seeds 4] [--fees 0.2,0.2] [--part ehr|synthetic|all]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int seeds = 4;
    double[] fees = {0.2, 0.2};
    String part = "all";
    Path writeTables = null;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "--fees" ->
            fees = Arrays.stream(args[i + 1].split(",")).mapToDouble(Double::parseDouble).toArray();
        case "--part" -> part = args[i + 1];
        case "--write-tables" -> writeTables = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long start = System.nanoTime();
    if (!part.equals("synthetic")) {
      ehr(data, seeds, fees, writeTables);
    }
    if (!part.equals("ehr")) {
      synthetic(seeds);
    }
    System.out.printf(Locale.ROOT, "%nwall time %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  // ---------------------------------------------------------------- EHR

  private static TaskSpec task(double[] fees, double cls, double reg) {
    return new TaskSpec(
        TaskKind.MULTITASK,
        List.of("alive", "dead"),
        "mh",
        List.of(Agent.expert("e1", fees[0]), Agent.expert("e2", fees[1])),
        new CostWeights(cls, reg, RegressionLoss.SMOOTH_L1, 5.0),
        null);
  }

  /** One row of the EHR table, over seeds. */
  private static final class Row {
    final List<Double> cost = new ArrayList<>();
    final List<Double> acc = new ArrayList<>();
    final List<Double> sl1 = new ArrayList<>();
    final List<double[]> alloc = new ArrayList<>();
  }

  private static void ehr(Path data, int seeds, double[] fees, Path writeTables) {
    FlchainEhr ehr = FlchainEhr.load(data, 10);
    System.out.println("## EHR design on flchain");
    System.out.printf(
        Locale.ROOT,
        "rows %d (deaths %d), k-means inertia k=1..10 %s, elbow k = %d%n",
        ehr.n,
        Arrays.stream(ehr.death).sum(),
        Arrays.toString(Arrays.stream(ehr.inertia).map(v -> Math.round(v)).toArray()),
        ehr.k);
    int[] sizes = new int[ehr.k];
    for (int c : ehr.cluster) {
      sizes[c]++;
    }
    System.out.printf(
        Locale.ROOT,
        "cluster sizes %s; classification: e1 %s, e2 %s; regression: e1 %s, e2 %s; fees %s%n",
        Arrays.toString(sizes),
        Arrays.toString(ehr.clsSets[0]),
        Arrays.toString(ehr.clsSets[1]),
        Arrays.toString(ehr.regSets[0]),
        Arrays.toString(ehr.regSets[1]),
        Arrays.toString(fees));
    TaskSpec multi = task(fees, 1, 1);
    Map<String, TaskSpec> rejectorTasks = new LinkedHashMap<>();
    rejectorTasks.put("classification-only rejector (2s-comp:1, lambda_reg = 0)", task(fees, 1, 0));
    rejectorTasks.put("regression-only rejector (2s-comp:1, lambda_cls = 0)", task(fees, 0, 1));
    rejectorTasks.put("plug-in estimator (plugin, multi-task cost)", multi);
    rejectorTasks.put("ours: multi-task rejector (2s-comp:1)", multi);
    Map<String, Row> rows = new LinkedHashMap<>();
    double[][] coverage = new double[6][4];
    double[] targets = {1.0, 0.8, 0.6, 0.4, 0.2, 0.0};
    for (int seed = 0; seed < seeds; seed++) {
      SplittableRandom rng = new SplittableRandom(2025 + seed);
      int[] perm = permutation(ehr.n, rng.split());
      int a = (int) (0.4 * ehr.n);
      int b = a + (int) (0.3 * ehr.n);
      int c = b + (int) (0.1 * ehr.n);
      int[] modelRows = Arrays.copyOfRange(perm, 0, a);
      DeferralTable all = ehr.table(modelRows, rng.split());
      DeferralTable modelTrain = all.select(modelRows);
      DeferralTable val0 = all.select(Arrays.copyOfRange(perm, b, c));
      if (seed == 0 && writeTables != null) {
        writeSplits(writeTables, multi, fees, all, perm, a, b, c);
      }
      StageOneModel model =
          new StageOneTrainer(
                  DeferralTrainer.mlp(List.of(64), Activation.RELU, 0.0),
                  1.0,
                  new TrainOptions(Algorithm.ADAM, 0.003, 100, 128, 10, seed))
              .fit(multi, modelTrain, val0, TrainingListener.NONE);
      DeferralTable train = model.attach(all.select(Arrays.copyOfRange(perm, a, b)));
      DeferralTable val = model.attach(val0);
      DeferralTable test = model.attach(all.select(Arrays.copyOfRange(perm, c, ehr.n)));
      CostMatrix costs = new CostModel(multi).costs(test);
      int n = test.rows();
      int[][] fixed = new int[4][n];
      for (int i = 0; i < n; i++) {
        fixed[1][i] = 1;
        fixed[2][i] = 2;
        int best = 0;
        for (int j = 1; j < 3; j++) {
          if (costs.cost(i, j) < costs.cost(i, best)) {
            best = j;
          }
        }
        fixed[3][i] = best;
      }
      String[] fixedNames = {
        "model alone (frozen multi-head MLP)", "expert 1 alone", "expert 2 alone", "oracle"
      };
      for (int f = 0; f < 4; f++) {
        record(rows, fixedNames[f], multi, test, costs, fixed[f]);
      }
      TrainOptions opts = new TrainOptions(Algorithm.ADAM, 0.003, 100, 128, 10, seed);
      for (Map.Entry<String, TaskSpec> e : rejectorTasks.entrySet()) {
        Surrogate s =
            e.getKey().startsWith("plug-in")
                ? Surrogates.plugin()
                : Surrogates.complementaryCost(1);
        // Raw inputs: the published EHR rejectors were trained on unstandardised features.
        LearnedPolicy r =
            new DeferralTrainer(
                    s, DeferralTrainer.mlp(List.of(64), Activation.RELU, 1e-4), opts, false)
                .withFeatures(FeatureOptions.raw())
                .fit(e.getValue(), train, val, TrainingListener.NONE);
        Availability available = Availability.observed(r.task(), test);
        int[] d = r.decide(test, available).agents();
        record(rows, e.getKey(), multi, test, costs, d);
        if (e.getKey().startsWith("ours")) {
          double[] rej = r.margins(test, available);
          double[] sorted = rej.clone();
          Arrays.sort(sorted);
          for (int q = 0; q < targets.length; q++) {
            int keep = (int) Math.round(targets[q] * n);
            double theta =
                keep >= n
                    ? Double.POSITIVE_INFINITY
                    : keep == 0
                        ? Double.NEGATIVE_INFINITY
                        : 0.5 * (sorted[keep - 1] + sorted[keep]);
            LearnedPolicy th =
                r.withRule(
                    DecisionRules.threshold(
                        theta == Double.POSITIVE_INFINITY
                            ? Double.MAX_VALUE
                            : theta == Double.NEGATIVE_INFINITY ? -Double.MAX_VALUE : theta));
            int[] dq = th.decide(test, available).agents();
            coverage[q][0] += DeferralMetrics.coverage(costs, dq, test) / seeds;
            coverage[q][1] += DeferralMetrics.meanCost(costs, dq, test) / seeds;
            MultiTaskMetrics.Result mt = MultiTaskMetrics.evaluate(multi, test, dq);
            coverage[q][2] += mt.accuracy() / seeds;
            coverage[q][3] += mt.regressionLoss() / seeds;
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "seed %d: stage one %d epochs (best %d); rejector train %d, val %d, test %d rows%n",
          seed,
          model.fit().epochs(),
          model.fit().bestEpoch(),
          train.rows(),
          val.rows(),
          n);
    }
    System.out.println();
    System.out.println(
        "| rejector | total cost (test) | accuracy (%) | smooth-L1 (10^3 days) | model (%) | expert 1 (%) |"
            + " expert 2 (%) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s |%n",
          e.getKey(),
          pm(r.cost, 1, 4),
          pm(r.acc, 100, 1),
          pm(r.sl1, 1, 3),
          pm(col(r.alloc, 0), 100, 1),
          pm(col(r.alloc, 1), 100, 1),
          pm(col(r.alloc, 2), 100, 1));
    }
    System.out.println();
    System.out.println(
        "Cost-coverage of our rejector (threshold on its rejection score, mean over seeds):");
    System.out.println();
    System.out.println("| target coverage | coverage | total cost | accuracy (%) | smooth-L1 |");
    System.out.println("|---|---|---|---|---|");
    for (int q = 0; q < targets.length; q++) {
      System.out.printf(
          Locale.ROOT,
          "| %.1f | %.3f | %.4f | %.1f | %.3f |%n",
          targets[q],
          coverage[q][0],
          coverage[q][1],
          100 * coverage[q][2],
          coverage[q][3]);
    }
    System.out.println();
  }

  /**
   * Writes seed 0's splits (without the model's columns) and the task YAML, for the CLI
   * walk-through {@code defer4j fit-model} → {@code train} → {@code evaluate}.
   */
  private static void writeSplits(
      Path dir, TaskSpec multi, double[] fees, DeferralTable all, int[] perm, int a, int b, int c) {
    try {
      java.nio.file.Files.createDirectories(dir);
      TaskSpec input =
          new TaskSpec(multi.kind(), multi.classes(), null, multi.experts(), multi.cost(), null);
      String[] names = {"model", "train", "val", "test"};
      int[][] ranges = {{0, a}, {a, b}, {b, c}, {c, perm.length}};
      for (int s = 0; s < 4; s++) {
        DeferralTableWriter.write(
            all.select(Arrays.copyOfRange(perm, ranges[s][0], ranges[s][1])),
            input,
            dir.resolve("flchain-" + names[s] + ".csv"));
      }
      java.nio.file.Files.writeString(
          dir.resolve("flchain.yaml"),
          String.format(
              Locale.ROOT,
              "task: multitask%n"
                  + "classes: [alive, dead]%n"
                  + "model: mh%n"
                  + "experts:%n"
                  + "  - name: e1%n"
                  + "    fee: %s%n"
                  + "  - name: e2%n"
                  + "    fee: %s%n"
                  + "cost:%n"
                  + "  classification: 1%n"
                  + "  regression: 1%n"
                  + "  regression_loss: smooth_l1%n"
                  + "  clip: 5%n",
              fees[0],
              fees[1]));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void record(
      Map<String, Row> rows,
      String name,
      TaskSpec task,
      DeferralTable test,
      CostMatrix costs,
      int[] d) {
    Row r = rows.computeIfAbsent(name, k -> new Row());
    r.cost.add(DeferralMetrics.meanCost(costs, d, test));
    MultiTaskMetrics.Result mt = MultiTaskMetrics.evaluate(task, test, d);
    r.acc.add(mt.accuracy());
    r.sl1.add(mt.regressionLoss());
    double[] alloc = new double[3];
    for (int j : d) {
      alloc[j] += 1.0 / d.length;
    }
    r.alloc.add(alloc);
  }

  // ---------------------------------------------------------------- synthetic

  private static void synthetic(int seeds) {
    DiscreteCostProblem p = DiscreteCostProblem.random(64, 2, 0.05, new SplittableRandom(11));
    int[] keepModel = new int[p.cells()];
    System.out.println("## Convergence to the Bayes rule (64 cells, model + 2 experts, fee 0.05)");
    System.out.printf(
        Locale.ROOT,
        "Bayes risk %.4f; always the model %.4f (excess %.4f)%n%n",
        p.bayesRisk(),
        p.risk(keepModel),
        p.risk(keepModel) - p.bayesRisk());
    int[] sizes = {200, 800, 3200, 12800, 51200, 204800};
    String[] methods = {"2s-comp:0", "2s-comp:1", "2s-comp:2", "plugin"};
    StringBuilder head = new StringBuilder("| method |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int n : sizes) {
      head.append(" n = ").append(n).append(" |");
      rule.append("---|");
    }
    System.out.println(
        "Excess risk R(r) - R* (mean ± sd over seeds); in brackets, share of cells where r = Bayes rule:");
    System.out.println();
    System.out.println(head);
    System.out.println(rule);
    for (String m : methods) {
      StringBuilder line = new StringBuilder("| " + m + " |");
      for (int n : sizes) {
        List<Double> excess = new ArrayList<>();
        double agree = 0;
        for (int seed = 0; seed < seeds; seed++) {
          DeferralTable train = p.sample(n, new SplittableRandom(1000 + 7919L * seed + n));
          // Raw inputs: the published excess risks were fitted on the one-hot cells as they are.
          LearnedPolicy model =
              new DeferralTrainer(
                      Surrogates.byName(m),
                      DeferralTrainer.linear(0.0),
                      m.equals("2s-comp:2")
                          ? new TrainOptions(
                              Algorithm.ADAM, 0.05, Math.max(20, 400_000 / n), 64, 0, seed)
                          : new TrainOptions(Algorithm.LBFGS, 1, 300, 1, 0, seed),
                      false)
                  .withFeatures(FeatureOptions.raw())
                  .fit(p.task(), train, null, TrainingListener.NONE);
          DeferralTable cells = p.cellTable();
          int[] d = model.decide(cells, Availability.observed(p.task(), cells)).agents();
          excess.add(p.risk(d) - p.bayesRisk());
          for (int c = 0; c < p.cells(); c++) {
            agree += d[c] == p.bayesDecision(c) ? 1.0 / (p.cells() * seeds) : 0;
          }
        }
        line.append(String.format(Locale.ROOT, " %s [%.2f] |", pm(excess, 1, 4), agree));
      }
      System.out.println(line);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static List<Double> col(List<double[]> rows, int j) {
    List<Double> out = new ArrayList<>();
    for (double[] r : rows) {
      out.add(r[j]);
    }
    return out;
  }

  /** mean ± sample sd of {@code scale}·values. */
  private static String pm(List<Double> values, double scale, int digits) {
    int m = values.size();
    double mean = 0;
    for (double v : values) {
      mean += scale * v / m;
    }
    double ss = 0;
    for (double v : values) {
      ss += (scale * v - mean) * (scale * v - mean);
    }
    double sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
    String f = "%." + digits + "f";
    return String.format(Locale.ROOT, f + " ± " + f, mean, sd);
  }
}
