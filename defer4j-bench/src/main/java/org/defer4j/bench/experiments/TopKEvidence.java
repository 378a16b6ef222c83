package org.defer4j.bench.experiments;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.defer4j.cli.datasets.HateSpeech;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.ConsistencyExperiment;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.synthetic.TopKExperiment;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.CardinalityTrainer;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.StageOneModel;
import org.defer4j.core.train.StageOneTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * The evidence behind the top-k committees (docs/results.md, "Top-k committees"):
 *
 * <ol>
 *   <li><b>Synthetic, known laws</b>: 12 cells, 3 classes, 3 experts each accurate (0.9) on the
 *       cells of one class and 0.35 elsewhere, fees 0.05; the {@code topk} surrogate is trained
 *       once (linear on one-hot cells, {@link ConsistencyExperiment#defaultOptions()}) for n = 200,
 *       2,000, 20,000 and its top-k risk compared with the Bayes top-k rule for k = 1, 2, 3.
 *   <li><b>HateSpeech with three annotators</b> (votes drawn without replacement, as {@link
 *       HateSpeechEvidence}; 2,048 hashed TF-IDF features), fee β per annotator: {@code topk}
 *       trained with the defaults (Adam lr 0.001, 30 epochs, patience 5, standardised inputs),
 *       committees of k = 1..5 and k(x) for a sweep of λ, on the test split; and the check that k =
 *       1 gives the single-agent decisions exactly.
 * </ol>
 *
 * <p>Usage: {@code TopKEvidence DATA_DIR [-seeds 3] [-fee 0.05]}.
 */
public final class TopKEvidence {
  private static final List<String> ANNOTATORS = List.of("annotator1", "annotator2", "annotator3");

  private TopKEvidence() {}

  /**
   * Entry point.
   *
   * @param args DATA_DIR and options
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path dataDir = Path.of(args[0]);
    int seeds = 3;
    double fee = 0.05;
    boolean onValidation = false;
    for (int i = 1; i < args.length; i += 2) {
      switch (args[i]) {
        case "-seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "-fee" -> fee = Double.parseDouble(args[i + 1]);
        case "-cardinality" -> onValidation = args[i + 1].equals("val");
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    PrintStream out = System.out;
    synthetic(out);
    Path csv = dataDir.resolve("hatespeech").resolve("labeled_data.csv");
    if (!Files.isRegularFile(csv)) {
      csv = dataDir.resolve("labeled_data.csv");
    }
    List<HateSpeech.Tweet> tweets = HateSpeech.read(csv);
    hateSpeech(tweets, seeds, fee, onValidation, false, out);
    hateSpeech(tweets, seeds, fee, onValidation, true, out);
  }

  static void synthetic(PrintStream out) {
    DiscreteDeferralProblem p = TopKExperiment.specialists(0.05);
    out.println("### Synthetic: excess top-k risk over the Bayes top-k rule (mean over 3 seeds)");
    out.println();
    out.println("| n | k = 1 | k = 2 | k = 3 |");
    out.println("|---|---|---|---|");
    for (int n : new int[] {200, 2_000, 20_000}) {
      double[] ex = new double[3];
      for (long seed = 1; seed <= 3; seed++) {
        LearnedPolicy pol =
            ConsistencyExperiment.run(
                    Surrogates.topK(), p, n, seed, 0.0, ConsistencyExperiment.defaultOptions())
                .model();
        for (int k = 1; k <= 3; k++) {
          ex[k - 1] += TopKExperiment.excessTopK(pol, p, k) / 3;
        }
      }
      out.printf(Locale.ROOT, "| %,d | %.4f | %.4f | %.4f |%n", n, ex[0], ex[1], ex[2]);
    }
    out.println();
  }

  /** One committee configuration's test figures, averaged over seeds. */
  static final class Row {
    final String name;
    double accuracy;
    double cost;
    double fees;
    double size;

    Row(String name) {
      this.name = name;
    }
  }

  static void hateSpeech(
      List<HateSpeech.Tweet> tweets,
      int seeds,
      double fee,
      boolean onValidation,
      boolean twoStage,
      PrintStream out) {
    List<Agent> experts = new ArrayList<>();
    for (String a : ANNOTATORS) {
      experts.add(Agent.expert(a, fee));
    }
    TaskSpec task = TaskSpec.classification(HateSpeech.CLASSES, twoStage ? "clf" : null, experts);
    // One-stage: K + J = 6 entities; two-stage: the frozen classifier and the annotators, 4.
    int maxFixed = twoStage ? 4 : 5;
    double[] lambdas = {0.0, 0.5, 1.0, 2.0, 4.0};
    List<Row> rows = new ArrayList<>();
    for (int k = 1; k <= maxFixed; k++) {
      rows.add(new Row("k = " + k));
    }
    for (double l : lambdas) {
      rows.add(new Row(String.format(Locale.ROOT, "k(x), lambda = %s", l)));
    }
    Evaluator.Options noIntervals = Evaluator.Options.defaults().withResamples(0);
    int mismatches = 0;
    long started = System.nanoTime();
    for (int seed = 0; seed < seeds; seed++) {
      HateSpeechEvidence.Split split = HateSpeechEvidence.split(tweets, seed, 2048);
      DeferralTable train = split.three()[0];
      DeferralTable val = split.three()[1];
      DeferralTable test = split.three()[2];
      // The former defaults, with which docs/results.md's top-k figures were measured.
      TrainOptions options =
          new TrainOptions(org.defer4j.core.train.Algorithm.ADAM, 1e-3, 30, 128, 5, seed);
      if (twoStage) {
        // Stage one: the classifier the rejector routes around, trained on the same split.
        StageOneModel clf =
            new StageOneTrainer(DeferralTrainer.linear(0.0), 0.0, options)
                .fit(task, train, val, TrainingListener.NONE);
        train = clf.attach(train);
        val = clf.attach(val);
        test = clf.attach(test);
      }
      LearnedPolicy base =
          new DeferralTrainer(Surrogates.topK(), DeferralTrainer.linear(0.0), options, false)
              .fit(task, train, val, TrainingListener.NONE);
      Availability av = Availability.observed(task, test);
      Decisions single = base.decide(test, av);
      Decisions one = base.withCommittee(CommitteeRule.topK(1, Aggregator.VOTE)).decide(test, av);
      for (int i = 0; i < test.rows(); i++) {
        mismatches += single.agent(i) != one.agent(i) ? 1 : 0;
      }
      for (int k = 1; k <= maxFixed; k++) {
        add(
            rows.get(k - 1),
            CommitteeEvaluation.of(
                "k",
                base.withCommittee(CommitteeRule.topK(k, Aggregator.VOTE)).decide(test, av),
                task,
                test,
                noIntervals),
            seeds);
      }
      for (int l = 0; l < lambdas.length; l++) {
        LearnedPolicy adaptive =
            new CardinalityTrainer(
                    maxFixed,
                    lambdas[l],
                    CommitteeRule.Penalty.FEES,
                    Aggregator.VOTE,
                    options,
                    DeferralTrainer.linear(0.0))
                .fit(
                    base,
                    task,
                    onValidation ? half(val, 0) : train,
                    onValidation ? half(val, 1) : val,
                    TrainingListener.NONE);
        add(
            rows.get(maxFixed + l),
            CommitteeEvaluation.of("k(x)", adaptive.decide(test, av), task, test, noIntervals),
            seeds);
      }
    }
    out.printf(
        Locale.ROOT,
        "### HateSpeech, three annotators at fee %s each, %s, test split, mean of %d seeds (%.0f"
            + " s)%n%n",
        fee,
        twoStage
            ? "two-stage around a frozen linear classifier (topk = 2s-comp:1, defaults)"
            : "one-stage topk (defaults)",
        seeds,
        (System.nanoTime() - started) / 1e9);
    out.printf(
        Locale.ROOT, "k = 1 against the single-agent decisions: %d mismatches%n%n", mismatches);
    out.println(
        "| committee | accuracy | cost (error + fees) | fees | mean size | fixed-k mix at that"
            + " size: accuracy / cost |");
    out.println("|---|---|---|---|---|---|");
    for (Row r : rows) {
      String mix = "";
      if (r.name.startsWith("k(x)")) {
        double[] m = mix(rows, r.size, maxFixed);
        mix = String.format(Locale.ROOT, "%.2f%% / %.4f", 100 * m[0], m[1]);
      }
      out.printf(
          Locale.ROOT,
          "| %s | %.2f%% | %.4f | %.4f | %.2f | %s |%n",
          r.name,
          100 * r.accuracy,
          r.cost,
          r.fees,
          r.size,
          mix);
    }
    out.println();
  }

  /**
   * The accuracy and cost of randomising between the fixed sizes ⌊m⌋ and ⌈m⌉ so that the mean size
   * is m (linear interpolation of the fixed-k rows by their measured mean sizes).
   */
  static double[] mix(List<Row> rows, double m, int maxFixed) {
    for (int k = 0; k + 1 < maxFixed; k++) {
      Row a = rows.get(k);
      Row b = rows.get(k + 1);
      if (m >= a.size && m <= b.size) {
        double t = (m - a.size) / (b.size - a.size);
        return new double[] {
          a.accuracy + t * (b.accuracy - a.accuracy), a.cost + t * (b.cost - a.cost)
        };
      }
    }
    Row edge = m < rows.get(0).size ? rows.get(0) : rows.get(maxFixed - 1);
    return new double[] {edge.accuracy, edge.cost};
  }

  /** The even (part 0) or odd (part 1) rows of a table. */
  static DeferralTable half(DeferralTable t, int part) {
    int[] rows = new int[(t.rows() + 1 - part) / 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = 2 * i + part;
    }
    return t.select(rows);
  }

  private static void add(Row r, CommitteeEvaluation e, int seeds) {
    r.accuracy += e.accuracy().estimate() / seeds;
    r.cost += e.meanCost().estimate() / seeds;
    r.fees += e.meanFees() / seeds;
    r.size += e.meanSize() / seeds;
  }
}
