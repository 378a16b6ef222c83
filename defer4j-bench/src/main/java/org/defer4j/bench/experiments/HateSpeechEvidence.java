package org.defer4j.bench.experiments;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.defer4j.cli.datasets.HateSpeech;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.ExpertCorrectnessSurrogate;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.metric.Calibration;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.metric.Oracle;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.ScorerFitter;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.core.train.Validation;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeaturizer;
import org.defer4j.io.text.TextOptions;

/**
 * One-stage learning to defer on the HateSpeech tweets of Davidson et al. (2017) with real
 * annotators as experts: the evidence behind the real-data quality bar of DESIGN.md §7.
 *
 * <p><b>Data.</b> For seed s: a seeded 60 / 20 / 20 split of the 24,783 tweets, hashed TF-IDF
 * features ({@link TextFeaturizer}) fitted on the training tweets only, and three votes per tweet
 * drawn without replacement from its vote counts ({@link HateSpeech#drawVotes}; every tweet has at
 * least three votes). The label is the majority class of all votes.
 *
 * <ul>
 *   <li>Setting (a), one expert: the first drawn vote ("a random annotator").
 *   <li>Setting (b), three experts: the three drawn votes, one expert each.
 * </ul>
 *
 * <p><b>Policies.</b> Every one-stage classification surrogate of the catalogue that fits the
 * setting ({@code pr} is single-expert only), trained jointly (classifier and deferral) by {@link
 * DeferralTrainer} with Adam and early stopping on the validation system cost. Baselines on the
 * same test rows:
 *
 * <ul>
 *   <li>model alone: a softmax classifier over the 3 classes trained with plain cross-entropy −log
 *       p_y by {@link ScorerFitter} on the same features, tuned and early-stopped on validation
 *       accuracy;
 *   <li>expert alone: each expert's vote; in (b) also the best single expert, the one with the
 *       highest validation accuracy;
 *   <li>oracle: a case is right when the model-alone classifier or any expert is right (the lower
 *       bound on error over these agents).
 * </ul>
 *
 * <p><b>Expert ECE.</b> For a surrogate that estimates P(expert j correct | x) ({@link
 * ExpertCorrectnessSurrogate}), the ECE (20 equal-width bins, {@link Calibration}) of expert j's
 * estimate against whether expert j's vote equals the label, over every test row (not only the rows
 * deferred to j), averaged over the experts. Cross-entropy's estimate p_⊥/Σ_k p_k is not bounded by
 * 1; it is clipped to [0, 1] before binning.
 *
 * <p><b>Tuning</b> (validation split of seed 0 only; the test split is read only for the final
 * figures): the text dimension by the model-alone classifier's accuracy; per surrogate (and for the
 * model alone) the Adam learning rate and the L2 coefficient of a linear scorer over a small grid
 * by the validation system cost; epochs by early stopping on the validation split of each run. An
 * MLP with 64 ReLU units is compared with the linear scorer for the model alone and for {@code ce}
 * and reported, but not used for the seed runs, to keep the whole run short on a 2-core machine.
 *
 * <p>Run: {@code java -cp defer4j-bench.jar org.defer4j.bench.experiments.HateSpeechEvidence
 * DATA_DIR [-seeds 5] [-threads 2] [-dims 512,1024,2048] [-export FILE]}, where DATA_DIR holds
 * {@code hatespeech/labeled_data.csv}. It prints markdown tables on standard output. With {@code
 * -export FILE} it stops after the text-dimension tuning, having written seed 0's training rows of
 * setting (a) to FILE and its validation rows to FILE.val (for the throughput comparison).
 */
public final class HateSpeechEvidence {
  private static final List<String> ONE = List.of("annotator");
  private static final List<String> THREE = List.of("annotator1", "annotator2", "annotator3");
  private static final List<String> SINGLE_EXPERT_ONLY = List.of("pr");
  private static final int MAX_EPOCHS = 40;
  private static final int PATIENCE = 5;
  private static final int BATCH = 128;

  /** A scorer and optimiser configuration. */
  record Config(boolean mlp, double learningRate, double l2) {
    DeferralTrainer.ScorerFactory factory() {
      return mlp
          ? DeferralTrainer.mlp(List.of(64), Activation.RELU, l2)
          : DeferralTrainer.linear(l2);
    }

    ScorerSpec spec(int in, int out) {
      return factory().spec(in, out);
    }

    TrainOptions options(long seed) {
      return new TrainOptions(Algorithm.ADAM, learningRate, MAX_EPOCHS, BATCH, PATIENCE, seed);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%s lr=%s l2=%s", mlp ? "mlp64" : "linear", learningRate, l2);
    }
  }

  /** The per-surrogate tuning grid: linear scorers (see the class comment for the MLP). */
  static List<Config> grid() {
    List<Config> g = new ArrayList<>();
    for (double lr : new double[] {3e-3, 1e-2}) {
      for (double l2 : new double[] {0.0, 1e-5}) {
        g.add(new Config(false, lr, l2));
      }
    }
    return g;
  }

  /** One seed's data: split, features and drawn votes, as tables for both settings. */
  record Split(DeferralTable[] one, DeferralTable[] three) {}

  /** What one policy achieved on one seed's test split. */
  record Outcome(double accuracy, double coverage, double ece) {}

  private HateSpeechEvidence() {}

  /**
   * Entry point.
   *
   * @param args DATA_DIR and options (see the class comment)
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args.length < 1) {
      System.err.println(
          "usage: HateSpeechEvidence DATA_DIR [-seeds N] [-threads T] [-dims D1,D2] [-export"
              + " FILE]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int seeds = 5;
    int threads = 2;
    int[] dims = {512, 1024, 2048};
    Path export = null;
    for (int i = 1; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "-seeds" -> seeds = Integer.parseInt(v);
        case "-threads" -> threads = Integer.parseInt(v);
        case "-dims" -> dims = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        case "-export" -> export = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path csv = dataDir.resolve("hatespeech").resolve("labeled_data.csv");
    if (!Files.isRegularFile(csv)) {
      csv = dataDir.resolve("labeled_data.csv");
    }
    List<HateSpeech.Tweet> tweets = HateSpeech.read(csv);
    PrintStream out = System.out;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      run(tweets, seeds, dims, export, pool, out);
    } finally {
      pool.shutdown();
    }
  }

  static void run(
      List<HateSpeech.Tweet> tweets,
      int seeds,
      int[] dims,
      Path export,
      ExecutorService pool,
      PrintStream out)
      throws Exception {
    long t0 = System.nanoTime();
    out.printf(Locale.ROOT, "HateSpeech: %d tweets%n%n", tweets.size());

    // 1. Text dimension, on seed 0's validation split, with the model-alone classifier.
    out.println("### Tuning (validation split of seed 0)");
    out.println();
    out.println("| text dimension | model-alone validation accuracy (linear, lr 3e-3, l2 0) |");
    out.println("|---|---|");
    int bestDim = dims[0];
    double bestDimAcc = -1;
    for (int d : dims) {
      Split s = split(tweets, 0, d);
      double acc = modelAlone(s.one(), new Config(false, 3e-3, 0.0), 0).validationAccuracy;
      out.printf(Locale.ROOT, "| %d | %.4f |%n", d, acc);
      if (acc > bestDimAcc + 1e-9) {
        bestDimAcc = acc;
        bestDim = d;
      }
    }
    out.printf(Locale.ROOT, "%nchosen text dimension: %d%n%n", bestDim);

    // 2. Per method and setting, the grid on seed 0's validation split.
    Split s0 = split(tweets, 0, bestDim);
    if (export != null) {
      exportTraining(s0.one()[0], export);
      Path validationFile = export.resolveSibling(export.getFileName() + ".val");
      exportTraining(s0.one()[1], validationFile);
      out.printf(
          "exported seed-0 training rows of setting (a) to %s, validation rows to %s%n",
          export, validationFile);
      return;
    }
    List<String> methods = methods();
    Map<String, Config> chosen = new LinkedHashMap<>();
    out.println("| setting | method | best config | validation system accuracy |");
    out.println("|---|---|---|---|");
    Config bestModel = null;
    double bestModelAcc = -1;
    for (Config c : grid()) {
      double acc = modelAlone(s0.one(), c, 0).validationAccuracy;
      if (acc > bestModelAcc + 1e-9) {
        bestModelAcc = acc;
        bestModel = c;
      }
    }
    out.printf(Locale.ROOT, "| both | model alone | %s | %.4f |%n", bestModel, bestModelAcc);
    Config mlp = new Config(true, bestModel.learningRate(), bestModel.l2());
    out.printf(
        Locale.ROOT,
        "| both | model alone | %s | %.4f |%n",
        mlp,
        modelAlone(s0.one(), mlp, 0).validationAccuracy);
    double[] ceMlp = validate("ce", mlp, HateSpeech.task(ONE), s0.one(), 0);
    out.printf(Locale.ROOT, "| (a) | ce | %s | %s |%n", mlp, fmt(ceMlp[1]));
    for (String setting : new String[] {"a", "b"}) {
      DeferralTable[] t = setting.equals("a") ? s0.one() : s0.three();
      List<String> names = setting.equals("a") ? ONE : THREE;
      TaskSpec task = HateSpeech.task(names);
      for (String m : methods) {
        if (setting.equals("b") && SINGLE_EXPERT_ONLY.contains(m)) {
          continue;
        }
        List<Future<double[]>> fs = new ArrayList<>();
        List<Config> grid = grid();
        for (Config c : grid) {
          fs.add(pool.submit(() -> validate(m, c, task, t, 0)));
        }
        Config best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        double bestAcc = Double.NaN;
        for (int i = 0; i < grid.size(); i++) {
          double[] v = fs.get(i).get();
          if (v[0] < bestCost - 1e-12) {
            bestCost = v[0];
            bestAcc = v[1];
            best = grid.get(i);
          }
        }
        chosen.put(setting + "/" + m, best);
        out.printf(Locale.ROOT, "| (%s) | %s | %s | %s |%n", setting, m, best, fmt(bestAcc));
        out.flush();
      }
    }
    out.printf(
        Locale.ROOT,
        "%n(tuning took %.0f s; max %d epochs, patience %d, batch %d)%n%n",
        (System.nanoTime() - t0) / 1e9,
        MAX_EPOCHS,
        PATIENCE,
        BATCH);

    // 3. Test figures over the seeds.
    Map<String, List<Outcome>> a = new LinkedHashMap<>();
    Map<String, List<Outcome>> b = new LinkedHashMap<>();
    for (int seed = 0; seed < seeds; seed++) {
      Split s = seed == 0 ? s0 : split(tweets, seed, bestDim);
      Baseline base = modelAlone(s.one(), bestModel, seed);
      baselines(s.one(), ONE, base, a);
      baselines(s.three(), THREE, base, b);
      for (String setting : new String[] {"a", "b"}) {
        DeferralTable[] t = setting.equals("a") ? s.one() : s.three();
        List<String> names = setting.equals("a") ? ONE : THREE;
        Map<String, List<Outcome>> into = setting.equals("a") ? a : b;
        TaskSpec task = HateSpeech.task(names);
        Map<String, Future<Outcome>> fs = new LinkedHashMap<>();
        for (String m : methods) {
          Config c = chosen.get(setting + "/" + m);
          if (c == null) {
            continue;
          }
          long runSeed = seed;
          fs.put(m, pool.submit(() -> test(m, c, task, t, runSeed)));
        }
        for (Map.Entry<String, Future<Outcome>> e : fs.entrySet()) {
          into.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().get());
        }
      }
      out.printf(Locale.ROOT, "(seed %d done at %.0f s)%n", seed, (System.nanoTime() - t0) / 1e9);
      out.flush();
    }
    out.println();
    table(out, "(a) one expert = one annotator vote per tweet", a, seeds);
    table(out, "(b) three experts = three annotator votes drawn without replacement", b, seeds);
    out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** The one-stage classification surrogates of the catalogue, in catalogue order. */
  static List<String> methods() {
    List<String> wanted =
        List.of(
            "ce",
            "ova",
            "asym-softmax",
            "realizable",
            "psi:mae",
            "psi:log",
            "lsf",
            "ce-rejector",
            "pr",
            "moe",
            "cost-sensitive",
            "decoupled");
    List<String> inCatalogue = new ArrayList<>();
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      String n = e.name();
      if (wanted.contains(n)) {
        inCatalogue.add(n);
      } else if (n.equals("psi:LINK")) {
        inCatalogue.add("psi:mae");
        inCatalogue.add("psi:log");
      }
    }
    return inCatalogue;
  }

  static Split split(List<HateSpeech.Tweet> tweets, long seed, int dim) {
    SplittableRandom rng = new SplittableRandom(1000 + seed);
    int[][] parts = HateSpeech.split(tweets.size(), 0.6, 0.2, rng.split());
    int[][] votes3 = HateSpeech.drawVotes(tweets, 3, rng.split());
    int[][] votes1 = {votes3[0]};
    String[] trainTexts = new String[parts[0].length];
    for (int i = 0; i < trainTexts.length; i++) {
      trainTexts[i] = tweets.get(parts[0][i]).text();
    }
    FittedTextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withDimension(dim)).fit(trainTexts);
    DeferralTable[] one = new DeferralTable[3];
    DeferralTable[] three = new DeferralTable[3];
    String[] names = {"train", "val", "test"};
    for (int p = 0; p < 3; p++) {
      one[p] = HateSpeech.table(names[p], tweets, parts[p], f, ONE, votes1);
      // Same features and labels; only the expert columns differ.
      DeferralTable.Builder bld =
          DeferralTable.builder(names[p], one[p].rows())
              .labels(one[p].labels())
              .features(one[p].featureNames(), one[p].featureBlock());
      for (int j = 0; j < 3; j++) {
        int[] answers = new int[parts[p].length];
        for (int i = 0; i < answers.length; i++) {
          answers[i] = votes3[j][parts[p][i]];
        }
        bld.agent(THREE.get(j), new AgentColumns(answers.length, answers, null, null, 0, null));
      }
      three[p] = bld.build();
    }
    return new Split(one, three);
  }

  /** The model-alone classifier and its outputs on the validation and test tables. */
  record Baseline(double validationAccuracy, AgentColumns validation, AgentColumns test) {}

  /** Trains a 3-class softmax classifier with plain cross-entropy, early-stopped on validation. */
  static Baseline modelAlone(DeferralTable[] t, Config c, long seed) {
    DeferralTable train = t[0];
    DeferralTable val = t[1];
    int k = HateSpeech.CLASSES.size();
    SplittableRandom rng = new SplittableRandom(seed);
    Scorer scorer = Scorers.create(c.spec(train.featureCount(), k), rng.split());
    int[] labels = train.labels();
    // Scratch shared by the loss calls: ScorerFitter evaluates rows one at a time on this thread.
    double[] logp = new double[k];
    double[] s = new double[k];
    org.defer4j.core.train.RowLoss ce =
        (row, scores, grad) -> {
          System.arraycopy(scores, 0, s, 0, k);
          StableMath.logSoftmax(s, logp);
          for (int q = 0; q < k; q++) {
            grad[q] = Math.exp(logp[q]);
          }
          grad[labels[row]] -= 1.0;
          return -logp[labels[row]];
        };
    Validation v =
        sc -> {
          double acc = accuracy(predict(sc, val).predictedClasses(), val.labels());
          return new Validation.Result(1.0 - acc, acc);
        };
    int[] rows = new int[train.rows()];
    Arrays.setAll(rows, i -> i);
    new ScorerFitter(c.options(rng.nextLong()))
        .fit(scorer, train.featureBlock(), rows, null, ce, v, TrainingListener.NONE);
    AgentColumns pv = predict(scorer, val);
    return new Baseline(accuracy(pv.predictedClasses(), val.labels()), pv, predict(scorer, t[2]));
  }

  static AgentColumns predict(Scorer scorer, DeferralTable table) {
    int n = table.rows();
    int k = scorer.outputDim();
    double[] scores = new double[n * k];
    Workspace ws = scorer.newWorkspace();
    scorer.scoreRows(table.featureBlock(), 0, n, scores, ws);
    int[] pred = new int[n];
    double[] prob = new double[n * k];
    double[] row = new double[k];
    double[] p = new double[k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(scores, i * k, row, 0, k);
      StableMath.softmax(row, p);
      System.arraycopy(p, 0, prob, i * k, k);
      int best = 0;
      for (int q = 1; q < k; q++) {
        if (row[q] > row[best]) {
          best = q;
        }
      }
      pred[i] = best;
    }
    return new AgentColumns(n, pred, null, prob, k, null);
  }

  static double accuracy(int[] pred, int[] labels) {
    int ok = 0;
    for (int i = 0; i < pred.length; i++) {
      ok += pred[i] == labels[i] ? 1 : 0;
    }
    return (double) ok / pred.length;
  }

  static void baselines(
      DeferralTable[] t, List<String> experts, Baseline base, Map<String, List<Outcome>> into) {
    TaskSpec task = HateSpeech.task(experts);
    CostModel cm = new CostModel(task);
    CostMatrix test = cm.costs(t[2], base.test());
    CostMatrix val = cm.costs(t[1], base.validation());
    add(into, "model alone", fixed(Policies.model(), task, t[2], test), Double.NaN);
    String best = null;
    double bestVal = -1;
    for (String e : experts) {
      DeferralReport r = fixed(Policies.expert(e), task, t[2], test);
      add(into, "expert alone: " + e, r, Double.NaN);
      double v = fixed(Policies.expert(e), task, t[1], val).systemAccuracy();
      if (v > bestVal) {
        bestVal = v;
        best = e;
      }
    }
    if (experts.size() > 1) {
      add(
          into,
          "best single expert (chosen on validation)",
          fixed(Policies.expert(best), task, t[2], test),
          Double.NaN);
    }
    add(
        into,
        "oracle (model alone or any expert right)",
        DeferralMetrics.evaluate(test, Oracle.decisions(test), t[2]),
        Double.NaN);
  }

  /**
   * A fixed policy scored against costs whose model column is the model-alone classifier's (the
   * table records no model), under the availability the table observes.
   */
  private static DeferralReport fixed(
      DeferralPolicy policy, TaskSpec task, DeferralTable table, CostMatrix costs) {
    return DeferralMetrics.evaluate(
        costs, policy.decide(table, Availability.observed(task, table)), table);
  }

  private static void add(
      Map<String, List<Outcome>> into, String name, DeferralReport r, double ece) {
    into.computeIfAbsent(name, k -> new ArrayList<>())
        .add(new Outcome(r.systemAccuracy(), r.coverage(), ece));
  }

  static LearnedPolicy fit(String method, Config c, TaskSpec task, DeferralTable[] t, long seed) {
    Surrogate s = Surrogates.byName(method);
    // Raw inputs: the published figures (and their tuned learning rates) use unscaled TF-IDF.
    return new DeferralTrainer(s, c.factory(), c.options(seed), false)
        .withFeatures(FeatureOptions.raw())
        .fit(task, t[0], t[1], TrainingListener.NONE);
  }

  /** {validation system cost, validation system accuracy}; +∞ when the fit diverged. */
  static double[] validate(String method, Config c, TaskSpec task, DeferralTable[] t, long seed) {
    try {
      DeferralReport r = Evaluation.of(fit(method, c, task, t, seed), task, t[1]).report();
      return new double[] {r.meanCost(), r.systemAccuracy()};
    } catch (RuntimeException e) {
      System.err.println(method + " " + c + ": " + e.getMessage());
      return new double[] {Double.POSITIVE_INFINITY, Double.NaN};
    }
  }

  static Outcome test(String method, Config c, TaskSpec task, DeferralTable[] t, long seed) {
    LearnedPolicy m;
    try {
      m = fit(method, c, task, t, seed);
    } catch (RuntimeException e) {
      System.err.println(method + " seed " + seed + ": " + e.getMessage());
      return new Outcome(Double.NaN, Double.NaN, Double.NaN);
    }
    DeferralReport r = Evaluation.of(m, task, t[2]).report();
    double ece = Double.NaN;
    if (Surrogates.byName(method) instanceof ExpertCorrectnessSurrogate ecs) {
      ece = expertEce(ecs, m, t[2], task);
    }
    return new Outcome(r.systemAccuracy(), r.coverage(), ece);
  }

  /** Mean over experts of the ECE of each expert's correctness estimate on every test row. */
  static double expertEce(
      ExpertCorrectnessSurrogate s, LearnedPolicy m, DeferralTable test, TaskSpec task) {
    int k = task.classCount();
    int j = task.experts().size();
    int width = m.scorer().outputDim();
    double[] scores = RawScores.of(m, test);
    int n = test.rows();
    double[][] prob = new double[j][n];
    int[][] outcome = new int[j][n];
    double[] row = new double[width];
    for (int i = 0; i < n; i++) {
      System.arraycopy(scores, i * width, row, 0, width);
      double[] est = s.expertCorrectness(row, k, j);
      for (int e = 0; e < j; e++) {
        prob[e][i] = Math.min(1.0, Math.max(0.0, est[e]));
        AgentColumns cols = test.agents().get(task.experts().get(e).name());
        outcome[e][i] = cols.predictedClass(i) == test.label(i) ? 1 : 0;
      }
    }
    double sum = 0;
    for (int e = 0; e < j; e++) {
      sum += Calibration.expectedCalibrationError(prob[e], outcome[e]);
    }
    return sum / j;
  }

  static void table(PrintStream out, String title, Map<String, List<Outcome>> rows, int seeds) {
    out.println("#### " + title);
    out.println();
    out.printf(
        Locale.ROOT,
        "| policy | test system accuracy | coverage | expert ECE | n seeds |%n|---|---|---|---|---|%n");
    for (Map.Entry<String, List<Outcome>> e : rows.entrySet()) {
      List<Outcome> o = e.getValue();
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %d |%n",
          e.getKey(),
          meanSd(o.stream().mapToDouble(Outcome::accuracy).toArray()),
          meanSd(o.stream().mapToDouble(Outcome::coverage).toArray()),
          meanSd(o.stream().mapToDouble(Outcome::ece).toArray()),
          o.stream().filter(x -> !Double.isNaN(x.accuracy())).count());
    }
    out.println();
  }

  static String meanSd(double[] v) {
    double[] x = Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
    if (x.length == 0) {
      return "–";
    }
    double mean = Arrays.stream(x).average().orElse(Double.NaN);
    double ss = 0;
    for (double d : x) {
      ss += (d - mean) * (d - mean);
    }
    double sd = x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : 0;
    return String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * Writes training rows for the throughput comparison with PyTorch, little-endian: int32 n, d, K,
   * J; n·d float64 features (row-major); n int32 labels; n·J float64 expert correctness (1 when the
   * expert's vote is the label, else 0).
   */
  static void exportTraining(DeferralTable train, Path file) throws IOException {
    int n = train.rows();
    int d = train.featureCount();
    List<String> experts = new ArrayList<>(train.agents().keySet());
    int j = experts.size();
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream dos = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      head.putInt(n).putInt(d).putInt(HateSpeech.CLASSES.size()).putInt(j);
      dos.write(head.array());
      ByteBuffer buf = ByteBuffer.allocate(8 * d).order(ByteOrder.LITTLE_ENDIAN);
      double[] x = train.featureBlock();
      for (int i = 0; i < n; i++) {
        buf.clear();
        for (int q = 0; q < d; q++) {
          buf.putDouble(x[i * d + q]);
        }
        dos.write(buf.array(), 0, 8 * d);
      }
      ByteBuffer lab = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        lab.putInt(train.label(i));
      }
      dos.write(lab.array());
      ByteBuffer e = ByteBuffer.allocate(8 * n * j).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        for (String name : experts) {
          e.putDouble(train.agents().get(name).predictedClass(i) == train.label(i) ? 1.0 : 0.0);
        }
      }
      dos.write(e.array());
    }
  }
}
