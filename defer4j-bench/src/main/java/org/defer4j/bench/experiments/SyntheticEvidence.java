package org.defer4j.bench.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.ExpertCorrectnessSurrogate;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Calibration;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.ConsistencyExperiment;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.core.synthetic.SyntheticCounterexamples;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.core.train.TriageTrainer;

/**
 * Produces the tables of docs/results.md, section "One-stage surrogates on synthetic data":
 * consistency (excess risk against n), the two known counterexamples (moe; realizable / psi:log
 * with a stochastic expert), realizability on the linear problem of Mozannar et al. 2023,
 * calibration of expert-correctness estimates, and post-hoc triage.
 *
 * <p>Usage: {@code SyntheticEvidence [--out FILE] [--seeds S] [--sizes 1000,10000,100000] [--part
 * all|dependent]}. The markdown goes to FILE (default: standard output); progress goes to standard
 * error. {@code --part dependent} runs only the consistency tables on the problems with
 * class-dependent (confusion-matrix) and deterministic experts.
 */
public final class SyntheticEvidence {
  private static final List<String> ONE_EXPERT =
      List.of(
          "ce",
          "ova",
          "asym-softmax",
          "psi:mae",
          "cost-sensitive",
          "decoupled",
          "lsf",
          "ce-rejector",
          "pr",
          "realizable",
          "psi:log",
          "moe");

  private final int seeds;
  private final int[] sizes;
  private final PrintStream out;

  private SyntheticEvidence(int seeds, int[] sizes, PrintStream out) {
    this.seeds = seeds;
    this.sizes = sizes.clone();
    this.out = out;
  }

  /**
   * Runs every experiment.
   *
   * @param args {@code --out FILE}, {@code --seeds S}, {@code --sizes N1,N2,...}
   * @throws IOException when the output file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path file = null;
    int seeds = 5;
    int[] sizes = {1_000, 10_000, 100_000};
    String part = "all";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> file = Path.of(args[++i]);
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--part" -> part = args[++i];
        case "--sizes" ->
            sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    PrintStream ps =
        file == null
            ? System.out
            : new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    SyntheticEvidence e = new SyntheticEvidence(seeds, sizes, ps);
    if (!part.equals("all") && !part.equals("dependent")) {
      throw new IllegalArgumentException("--part is all or dependent, got " + part);
    }
    if (part.equals("all")) {
      e.consistency(1);
      e.consistency(3);
      e.counterexamples();
      e.realizability();
      e.calibration();
      e.triage();
    }
    for (int experts : new int[] {1, 3}) {
      e.consistency(
          "class-dependent experts (a confusion matrix per expert and cell: accuracy per class"
              + " uniform on [0.3, 0.95], errors split by a Dirichlet(1) draw)",
          DiscreteDeferralProblem.randomClassDependent(
              20, 3, experts, 1.0, 0.3, 0.95, 0.0, new SplittableRandom(2026)),
          experts);
    }
    for (int experts : new int[] {1, 3}) {
      e.consistency(
          "deterministic experts (each answers a fixed class per cell, drawn uniformly)",
          DiscreteDeferralProblem.randomDeterministic(
              20, 3, experts, 1.0, 0.0, new SplittableRandom(2026)),
          experts);
    }
    ps.printf(Locale.ROOT, "%nTotal run time: %.0f s.%n", (System.nanoTime() - t0) / 1e9);
    if (file != null) {
      ps.close();
    }
  }

  private static DiscreteDeferralProblem randomProblem(int experts) {
    return DiscreteDeferralProblem.random(
        20, 3, experts, 1.0, 0.3, 0.95, 0.0, new SplittableRandom(2026));
  }

  private static void progress(String what) {
    System.err.println(what);
  }

  private void consistency(int experts) {
    consistency(null, randomProblem(experts), experts);
  }

  private void consistency(String kind, DiscreteDeferralProblem p, int experts) {
    out.printf(
        Locale.ROOT,
        "%n#### Excess risk R(f_n) − R*, %d expert%s%s (20 cells, K = 3, Bayes risk %.4f; mean ±"
            + " sd over %d seeds)%n%n",
        experts,
        experts == 1 ? "" : "s",
        kind == null ? "" : ", " + kind,
        p.bayesRisk(),
        seeds);
    header("surrogate", sizes);
    for (String name : ONE_EXPERT) {
      Surrogate s = Surrogates.byName(name);
      StringBuilder row = new StringBuilder("| `" + name + "` |");
      for (int n : sizes) {
        double[] v = new double[seeds];
        String cell = null;
        for (int seed = 0; seed < seeds && cell == null; seed++) {
          try {
            v[seed] =
                ConsistencyExperiment.run(
                        s,
                        p,
                        n,
                        seed,
                        ConsistencyExperiment.DEFAULT_L2,
                        ConsistencyExperiment.defaultOptions())
                    .excessRisk();
          } catch (IllegalArgumentException ex) {
            cell = "n/a (single expert)";
          }
        }
        row.append(' ').append(cell != null ? cell : meanSd(v)).append(" |");
        progress(name + " J=" + experts + " n=" + n + " " + (cell != null ? cell : meanSd(v)));
      }
      out.println(row);
    }
    out.printf(
        Locale.ROOT,
        "| moe limit (defer iff 1 − q < H(η)) | %s |%n",
        String.join(
            " | ",
            java.util.Collections.nCopies(sizes.length, fmt(moeLimitExcess(p)) + " (exact)")));
  }

  /** Excess risk of the mixture-of-experts minimiser's rule: defer iff E[c_j] &lt; H(η). */
  static double moeLimitExcess(DiscreteDeferralProblem p) {
    int k = p.classes();
    int[] d = new int[p.cells()];
    for (int c = 0; c < p.cells(); c++) {
      double[] eta = p.classLaw(c);
      double h = 0;
      int top = 0;
      for (int y = 0; y < k; y++) {
        h -= eta[y] > 0 ? eta[y] * Math.log(eta[y]) : 0;
        if (eta[y] > eta[top]) {
          top = y;
        }
      }
      d[c] = top;
      double best = h;
      for (int j = 0; j < p.experts(); j++) {
        double cost = p.conditionalRisk(c, k + j);
        if (cost < best) {
          best = cost;
          d[c] = k + j;
        }
      }
    }
    return p.risk(d) - p.bayesRisk();
  }

  private void counterexamples() {
    out.printf(
        Locale.ROOT,
        "%n#### Counterexamples (2 cells, K = 2, one expert; excess risk, mean ± sd over %d"
            + " seeds)%n%n",
        seeds);
    header("problem / surrogate", sizes);
    String moeText = "moe problem: cell η = (0.8, 0.2), q = 0.6 (moe limit excess 0.1)";
    String rsText = "realizable problem: cell η = (½, ½), q = 0.6 (L_RS limit excess 0.05)";
    String[][] runs = {
      {"moe", moeText}, {"ce", moeText}, {"realizable", rsText},
      {"psi:log", rsText}, {"psi:mae", rsText}, {"ce", rsText}
    };
    for (String[] r : runs) {
      DiscreteDeferralProblem p =
          r[1] == moeText
              ? SyntheticCounterexamples.mixtureOfExperts()
              : SyntheticCounterexamples.realizable();
      StringBuilder row = new StringBuilder("| " + r[1] + " — `" + r[0] + "` |");
      for (int n : sizes) {
        double[] v = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
          v[seed] =
              ConsistencyExperiment.run(
                      Surrogates.byName(r[0]),
                      p,
                      n,
                      seed,
                      ConsistencyExperiment.DEFAULT_L2,
                      ConsistencyExperiment.defaultOptions())
                  .excessRisk();
        }
        row.append(' ').append(meanSd(v)).append(" |");
      }
      progress(row.toString());
      out.println(row);
    }
  }

  private void realizability() {
    int d = 10;
    int n = 5000;
    out.printf(
        Locale.ROOT,
        "%n#### Realizability: linear problem of Mozannar et al. 2023 (d = %d, %d training rows,"
            + " 20000 test rows, optimal linear pair error 0; L-BFGS 300 iterations, no L2; %d"
            + " seeds)%n%n",
        d,
        n,
        seeds);
    out.println("| surrogate | system error (mean ± sd) | coverage (share kept by the model) |");
    out.println("|---|---|---|");
    for (String name : List.of("ce", "ova", "moe", "realizable", "psi:log", "psi:mae")) {
      double[] err = new double[seeds];
      double[] cov = new double[seeds];
      for (int seed = 0; seed < seeds; seed++) {
        SplittableRandom rng = new SplittableRandom(seed);
        LinearDeferralProblem p = LinearDeferralProblem.realizable(d, rng.split());
        DeferralTable train = p.sample(n, rng.split());
        DeferralTable test = p.sample(20_000, rng.split());
        TrainOptions o = new TrainOptions(Algorithm.LBFGS, 1.0, 300, 1, 0, seed);
        // Raw inputs: the published system errors were fitted on unstandardised features.
        LearnedPolicy m =
            new DeferralTrainer(Surrogates.byName(name), DeferralTrainer.linear(0), o, false)
                .withFeatures(FeatureOptions.raw())
                .fit(p.task(), train, null, TrainingListener.NONE);
        DeferralReport r = Evaluation.of(m, p.task(), test).report();
        err[seed] = 1 - r.systemAccuracy();
        cov[seed] = r.coverage();
      }
      String row = "| `" + name + "` | " + meanSd(err) + " | " + meanSd(cov) + " |";
      progress(row);
      out.println(row);
    }
  }

  private void calibration() {
    out.printf(
        Locale.ROOT,
        "%n#### Calibration of expert-correctness estimates (logistic linear problem, d = 10,"
            + " 5000 training rows, 20000 test rows; L-BFGS 300 iterations, no L2; %d seeds)%n%n",
        seeds);
    out.println(
        "| surrogate | ECE (20 bins) | mean abs. error vs the true P(expert right ∣ x) | largest"
            + " estimate | share of rows above 1 |");
    out.println("|---|---|---|---|---|");
    for (String name : List.of("ova", "asym-softmax", "decoupled", "ce")) {
      double[] ece = new double[seeds];
      double[] mae = new double[seeds];
      double[] max = new double[seeds];
      double[] over = new double[seeds];
      for (int seed = 0; seed < seeds; seed++) {
        SplittableRandom rng = new SplittableRandom(100 + seed);
        LinearDeferralProblem p = LinearDeferralProblem.logistic(10, 2.0, 4.0, -0.5, rng.split());
        DeferralTable train = p.sample(5000, rng.split());
        DeferralTable test = p.sample(20_000, rng.split());
        ExpertCorrectnessSurrogate s = (ExpertCorrectnessSurrogate) Surrogates.byName(name);
        TrainOptions o = new TrainOptions(Algorithm.LBFGS, 1.0, 300, 1, 0, seed);
        // Raw inputs: the published calibration figures were fitted on unstandardised features.
        LearnedPolicy m =
            new DeferralTrainer(s, DeferralTrainer.linear(0), o, false)
                .withFeatures(FeatureOptions.raw())
                .fit(p.task(), train, null, TrainingListener.NONE);
        double[] sc = RawScores.of(m, test);
        int w = sc.length / test.rows();
        double[] q = new double[test.rows()];
        int[] correct = new int[test.rows()];
        double err = 0;
        double top = 0;
        int above = 0;
        for (int i = 0; i < q.length; i++) {
          double e = s.expertCorrectness(Arrays.copyOfRange(sc, i * w, (i + 1) * w), 2, 1)[0];
          err += Math.abs(e - p.expertAccuracy(test.featureRow(i)));
          top = Math.max(top, e);
          above += e > 1 ? 1 : 0;
          q[i] = Math.min(1.0, e);
          correct[i] = test.agent("e1").predictedClass(i) == test.label(i) ? 1 : 0;
        }
        ece[seed] = Calibration.expectedCalibrationError(q, correct);
        mae[seed] = err / q.length;
        max[seed] = top;
        over[seed] = above / (double) q.length;
      }
      String row =
          "| `"
              + name
              + "` | "
              + meanSd(ece)
              + (name.equals("ce") ? " (estimates clipped to 1)" : "")
              + " | "
              + meanSd(mae)
              + " | "
              + meanSd(max)
              + " | "
              + meanSd(over)
              + " |";
      progress(row);
      out.println(row);
    }
  }

  private void triage() {
    out.printf(
        Locale.ROOT,
        "%n#### Post-hoc triage (TriageTrainer, linear classifier, budget 1, Adam lr 0.05,"
            + " 30 epochs per stage, batch 64; 5000 training and 2000 validation rows; %d"
            + " seeds)%n%n",
        seeds);
    out.println(
        "| problem | triage | one-stage `ce` | model alone | expert alone | Bayes / optimal |");
    out.println("|---|---|---|---|---|---|");
    double[][] disc = new double[5][seeds];
    double[][] lin = new double[5][seeds];
    for (int seed = 0; seed < seeds; seed++) {
      TrainOptions o = new TrainOptions(Algorithm.ADAM, 0.05, 30, 64, 5, seed);
      SplittableRandom rng = new SplittableRandom(seed);
      DiscreteDeferralProblem p =
          DiscreteDeferralProblem.random(20, 3, 1, 1.0, 0.3, 0.95, 0.0, rng.split());
      DeferralTable train = p.sample(5000, rng.split());
      DeferralTable val = p.sample(2000, rng.split());
      TriageTrainer tt = new TriageTrainer(DeferralTrainer.linear(0), o, 1.0);
      Scorer pre = tt.pretrain(p.task(), train, TrainingListener.NONE);
      // The 5-argument triage fit reads the features as they are (raw), as in the published run.
      LearnedPolicy m = tt.fit(p.task(), pre, train, val, TrainingListener.NONE);
      // Raw inputs: the published one-stage `ce` baseline was fitted on unstandardised features.
      LearnedPolicy ce =
          new DeferralTrainer(Surrogates.crossEntropy(), DeferralTrainer.linear(0), o, false)
              .withFeatures(FeatureOptions.raw())
              .fit(p.task(), train, val, TrainingListener.NONE);
      disc[0][seed] = p.risk(ConsistencyExperiment.decisions(m, p));
      disc[1][seed] = p.risk(ConsistencyExperiment.decisions(ce, p));
      double model = 0;
      double expert = 0;
      DeferralTable cells = ConsistencyExperiment.cellTable(p);
      double[] s = new double[p.classes()];
      for (int c = 0; c < p.cells(); c++) {
        pre.forward(cells.featureBlock(), c * p.cells(), s, pre.newWorkspace());
        int best = 0;
        for (int y = 1; y < s.length; y++) {
          best = s[y] > s[best] ? y : best;
        }
        model += p.conditionalRisk(c, best) / p.cells();
        expert += (1 - p.expertAccuracy(c)[0]) / p.cells();
      }
      disc[2][seed] = model;
      disc[3][seed] = expert;
      disc[4][seed] = p.bayesRisk();

      LinearDeferralProblem lp = LinearDeferralProblem.realizable(10, rng.split());
      DeferralTable lt = lp.sample(5000, rng.split());
      DeferralTable lv = lp.sample(2000, rng.split());
      DeferralTable test = lp.sample(20_000, rng.split());
      Scorer lpre = tt.pretrain(lp.task(), lt, TrainingListener.NONE);
      LearnedPolicy lm = tt.fit(lp.task(), lpre, lt, lv, TrainingListener.NONE);
      // Raw inputs, as above.
      LearnedPolicy lce =
          new DeferralTrainer(Surrogates.crossEntropy(), DeferralTrainer.linear(0), o, false)
              .withFeatures(FeatureOptions.raw())
              .fit(lp.task(), lt, lv, TrainingListener.NONE);
      lin[0][seed] = 1 - Evaluation.of(lm, lp.task(), test).report().systemAccuracy();
      lin[1][seed] = 1 - Evaluation.of(lce, lp.task(), test).report().systemAccuracy();
      int mw = 0;
      int ew = 0;
      double[] s2 = new double[2];
      for (int i = 0; i < test.rows(); i++) {
        lpre.forward(test.featureBlock(), i * test.featureCount(), s2, lpre.newWorkspace());
        mw += (s2[1] > s2[0] ? 1 : 0) != test.label(i) ? 1 : 0;
        ew += test.agent("e1").predictedClass(i) != test.label(i) ? 1 : 0;
      }
      lin[2][seed] = mw / (double) test.rows();
      lin[3][seed] = ew / (double) test.rows();
      lin[4][seed] = 0.0;
      progress("triage seed " + seed + " done");
    }
    out.println(
        "| one-hot cells (20 cells, K = 3, one expert; exact risk) | "
            + String.join(" | ", meanSds(disc))
            + " |");
    out.println(
        "| linear realizable (d = 10; test error, 20000 rows) | "
            + String.join(" | ", meanSds(lin))
            + " |");
  }

  private static List<String> meanSds(double[][] v) {
    List<String> out = new ArrayList<>();
    for (double[] x : v) {
      out.add(meanSd(x));
    }
    return out;
  }

  private void header(String first, int[] ns) {
    StringBuilder h = new StringBuilder("| " + first + " |");
    StringBuilder r = new StringBuilder("|---|");
    for (int n : ns) {
      h.append(" n = ").append(n).append(" |");
      r.append("---|");
    }
    out.println(h);
    out.println(r);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", Math.abs(v) < 5e-13 ? 0.0 : v);
  }

  private static String meanSd(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x;
    }
    m /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
    return fmt(m) + " ± " + fmt(sd);
  }
}
