package org.defer4j.bench.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
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
 * The study behind defer4j's training defaults: trains the main methods on deferral tables of
 * different sizes and scales over a small grid of candidate settings (learning rate, epoch budget
 * and patience, standardisation, batch size, L-BFGS) and several seeds, and writes one CSV line per
 * run with the validation and test system cost and accuracy, next to the best single agent and the
 * oracle of each table. See docs/results.md, "Training defaults".
 *
 * <p>A setting is written {@code
 * lr=0.01,epochs=100,patience=10,std=1,batch=128,minsteps=0,alg=adam}; {@code minsteps} raises the
 * epoch budget of a small table so that the optimiser takes at least that many steps ({@code epochs
 * = max(epochs, ceil(minsteps / batches per epoch))}).
 *
 * <p>Usage: {@code DefaultsStudy OUT.csv SEEDS TABLE:METHOD,... SETTING;SETTING;...} where TABLE is
 * {@code DIR/NAME} with {@code NAME-train}, {@code NAME-val} (optional) and {@code NAME-test}
 * tables ({@code .parquet} or {@code .csv}) and {@code NAME.yaml} beside them; {@code NAME@ROWS}
 * trains on the first ROWS training rows only.
 */
public final class DefaultsStudy {
  private DefaultsStudy() {}

  /** One candidate setting. */
  record Setting(
      double lr,
      int epochs,
      int patience,
      boolean standardize,
      int batch,
      int minSteps,
      String alg) {
    static Setting parse(String s) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String p : s.split(",")) {
        String[] f = p.split("=");
        kv.put(f[0].trim(), f[1].trim());
      }
      return new Setting(
          Double.parseDouble(kv.getOrDefault("lr", "0.001")),
          Integer.parseInt(kv.getOrDefault("epochs", "30")),
          Integer.parseInt(kv.getOrDefault("patience", "5")),
          !kv.getOrDefault("std", "1").equals("0"),
          Integer.parseInt(kv.getOrDefault("batch", "128")),
          Integer.parseInt(kv.getOrDefault("minsteps", "0")),
          kv.getOrDefault("alg", "adam"));
    }

    String label() {
      return String.format(
          Locale.ROOT,
          "lr=%s;epochs=%d;patience=%d;std=%d;batch=%d;minsteps=%d;alg=%s",
          lr,
          epochs,
          patience,
          standardize ? 1 : 0,
          batch,
          minSteps,
          alg);
    }

    int epochsFor(int rows) {
      int batches = (rows + Math.min(batch, rows) - 1) / Math.min(batch, rows);
      return Math.max(epochs, (minSteps + batches - 1) / batches);
    }
  }

  /** A table's three splits and task. */
  record Table(
      String name, TaskSpec task, DeferralTable train, DeferralTable val, DeferralTable test) {}

  /**
   * Entry point.
   *
   * @param args OUT.csv SEEDS TABLE:METHOD,... SETTING;SETTING;...
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path out = Path.of(args[0]);
    int seeds = Integer.parseInt(args[1]);
    List<Setting> settings = new ArrayList<>();
    for (String s : args[3].split(";")) {
      settings.add(Setting.parse(s));
    }
    boolean header = !Files.exists(out);
    try (PrintWriter w =
        new PrintWriter(
            Files.newBufferedWriter(
                out,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND))) {
      if (header) {
        w.println(
            "table,train_rows,method,setting,seed,epochs_max,epochs_run,best_epoch,seconds,"
                + "val_cost,val_acc,test_cost,test_acc,test_coverage,"
                + "best_single_val_cost,best_single_test_cost,best_single_test_acc,"
                + "oracle_test_cost,oracle_test_acc");
      }
      Table current = null;
      for (String tm : args[2].split(",")) {
        int colon = tm.indexOf(':');
        String tableSpec = tm.substring(0, colon);
        String method = tm.substring(colon + 1);
        if (current == null || !current.name.equals(tableSpec)) {
          current = read(tableSpec);
        }
        for (Setting s : settings) {
          for (int seed = 0; seed < seeds; seed++) {
            w.println(run(current, method, s, seed));
            w.flush();
          }
        }
      }
    }
  }

  static Table read(String spec) throws IOException {
    int at = spec.indexOf('@');
    String base = at < 0 ? spec : spec.substring(0, at);
    Path yaml = Path.of(base + ".yaml");
    TaskSpec task = TaskSpecIo.read(yaml);
    DeferralTable train = DeferralTableReader.read(split(base, "train"), task);
    if (at >= 0) {
      int rows = Integer.parseInt(spec.substring(at + 1));
      int[] idx = new int[rows];
      java.util.Arrays.setAll(idx, i -> i);
      train = train.select(idx);
    }
    Path valPath = split(base, "val");
    DeferralTable val = Files.exists(valPath) ? DeferralTableReader.read(valPath, task) : null;
    DeferralTable test = DeferralTableReader.read(split(base, "test"), task);
    return new Table(spec, task, train, val, test);
  }

  private static Path split(String base, String part) {
    Path parquet = Path.of(base + "-" + part + ".parquet");
    return Files.exists(parquet) ? parquet : Path.of(base + "-" + part + ".csv");
  }

  static String run(Table t, String method, Setting s, int seed) {
    FeatureOptions features = FeatureOptions.defaults().withStandardize(s.standardize);
    if (t.task.textColumn() != null) {
      FittedTextFeaturizer text =
          TextFeatures.fit(
              t.train, t.task.textColumn(), new TextFeaturizer(TextOptions.defaults()));
      features =
          features.withStep(
              new TextFeatureStep(t.task.textColumn(), FittedTextFeaturizer.DEFAULT_PREFIX, text));
    }
    int epochs = s.epochsFor(t.train.rows());
    TrainOptions o =
        new TrainOptions(Algorithm.parse(s.alg), s.lr, epochs, s.batch, s.patience, seed);
    long t0 = System.nanoTime();
    LearnedPolicy p =
        new DeferralTrainer(Surrogates.byName(method), DeferralTrainer.linear(0), o, false)
            .withFeatures(features)
            .fit(t.task, t.train, t.val, TrainingListener.NONE);
    double sec = (System.nanoTime() - t0) / 1e9;
    DeferralReport val = t.val == null ? null : Evaluation.of(p, t.task, t.val).report();
    Evaluation test = Evaluation.of(p, t.task, t.test);
    double[] singleVal = t.val == null ? null : bestSingle(p, t.task, t.val);
    double[] singleTest = bestSingle(p, t.task, t.test);
    DeferralReport oracle = oracle(p, t.task, t.test);
    return String.format(
        Locale.ROOT,
        "%s,%d,%s,%s,%d,%d,%d,%d,%.2f,%s,%s,%.5f,%.5f,%.5f,%s,%.5f,%.5f,%.5f,%.5f",
        t.name.replaceAll(".*/", ""),
        t.train.rows(),
        method,
        s.label(),
        seed,
        epochs,
        p.provenance().epochs(),
        p.provenance().bestEpoch(),
        sec,
        val == null ? "" : String.format(Locale.ROOT, "%.5f", val.meanCost()),
        val == null ? "" : String.format(Locale.ROOT, "%.5f", val.systemAccuracy()),
        test.report().meanCost(),
        test.report().systemAccuracy(),
        test.report().coverage(),
        singleVal == null ? "" : String.format(Locale.ROOT, "%.5f", singleVal[0]),
        singleTest[0],
        singleTest[1],
        oracle.meanCost(),
        oracle.systemAccuracy());
  }

  /**
   * The cheapest single agent on a table, {cost, accuracy}: every expert alone (the fallback rule
   * where it did not answer) and the model alone (one-stage: the policy's own classifier).
   */
  static double[] bestSingle(LearnedPolicy p, TaskSpec task, DeferralTable table) {
    Decisions learned = p.decide(table);
    double best = Double.POSITIVE_INFINITY;
    double acc = Double.NaN;
    List<String> names = new ArrayList<>(List.of("model"));
    task.experts().forEach(e -> names.add("expert:" + e.name()));
    for (String n : names) {
      Decisions d =
          (n.equals("model") ? Policies.model() : Policies.parse(n, task))
              .decide(table, org.defer4j.core.policy.Availability.observed(task, table));
      DeferralReport r =
          org.defer4j.core.metric.DeferralMetrics.evaluate(
              Evaluation.costs(task, table, learned), d, table);
      if (r.meanCost() < best) {
        best = r.meanCost();
        acc = r.systemAccuracy();
      }
    }
    return new double[] {best, acc};
  }

  static DeferralReport oracle(LearnedPolicy p, TaskSpec task, DeferralTable table) {
    Decisions learned = p.decide(table);
    org.defer4j.core.cost.CostMatrix c = Evaluation.costs(task, table, learned);
    return org.defer4j.core.metric.DeferralMetrics.evaluate(
        c, org.defer4j.core.metric.Oracle.decisions(c), table);
  }
}
