package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.defer4j.core.task.TaskSpec;

/**
 * The evaluation of several entries on one table under one task ({@link Evaluator#evaluate}): one
 * {@link PolicyResult} per entry, in the order given, the best baseline that differences are taken
 * against, and the notes a report must show. Immutable.
 *
 * <p>Curves: every coverage axis is the share of cases the model really answers. Cases the model
 * cannot take (its cost unknown, or unavailable to the policy) are deferred at every point and
 * cases no expert can take are kept at every point, so a curve spans [share without an available
 * expert, share with the model available] — [0, 1] when every agent is available everywhere — and
 * its areas are trapezoids over that span.
 */
public final class EvaluationResult {
  private final TaskSpec task;
  private final int rows;
  private final Evaluator.Options options;
  private final List<PolicyResult> policies;
  private final String bestBaseline;
  private final List<String> notes;

  EvaluationResult(
      TaskSpec task,
      int rows,
      Evaluator.Options options,
      List<PolicyResult> policies,
      String bestBaseline) {
    this.task = task;
    this.rows = rows;
    this.options = options;
    this.policies = List.copyOf(policies);
    this.bestBaseline = bestBaseline;
    List<String> all = new ArrayList<>();
    for (PolicyResult p : policies) {
      all.addAll(p.notes());
    }
    this.notes = List.copyOf(all);
  }

  /** The evaluation task: every cost was computed under it. */
  public TaskSpec task() {
    return task;
  }

  /** The number of rows n. */
  public int rows() {
    return rows;
  }

  /** The options (resamples, level, seed, threads). */
  public Evaluator.Options options() {
    return options;
  }

  /** The results, in the order the entries were given. */
  public List<PolicyResult> policies() {
    return policies;
  }

  /**
   * The result of the named entry.
   *
   * @throws IllegalArgumentException naming the entries when there is none of that name
   */
  public PolicyResult policy(String name) {
    for (PolicyResult p : policies) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "no entry '"
            + name
            + "'; entries are "
            + policies.stream().map(PolicyResult::name).toList());
  }

  /**
   * The baseline with the lowest mean cost (ties: the first name in alphabetical order), against
   * which every entry's {@link PolicyResult#costDifference()} and {@link
   * PolicyResult#accuracyDifference()} are taken; empty when no entry is a baseline.
   */
  public Optional<String> bestBaseline() {
    return Optional.ofNullable(bestBaseline);
  }

  /** Every entry's notes, in entry order (e.g. "policy 'p' was trained under other fees …"). */
  public List<String> notes() {
    return notes;
  }

  @Override
  public String toString() {
    return "EvaluationResult[" + rows + " rows, " + policies.size() + " entries]";
  }
}
