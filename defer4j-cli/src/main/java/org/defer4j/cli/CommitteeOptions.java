package org.defer4j.cli;

import java.util.Locale;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/** The committee options shared by train, route and evaluate ({@code --k}, {@code --aggregate}). */
final class CommitteeOptions {
  /** The spelling of a learned committee size. */
  static final String ADAPTIVE = "adaptive";

  private CommitteeOptions() {}

  /** Vote for classification, mean for regression, unless {@code aggregate} names one. */
  static Aggregator aggregator(String aggregate, TaskSpec task) {
    if (aggregate != null) {
      return Aggregator.parse(aggregate);
    }
    return task.kind() == TaskKind.REGRESSION ? Aggregator.MEAN : Aggregator.VOTE;
  }

  /**
   * Parses a committee size: a positive integer or {@code adaptive}.
   *
   * @return k ≥ 1, or 0 for adaptive
   * @throws IllegalArgumentException naming the option and what it accepts
   */
  static int parseK(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals(ADAPTIVE)) {
      return 0;
    }
    try {
      int k = Integer.parseInt(t);
      if (k >= 1) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " " + text + ": expected a committee size >= 1 or 'adaptive'");
  }

  /**
   * The policy deciding by committees of size {@code k} (0 = its learned k(x)).
   *
   * @throws IllegalArgumentException when k is adaptive and the policy has no learned k(x)
   */
  static LearnedPolicy withK(LearnedPolicy p, int k, String aggregate) {
    Aggregator agg =
        aggregate == null && p.committee() != null
            ? p.committee().aggregator()
            : aggregator(aggregate, p.task());
    if (k == 0) {
      CommitteeRule own = p.committee();
      if (own == null || !own.adaptive()) {
        throw new IllegalArgumentException(
            "policy "
                + p.name()
                + " has no learned committee size k(x); train it with --method topk --k adaptive,"
                + " or give a number");
      }
      return p.withCommittee(own.withAggregator(agg));
    }
    return p.withCommittee(CommitteeRule.topK(k, agg));
  }

  /** A label such as {@code k=2} or {@code k(x)}. */
  static String label(int k) {
    return k == 0 ? "k(x)" : "k=" + k;
  }
}
