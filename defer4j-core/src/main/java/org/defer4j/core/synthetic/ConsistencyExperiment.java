package org.defer4j.core.synthetic;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * Measures how close a surrogate trained on n samples of a {@link DiscreteDeferralProblem} comes to
 * the Bayes rule: the excess target risk R(f_n) − R*, where f_n routes each cell as the trained
 * model routes that cell's one-hot input with every expert available. For a Bayes-consistent
 * surrogate (survey §5.1, Definition 1) and a hypothesis class that contains the Bayes rule (a
 * linear scorer over one-hot cells), it goes to 0 as n grows.
 *
 * <p><b>Training.</b> {@link DeferralTrainer} with a linear scorer and full-batch Adam for a fixed
 * number of steps. No L2 penalty by default: the unbounded losses have their optimum at infinity on
 * cells where one option always wins in the sample, but a fixed number of Adam steps of size about
 * η keeps every score below 2·η·epochs (600 with the defaults, where the losses are still finite);
 * a penalty, even λ = 10⁻⁵, biases the bounded losses (psi:mae), whose gradients vanish as the
 * softmax saturates, towards near-uniform scores and flips cells with small margins. Identical rows
 * (same cell, label and expert answers) are merged into one row weighted by their count before
 * training ({@link #aggregate}); the weighted mean loss is the sample mean loss, so the minimiser
 * is the same as on the raw sample and n = 10^5 costs what a few hundred distinct rows cost.
 */
public final class ConsistencyExperiment {
  /** Default L2 penalty λ on the weights: none (see the class comment). */
  public static final double DEFAULT_L2 = 0.0;

  /**
   * Full-batch Adam (batch larger than any aggregated table), learning rate 0.1, 3000 epochs, no
   * early stopping. Full-batch L-BFGS is faster on the convex losses but stalls on the bounded,
   * non-convex ones (psi:mae): its first line search moves the shared bias far enough to saturate
   * the softmax, where their gradient vanishes.
   */
  public static TrainOptions defaultOptions() {
    return new TrainOptions(Algorithm.ADAM, 0.1, 3000, 1 << 20, 0, 0L);
  }

  private ConsistencyExperiment() {}

  /**
   * The excess risk of one trained model and its decisions.
   *
   * @param excessRisk R(f_n) − R* (≥ 0 up to rounding)
   * @param decisions the decision per cell (class k, or K + j for expert j, 0-based)
   * @param model the trained model
   */
  public record Outcome(double excessRisk, int[] decisions, LearnedPolicy model) {
    /** Copies the decisions. */
    public Outcome {
      decisions = decisions.clone();
    }

    /** A copy of the decisions. */
    @Override
    public int[] decisions() {
      return decisions.clone();
    }
  }

  /**
   * Samples n rows of {@code problem} with {@code seed}, trains {@code surrogate} on them (linear
   * scorer, L2 {@code l2}, the given optimiser options; their seed is replaced by one drawn from
   * {@code seed}) and returns the excess risk of the trained routing.
   *
   * @throws IllegalArgumentException when the surrogate cannot train on the problem (e.g. a
   *     single-expert surrogate with several experts)
   */
  public static Outcome run(
      Surrogate surrogate,
      DiscreteDeferralProblem problem,
      int n,
      long seed,
      double l2,
      TrainOptions options) {
    SplittableRandom rng = new SplittableRandom(seed);
    DeferralTable train = aggregate(problem.sample(n, rng.split()));
    // One-hot cell inputs are trained as they are, so the published excess risks stay reproducible.
    LearnedPolicy model =
        new DeferralTrainer(
                surrogate, DeferralTrainer.linear(l2), options.withSeed(rng.nextLong()), false)
            .withFeatures(FeatureOptions.raw())
            .fit(problem.task(), train, null, TrainingListener.NONE);
    int[] d = decisions(model, problem);
    return new Outcome(problem.risk(d) - problem.bayesRisk(), d, model);
  }

  /**
   * The decision of a trained model in each cell of the problem: its route for the cell's one-hot
   * input with every expert available (the policy's decision rule), mapped to the problem's
   * decision index (the argmax class when the model keeps the case, K + j − 1 when it goes to
   * expert j).
   */
  public static int[] decisions(LearnedPolicy model, DiscreteDeferralProblem problem) {
    int cells = problem.cells();
    int k = problem.classes();
    Decisions d = model.decide(cellTable(problem));
    int[] out = new int[cells];
    for (int c = 0; c < cells; c++) {
      int agent = d.agent(c);
      out[c] = agent == 0 ? d.predictedClass(c) : k + agent - 1;
    }
    return out;
  }

  /** One row per cell (its one-hot input), labels 0 and every expert answering 0. */
  public static DeferralTable cellTable(DiscreteDeferralProblem problem) {
    int cells = problem.cells();
    double[] f = new double[cells * cells];
    for (int c = 0; c < cells; c++) {
      f[c * cells + c] = 1.0;
    }
    DeferralTable.Builder b =
        DeferralTable.builder("cells", cells)
            .features(featureNames(cells), f)
            .labels(new int[cells]);
    for (int e = 0; e < problem.experts(); e++) {
      b.agent("e" + (e + 1), new AgentColumns(cells, new int[cells], null, null, 0, null));
    }
    return b.build();
  }

  private static List<String> featureNames(int cells) {
    String[] names = new String[cells];
    for (int c = 0; c < cells; c++) {
      names[c] = "c" + c;
    }
    return List.of(names);
  }

  /**
   * Merges identical rows — same features, label and predicted class of every agent — into one row
   * whose weight is the sum of their weights (1 each when the table has none). Ids, groups,
   * targets, probabilities, costs and text are dropped, so use it only on classification tables
   * whose agents record classes alone (as {@link DiscreteDeferralProblem#sample} makes them).
   *
   * @throws IllegalArgumentException when the table has no labels
   */
  public static DeferralTable aggregate(DeferralTable table) {
    if (!table.hasLabels()) {
      throw new IllegalArgumentException("aggregate needs a labelled table");
    }
    int n = table.rows();
    int d = table.featureCount();
    List<String> agentNames = List.copyOf(table.agents().keySet());
    double[] block = table.featureBlock();
    Map<Key, Integer> first = new LinkedHashMap<>();
    double[] weight = new double[n];
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      double[] key = new double[d + 1 + agentNames.size()];
      System.arraycopy(block, i * d, key, 0, d);
      key[d] = table.label(i);
      for (int a = 0; a < agentNames.size(); a++) {
        AgentColumns cols = table.agent(agentNames.get(a));
        key[d + 1 + a] = cols.hasPredictedClass() ? cols.predictedClass(i) : Double.NaN;
      }
      Integer g = first.putIfAbsent(new Key(key), first.size());
      group[i] = g == null ? first.size() - 1 : g;
      weight[group[i]] += table.weight(i);
    }
    int m = first.size();
    int[] reps = new int[m];
    boolean[] seen = new boolean[m];
    for (int i = 0; i < n; i++) {
      if (!seen[group[i]]) {
        seen[group[i]] = true;
        reps[group[i]] = i;
      }
    }
    DeferralTable sel = table.select(reps);
    DeferralTable.Builder b =
        DeferralTable.builder(table.source() + " (aggregated)", m)
            .features(sel.featureNames(), sel.featureBlock().clone())
            .labels(sel.labels())
            .weights(Arrays.copyOf(weight, m));
    for (String a : agentNames) {
      AgentColumns cols = sel.agent(a);
      int[] pc = new int[m];
      for (int i = 0; i < m; i++) {
        pc[i] = cols.hasPredictedClass() ? cols.predictedClass(i) : AgentColumns.UNOBSERVED;
      }
      b.agent(a, new AgentColumns(m, pc, null, null, 0, null));
    }
    return b.build();
  }

  private record Key(double[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }
}
