package org.defer4j.bench.experiments;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.QualityCostCurve;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.RouterScores;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatureStep;
import org.defer4j.io.text.TextFeatures;
import org.defer4j.io.text.TextFeaturizer;
import org.defer4j.io.text.TextOptions;

/**
 * LLM routing evidence on RouteLLM's decontaminated MMLU and GSM8K (the bundled tables): two-stage
 * rejectors (Mixtral frozen, GPT-4 the expert with fee 0.1) trained on hashed TF-IDF features of
 * the prompt (fitted on the training rows only) plus, for MMLU, the one-hot subject; each router's
 * score is its preference for GPT-4 ({@link RouterScores}), summarised by the quality–cost curve on
 * held-out rows ({@link QualityCostCurve}: APGR, CPT(50%), CPT(80%)), and its operating point is
 * the threshold of least validation cost (errors + 0.1 × GPT-4 calls) applied to the test rows.
 *
 * <p>MMLU: the bundled 60/20/20 split. GSM8K (1,307 problems): 5-fold cross-validation on {@code
 * routellm-gsm8k.csv} (seeded permutation; fold f tests, fold f+1 validates, the other three
 * train), reported as mean ± standard deviation over the folds.
 *
 * <p>Usage: {@code java -cp defer4j-bench.jar org.defer4j.bench.experiments.LlmRoutingEvidence
 * DATASETS_DIR [EPOCHS]}; prints a Markdown table.
 */
public final class LlmRoutingEvidence {
  private static final long SEED = 2024;
  private static final int FOLDS = 5;

  private LlmRoutingEvidence() {}

  /** One router configuration: surrogate name and scorer. */
  record Config(String method, String scorer) {
    String label() {
      return method + " " + scorer;
    }
  }

  /** One router's test summaries. */
  record Row(
      double apgr, double cpt50, double cpt80, double opAccuracy, double opShare, double opCost) {}

  static final List<Config> CONFIGS =
      List.of(
          new Config("2s-comp:1", "linear"),
          new Config("2s-comp:2", "linear"),
          new Config("2s-comp:0", "linear"),
          new Config("2s-psi:mae", "linear"),
          new Config("2s-psi:log", "linear"),
          new Config("2s-sb", "linear"),
          new Config("2s-pr", "linear"),
          new Config("2s-comp:1", "mlp:64"),
          new Config("2s-comp:2", "mlp:64"),
          new Config("2s-psi:mae", "mlp:64"));

  /**
   * Runs the experiment.
   *
   * @param args the bundled datasets folder, and optionally the maximum epochs (default 30)
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LlmRoutingEvidence DATASETS_DIR [EPOCHS]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    PrintStream out = System.out;
    long start = System.nanoTime();
    TaskSpec task = TaskSpecIo.read(dir.resolve("routellm-mmlu.yaml"));
    mmlu(dir, task, epochs, out);
    gsm8k(dir, TaskSpecIo.read(dir.resolve("routellm-gsm8k.yaml")), epochs, out);
    out.printf(Locale.ROOT, "%ntotal %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  static void mmlu(Path dir, TaskSpec task, int epochs, PrintStream out) {
    DeferralTable train =
        DeferralTableReader.read(dir.resolve("routellm-mmlu-train.parquet"), task);
    DeferralTable val = DeferralTableReader.read(dir.resolve("routellm-mmlu-val.parquet"), task);
    DeferralTable test = DeferralTableReader.read(dir.resolve("routellm-mmlu-test.parquet"), task);
    out.printf(
        Locale.ROOT,
        "### MMLU (decontaminated; split %d / %d / %d)%n%n",
        train.rows(),
        val.rows(),
        test.rows());
    header(out);
    Prepared p = prepare(task, train, val, test);
    double fee = task.agents().get(1).fee();
    baselines(p, fee, out, null);
    for (Config c : CONFIGS) {
      long t0 = System.nanoTime();
      Row r;
      try {
        r = run(c, task, p, epochs);
      } catch (IllegalArgumentException e) {
        out.println("| " + c.label() + " | not applicable: " + e.getMessage() + " |");
        continue;
      }
      out.println(row(c.label(), r, null, (System.nanoTime() - t0) / 1e9));
    }
    out.println();
  }

  static void gsm8k(Path dir, TaskSpec task, int epochs, PrintStream out) {
    DeferralTable all = DeferralTableReader.read(dir.resolve("routellm-gsm8k.csv"), task);
    int n = all.rows();
    int[] perm = permutation(n, new SplittableRandom(SEED));
    int[] fold = new int[n];
    for (int k = 0; k < n; k++) {
      fold[perm[k]] = k % FOLDS;
    }
    out.printf(
        Locale.ROOT,
        "### GSM8K (decontaminated, %d problems; %d-fold cross-validation, mean ± sd)%n%n",
        n,
        FOLDS);
    header(out);
    List<Prepared> folds = new ArrayList<>();
    for (int f = 0; f < FOLDS; f++) {
      int valFold = (f + 1) % FOLDS;
      List<Integer> tr = new ArrayList<>();
      List<Integer> va = new ArrayList<>();
      List<Integer> te = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (fold[i] == f ? te : fold[i] == valFold ? va : tr).add(i);
      }
      folds.add(prepare(task, all.select(ints(tr)), all.select(ints(va)), all.select(ints(te))));
    }
    double fee = task.agents().get(1).fee();
    List<Row> random = new ArrayList<>();
    List<Row> oracle = new ArrayList<>();
    for (Prepared p : folds) {
      Row[] b = baselineRows(p, fee);
      random.add(b[0]);
      oracle.add(b[1]);
    }
    out.println(row("random (exact expectation)", mean(random), sd(random), Double.NaN));
    out.println(row("oracle", mean(oracle), sd(oracle), Double.NaN));
    for (Config c : CONFIGS) {
      long t0 = System.nanoTime();
      List<Row> rows = new ArrayList<>();
      try {
        for (Prepared p : folds) {
          rows.add(run(c, task, p, epochs));
        }
      } catch (IllegalArgumentException e) {
        out.println("| " + c.label() + " | not applicable: " + e.getMessage() + " |");
        continue;
      }
      out.println(row(c.label(), mean(rows), sd(rows), (System.nanoTime() - t0) / 1e9));
    }
    out.println();
  }

  /**
   * Train / validation / test (raw prompts) with the text step fitted on the training prompts; the
   * policies featurise the prompts themselves.
   */
  record Prepared(
      DeferralTable train,
      DeferralTable val,
      DeferralTable test,
      TextFeatureStep text,
      double[][] valQuality,
      double[][] testQuality) {}

  static Prepared prepare(
      TaskSpec task, DeferralTable train, DeferralTable val, DeferralTable test) {
    String column = task.textColumn();
    FittedTextFeaturizer f =
        TextFeatures.fit(train, column, new TextFeaturizer(TextOptions.defaults()));
    CostModel cm = new CostModel(task);
    return new Prepared(
        train,
        val,
        test,
        new TextFeatureStep(column, FittedTextFeaturizer.DEFAULT_PREFIX, f),
        QualityCostCurve.correctness(cm.costs(val), 0, 1),
        QualityCostCurve.correctness(cm.costs(test), 0, 1));
  }

  static Row run(Config c, TaskSpec task, Prepared p, int epochs) {
    DeferralTrainer.ScorerFactory scorer =
        c.scorer().equals("linear")
            ? DeferralTrainer.linear(0.0)
            : DeferralTrainer.mlp(
                List.of(Integer.parseInt(c.scorer().substring(4))), Activation.RELU, 0.0);
    TrainOptions options = new TrainOptions(Algorithm.ADAM, 1e-3, epochs, 128, 5, SEED);
    // Raw inputs (table features, then the TF-IDF block): the published curves used them unscaled.
    LearnedPolicy m =
        new DeferralTrainer(Surrogates.byName(c.method()), scorer, options, false)
            .withFeatures(FeatureOptions.raw().withStep(p.text()))
            .fit(task, p.train(), p.val(), TrainingListener.NONE);
    double fee = task.agents().get(1).fee();
    double[] vs = RouterScores.of(m, p.val(), 1);
    double[] ts = RouterScores.of(m, p.test(), 1);
    QualityCostCurve vc = QualityCostCurve.of(vs, p.valQuality()[0], p.valQuality()[1]);
    QualityCostCurve tc = QualityCostCurve.of(ts, p.testQuality()[0], p.testQuality()[1]);
    QualityCostCurve.Point op = tc.atThreshold(vc.cheapest(fee).threshold());
    return new Row(
        tc.apgr(),
        tc.callsToRecover(0.5),
        tc.callsToRecover(0.8),
        op.quality(),
        op.strongShare(),
        1 - op.quality() + fee * op.strongShare());
  }

  /** {random, oracle} on the test rows; random's share picked on validation. */
  static Row[] baselineRows(Prepared p, double fee) {
    double[][] q = p.testQuality();
    double[][] vq = p.valQuality();
    QualityCostCurve random = QualityCostCurve.random(mean(q[0]), mean(q[1]));
    double share = QualityCostCurve.random(mean(vq[0]), mean(vq[1])).cheapest(fee).strongShare();
    QualityCostCurve oracle = QualityCostCurve.oracle(q[0], q[1]);
    double s = random.endQuality();
    QualityCostCurve.Point op = oracle.cheapest(fee);
    return new Row[] {
      new Row(
          random.apgr(),
          random.callsToRecover(0.5),
          random.callsToRecover(0.8),
          random.qualityAt(share),
          share,
          1 - random.qualityAt(share) + fee * share),
      new Row(
          oracle.apgr(s),
          oracle.callsToRecover(0.5, s),
          oracle.callsToRecover(0.8, s),
          op.quality(),
          op.strongShare(),
          1 - op.quality() + fee * op.strongShare())
    };
  }

  static void baselines(Prepared p, double fee, PrintStream out, Row sd) {
    Row[] b = baselineRows(p, fee);
    double[][] q = p.testQuality();
    out.println(
        String.format(
            Locale.ROOT,
            "| Mixtral alone / GPT-4 alone | | | | %.2f %% / %.2f %% | 0 %% / 100 %% | %.4f /"
                + " %.4f | |",
            100 * mean(q[0]),
            100 * mean(q[1]),
            1 - mean(q[0]),
            1 - mean(q[1]) + fee));
    out.println(row("random (exact expectation)", b[0], sd, Double.NaN));
    out.println(row("oracle", b[1], sd, Double.NaN));
  }

  static void header(PrintStream out) {
    out.println(
        "| router | APGR | CPT(50%) | CPT(80%) | accuracy at operating point | GPT-4 calls there"
            + " | cost there (errors + 0.1 x calls) | train+eval s |");
    out.println("|---|---|---|---|---|---|---|---|");
  }

  static String row(String name, Row r, Row sd, double seconds) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %s |",
        name,
        num(r.apgr(), sd == null ? Double.NaN : sd.apgr(), 1, 4),
        num(r.cpt50(), sd == null ? Double.NaN : sd.cpt50(), 100, 1),
        num(r.cpt80(), sd == null ? Double.NaN : sd.cpt80(), 100, 1),
        num(r.opAccuracy(), sd == null ? Double.NaN : sd.opAccuracy(), 100, 2),
        num(r.opShare(), sd == null ? Double.NaN : sd.opShare(), 100, 1),
        num(r.opCost(), sd == null ? Double.NaN : sd.opCost(), 1, 4),
        Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.0f", seconds));
  }

  private static String num(double v, double sd, double scale, int digits) {
    String unit = scale == 100 ? " %" : "";
    String f = "%." + digits + "f";
    String s = String.format(Locale.ROOT, f, scale * v) + unit;
    if (!Double.isNaN(sd)) {
      s += String.format(Locale.ROOT, " ± " + f, scale * sd);
    }
    return s;
  }

  static Row mean(List<Row> rows) {
    double[] m = new double[6];
    for (Row r : rows) {
      double[] v = values(r);
      for (int k = 0; k < 6; k++) {
        m[k] += v[k] / rows.size();
      }
    }
    return new Row(m[0], m[1], m[2], m[3], m[4], m[5]);
  }

  /** Sample standard deviation over the folds (n − 1). */
  static Row sd(List<Row> rows) {
    Row mu = mean(rows);
    double[] mv = values(mu);
    double[] s = new double[6];
    for (Row r : rows) {
      double[] v = values(r);
      for (int k = 0; k < 6; k++) {
        s[k] += (v[k] - mv[k]) * (v[k] - mv[k]) / (rows.size() - 1);
      }
    }
    for (int k = 0; k < 6; k++) {
      s[k] = Math.sqrt(s[k]);
    }
    return new Row(s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  private static double[] values(Row r) {
    return new double[] {r.apgr(), r.cpt50(), r.cpt80(), r.opAccuracy(), r.opShare(), r.opCost()};
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  static int[] permutation(int n, SplittableRandom rng) {
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
}
