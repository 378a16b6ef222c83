package org.defer4j.bench.experiments;

import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * A learned policy's raw scorer outputs, in the training surrogate's score layout (not the agent
 * scores of its {@link org.defer4j.core.policy.ScoreHead}): what an {@link
 * org.defer4j.core.loss.ExpertCorrectnessSurrogate} reads to estimate P(expert j correct | x).
 */
final class RawScores {
  private RawScores() {}

  /** The raw scores of every row, n × S row-major, after the policy's feature pipeline. */
  static double[] of(LearnedPolicy policy, DeferralTable table) {
    Scorer scorer = policy.scorer();
    int n = table.rows();
    double[] out = new double[n * scorer.outputDim()];
    scorer.scoreRows(policy.features().transform(table), 0, n, out, scorer.newWorkspace());
    return out;
  }
}
