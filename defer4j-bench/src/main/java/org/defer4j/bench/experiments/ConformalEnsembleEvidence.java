package org.defer4j.bench.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.defer4j.cli.datasets.HateSpeech;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.conformal.ConformalEnsembleStudy;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * Conformal expert ensembles (Verma, Barrejón &amp; Nalisnick 2023; {@link ConformalEnsembleStudy})
 * on HateSpeech with three experts (three annotator votes per tweet drawn without replacement, the
 * setting (b) of {@link HateSpeechEvidence}): a one-vs-all policy (linear, raw 1,024 hashed TF-IDF
 * features, Adam lr 0.01, batch 128, at most 40 epochs, patience 5) is trained per seed; on the
 * test tweets it defers, π_j(x) = σ(s_⊥j) are the experts' confidences, and over random 80 / 20
 * calibration / test splits of those deferred tweets (the reference code's {@code cal_percent}) the
 * split-conformal and risk-control sets are built. Prints, per seed and α: coverage of "every
 * correct expert in the set", mean set size, accuracy of the set's vote, accuracy of the policy's
 * own single chosen expert on the same tweets, and the risk-control variant's mean FNR and size.
 *
 * <p>Usage: {@code ConformalEnsembleEvidence DATA_DIR [-seeds N] [-splits S]}, DATA_DIR holding
 * {@code hatespeech/labeled_data.csv}.
 */
public final class ConformalEnsembleEvidence {
  private static final List<String> THREE = List.of("annotator1", "annotator2", "annotator3");

  private ConformalEnsembleEvidence() {}

  /**
   * Entry point.
   *
   * @param args DATA_DIR and options (see the class comment)
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args.length < 1) {
      System.err.println("usage: ConformalEnsembleEvidence DATA_DIR [-seeds N] [-splits S]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int seeds = 3;
    int splits = 100;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "-seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "-splits" -> splits = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path csv = dataDir.resolve("hatespeech").resolve("labeled_data.csv");
    if (!Files.isRegularFile(csv)) {
      csv = dataDir.resolve("labeled_data.csv");
    }
    List<HateSpeech.Tweet> tweets = HateSpeech.read(csv);
    TaskSpec task = HateSpeech.task(THREE);
    System.out.println(
        "| seed | deferred test tweets | 1 − α | coverage | mean set size | vote accuracy |"
            + " chosen-expert accuracy | CRC mean FNR | CRC mean set size | CRC vote accuracy |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (int seed = 0; seed < seeds; seed++) {
      HateSpeechEvidence.Split s = HateSpeechEvidence.split(tweets, seed, 1024);
      DeferralTable[] t = s.three();
      LearnedPolicy policy =
          new DeferralTrainer(
                  Surrogates.oneVsAll(),
                  DeferralTrainer.linear(0),
                  new TrainOptions(Algorithm.ADAM, 1e-2, 40, 128, 5, seed),
                  false)
              .withFeatures(FeatureOptions.raw())
              .fit(task, t[0], t[1], TrainingListener.NONE);
      DeferralTable test = t[2];
      Decisions d = policy.decide(test, Availability.observed(task, test));
      CostMatrix c = Evaluation.costs(task, test, d);
      AgentSet agents = task.agents();
      int j = agents.expertCount();
      List<Integer> deferred = new ArrayList<>();
      for (int i = 0; i < d.rows(); i++) {
        if (d.agent(i) != 0) {
          deferred.add(i);
        }
      }
      int n = deferred.size();
      double[] pi = new double[n * j];
      boolean[] right = new boolean[n * j];
      int[] answers = new int[n * j];
      int[] label = new int[n];
      boolean[] chosenRight = new boolean[n];
      for (int r = 0; r < n; r++) {
        int i = deferred.get(r);
        label[r] = test.label(i);
        chosenRight[r] = c.correct(i, d.agent(i)) == 1;
        for (int e = 0; e < j; e++) {
          double a = agents.get(e + 1).alpha();
          pi[r * j + e] = 1 - (d.expectedCost(i, e + 1) - agents.get(e + 1).fee()) / a;
          right[r * j + e] = c.correct(i, e + 1) == 1;
          answers[r * j + e] = test.agent(THREE.get(e)).predictedClass(i);
        }
      }
      ConformalEnsembleStudy.Cases cases =
          new ConformalEnsembleStudy.Cases(pi, right, answers, label, chosenRight, j);
      for (double alpha : new double[] {0.05, 0.1, 0.2}) {
        ConformalEnsembleStudy.Summary r =
            ConformalEnsembleStudy.run(cases, alpha, 0.8, splits, seed * 7919L + 1);
        System.out.printf(
            Locale.ROOT,
            "| %d | %d | %.2f | %.2f %% | %.3f | %.2f %% | %.2f %% | %.2f %% | %.3f | %.2f %% |%n",
            seed,
            n,
            1 - alpha,
            100 * r.coverage(),
            r.meanSetSize(),
            100 * r.voteAccuracy(),
            100 * r.chosenAccuracy(),
            100 * r.riskControlFnr(),
            r.riskControlSetSize(),
            100 * r.riskControlVoteAccuracy());
      }
    }
  }
}
