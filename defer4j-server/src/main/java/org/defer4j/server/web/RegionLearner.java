package org.defer4j.server.web;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * Learns where to defer on the interactive page's points with defer4j's two-stage trainer.
 *
 * <p>The task is a two-class classification with the page's fixed linear classifier as the frozen
 * model ({@link #MODEL}, its predictions recorded per point) and one expert ({@link #EXPERT}) who
 * is always right and costs the deferral fee c per case. Model cost is the 0–1 error, so the Bayes
 * rule defers a point exactly when the classifier's error probability there exceeds c. The rejector
 * is an MLP (two hidden tanh layers of {@link #HIDDEN}) on the standardised coordinates, trained by
 * Adam on the complementary-cost surrogate with ν = 1 ({@code 2s-comp:1}), whose conditional-risk
 * minimiser routes to the agent of least expected cost. No validation split: the page compares
 * regions on the same points the user drew on.
 */
public final class RegionLearner {
  /** The frozen model's agent name. */
  public static final String MODEL = "classifier";

  /** The expert's agent name. */
  public static final String EXPERT = "expert";

  /** Hidden layer width of the rejector. */
  public static final int HIDDEN = 16;

  /**
   * L2 penalty of the rejector: on the page's standard points (200 epochs, seed 1) 1e-3 defers 87
   * of the 90 pocket points with 113 deferred in all, where no penalty defers 65 of them and carves
   * small regions round single noisy background points.
   */
  public static final double L2 = 1e-3;

  private static final List<String> FEATURES = List.of("x", "y");

  private final TrainOptions options;

  /**
   * @param epochs Adam epochs
   * @param seed initialisation and shuffling seed
   */
  public RegionLearner(int epochs, long seed) {
    this.options = new TrainOptions(Algorithm.ADAM, 0.02, epochs, 32, 0, seed);
  }

  /** What was learned: the policy, per point whether it defers, and a grid over the square. */
  public record Learned(
      LearnedPolicy policy, boolean[] deferred, PocketProblem.Readout readout, RegionGrid grid) {}

  /**
   * Trains a policy on the points and evaluates it on them and on a grid of cell centres over the
   * unit square.
   *
   * @param points the labelled points (one class alone is allowed)
   * @param fee the expert's fee c, in (0, 1)
   * @param gridSize cells per side of the grid
   * @throws IllegalArgumentException on an empty point list or a fee outside (0, 1)
   */
  public Learned learn(List<PocketProblem.Point> points, double fee, int gridSize) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("there are no points to learn from");
    }
    if (!(fee > 0 && fee < 1)) {
      throw new IllegalArgumentException("the deferral cost must lie in (0, 1), got " + fee);
    }
    TaskSpec task =
        TaskSpec.classification(PocketProblem.CLASSES, MODEL, List.of(Agent.expert(EXPERT, fee)));
    int n = points.size();
    double[] block = new double[2 * n];
    int[] labels = new int[n];
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) {
      PocketProblem.Point p = points.get(i);
      block[2 * i] = p.x();
      block[2 * i + 1] = p.y();
      labels[i] = p.label();
      predicted[i] = PocketProblem.classify(p.x(), p.y());
    }
    DeferralTable table =
        DeferralTable.builder("drawn points", n)
            .features(FEATURES, block)
            .labels(labels)
            .agent(MODEL, new AgentColumns(n, predicted, null, null, 0, null))
            .agent(EXPERT, new AgentColumns(n, labels, null, null, 0, null))
            .build();
    DeferralTrainer trainer =
        new DeferralTrainer(
            Surrogates.complementaryCost(1.0),
            DeferralTrainer.mlp(List.of(HIDDEN, HIDDEN), Activation.TANH, L2),
            options,
            false);
    LearnedPolicy policy = trainer.fit(task, table, null, TrainingListener.NONE);
    boolean[] deferred = deferred(policy, block, n);
    RegionGrid grid = RegionGrid.evaluate(policy, gridSize, 0, 1, 0, 1);
    return new Learned(policy, deferred, PocketProblem.readout(points, deferred), grid);
  }

  private static boolean[] deferred(LearnedPolicy policy, double[] block, int n) {
    DeferralTable cases = DeferralTable.builder("points", n).features(FEATURES, block).build();
    Decisions d = policy.decide(cases);
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      out[i] = d.agent(i) != 0;
    }
    return out;
  }
}
