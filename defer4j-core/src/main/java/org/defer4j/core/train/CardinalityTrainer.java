package org.defer4j.core.train;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;

/**
 * Learns the committee size k(x) of a trained policy (adaptive top-k, survey §6.3). <b>This is a
 * reconstruction</b> (METHODS-2 R-A3): the survey says that a cardinality function trades the
 * committee's accuracy against its consultation cost, but the loss of Montreuil et al. (2025) could
 * not be read. The construction follows the cardinality-aware top-k classification of Cortes, Mao,
 * Mohri, Mohri and Zhong (2024):
 *
 * <ol>
 *   <li>freeze the policy's scorer; for each training case and each k = 1..K_max, form the top-k
 *       committee among the available agents and compute
 *       <pre>
 *   c_card(x, k) = error(aggregate(H_k(x))) + λ · P_k(x),
 *       </pre>
 *       with P_k the committee's fees (penalty {@code fees}) or its size k ({@code size});
 *   <li>fit a scorer q(x, ·) with one output per k, on the policy's own transformed inputs, by
 *       minimising the complementary-cost surrogate Σ_k (Σ_{k' ≠ k} c_card(x, k')) · (−log
 *       softmax(q)_k) — the same comp-sum loss as {@code 2s-comp:1}, whose minimiser ranks the
 *       sizes by expected c_card;
 *   <li>decide k(x) = 1 + argmax_k q(x, k) (never more than the available entities).
 * </ol>
 *
 * λ = 0 asks for the most accurate committee whatever it costs; growing λ shrinks committees; a
 * sweep of λ traces the cost–accuracy frontier. Early stopping watches the mean c_card of the
 * chosen sizes on the validation table.
 */
public final class CardinalityTrainer {
  private final int maxK;
  private final double lambda;
  private final CommitteeRule.Penalty penalty;
  private final Aggregator aggregator;
  private final TrainOptions options;
  private final DeferralTrainer.ScorerFactory scorer;

  /**
   * @param maxK the largest committee, ≥ 2
   * @param lambda the penalty weight λ ≥ 0
   * @param penalty what λ multiplies
   * @param aggregator how the members' answers combine
   * @param options optimiser, epochs, batch, patience and seed
   * @param scorer the architecture of q (linear by default)
   * @throws IllegalArgumentException on a bad parameter
   */
  public CardinalityTrainer(
      int maxK,
      double lambda,
      CommitteeRule.Penalty penalty,
      Aggregator aggregator,
      TrainOptions options,
      DeferralTrainer.ScorerFactory scorer) {
    if (maxK < 2) {
      throw new IllegalArgumentException(
          "an adaptive committee needs a largest k >= 2, got " + maxK);
    }
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
    }
    if (penalty == null || aggregator == null || options == null || scorer == null) {
      throw new IllegalArgumentException("penalty, aggregator, options and scorer must be given");
    }
    this.maxK = maxK;
    this.lambda = lambda;
    this.penalty = penalty;
    this.aggregator = aggregator;
    this.options = options;
    this.scorer = scorer;
  }

  /**
   * c_card(x, k) for every case of a table and k = 1..K_max, row-major n × K_max.
   *
   * @param policy the frozen policy (argmax rule)
   * @param task the task whose costs the committees pay
   * @param table a labelled table
   */
  public double[] cardinalityCosts(LearnedPolicy policy, TaskSpec task, DeferralTable table) {
    int n = table.rows();
    double[] out = new double[n * maxK];
    Availability av = Availability.observed(task, table);
    for (int k = 1; k <= maxK; k++) {
      Decisions d = policy.withCommittee(CommitteeRule.topK(k, aggregator)).decide(table, av);
      CommitteeEvaluation.RowCosts rc = CommitteeEvaluation.rowCosts(d, task, table);
      for (int i = 0; i < n; i++) {
        double p = penalty == CommitteeRule.Penalty.FEES ? rc.fees()[i] : rc.size()[i];
        out[i * maxK + k - 1] = rc.error()[i] + lambda * p;
      }
    }
    return out;
  }

  /**
   * Fits k(x) for a trained policy and returns the policy deciding by adaptive committees.
   *
   * @param policy the trained policy (argmax rule); its scorer is not changed
   * @param task the task
   * @param train the labelled table q is fitted on
   * @param validation a labelled table for early stopping, or null
   * @param listener progress receiver
   */
  public LearnedPolicy fit(
      LearnedPolicy policy,
      TaskSpec task,
      DeferralTable train,
      DeferralTable validation,
      TrainingListener listener) {
    int n = train.rows();
    double[] c = cardinalityCosts(policy, task, train);
    Target[] targets = new Target[n];
    for (int i = 0; i < n; i++) {
      double[] row = new double[maxK];
      System.arraycopy(c, i * maxK, row, 0, maxK);
      targets[i] = Target.ofCosts(row);
    }
    double[] x = policy.features().transform(train);
    Surrogate loss = Surrogates.complementaryCost(1.0);
    SplittableRandom rng = new SplittableRandom(options.seed());
    ScorerSpec spec = scorer.spec(policy.features().dimension(), maxK);
    Scorer q = Scorers.create(spec, rng.split());
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    Validation val = null;
    if (validation != null) {
      double[] vc = cardinalityCosts(policy, task, validation);
      double[] vx = policy.features().transform(validation);
      int vn = validation.rows();
      val =
          s -> {
            double[] out = new double[vn * maxK];
            s.scoreRows(vx, 0, vn, out, s.newWorkspace());
            double sum = 0;
            for (int i = 0; i < vn; i++) {
              int best = 0;
              for (int k = 1; k < maxK; k++) {
                if (out[i * maxK + k] > out[i * maxK + best]) {
                  best = k;
                }
              }
              sum += vc[i * maxK + best];
            }
            return new Validation.Result(sum / vn, Double.NaN);
          };
    }
    new ScorerFitter(options.withSeed(rng.nextLong()))
        .fit(
            q,
            x,
            rows,
            null,
            (row, scores, grad) -> loss.evaluate(scores, targets[row], grad),
            val,
            listener);
    CommitteeRule.Cardinality card = new CommitteeRule.Cardinality(q, lambda, penalty);
    return policy.withCommittee(CommitteeRule.adaptive(card, aggregator));
  }
}
