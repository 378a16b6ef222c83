package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.TaskSpec;

/**
 * Whether a policy may be evaluated under a task other than the one it was trained for, and what
 * the report must then say (DESIGN.md §3: evaluation happens under exactly one task, the one the
 * user gives).
 *
 * <ul>
 *   <li><b>Refused</b>: another task kind, other classes (names or order) or other agents (names or
 *       order, the model included). The policy's scores would then mean other things than the
 *       evaluation's columns.
 *   <li><b>Allowed with a note</b>: other fees β, other error weights α, other cost weights ({@code
 *       cost:} block). The policy decides as trained; its decisions are scored under the evaluation
 *       task's costs, and the note lists every difference as "trained → evaluated".
 * </ul>
 */
public final class TaskCheck {
  private TaskCheck() {}

  /**
   * Compares the task a policy was trained for with the evaluation task.
   *
   * @param policy the policy's name, for messages
   * @param trainedFor the task the policy was trained for
   * @param evaluatedUnder the evaluation task
   * @return the notes the report must carry: empty when the costs are the same, otherwise one note
   *     listing every fee, error weight and cost weight that differs
   * @throws IllegalArgumentException naming both tasks when their kinds, classes or agents differ
   */
  public static List<String> check(String policy, TaskSpec trainedFor, TaskSpec evaluatedUnder) {
    AgentSet a = trainedFor.agents();
    AgentSet b = evaluatedUnder.agents();
    List<String> why = new ArrayList<>();
    if (trainedFor.kind() != evaluatedUnder.kind()) {
      why.add("the task kinds differ");
    }
    if (!trainedFor.classes().equals(evaluatedUnder.classes())) {
      why.add("the classes differ");
    }
    if (!Arrays.equals(a.names(), b.names())) {
      why.add("the agents differ");
    }
    if (!why.isEmpty()) {
      throw new IllegalArgumentException(
          "policy '"
              + policy
              + "' was trained for "
              + describe(trainedFor)
              + ", but the evaluation task is "
              + describe(evaluatedUnder)
              + ": "
              + String.join(" and ", why)
              + "; a policy can only be evaluated on the task kind, classes and agents (names and"
              + " order) it was trained for");
    }
    List<String> diffs = new ArrayList<>();
    for (int j = 0; j < a.size(); j++) {
      Agent x = a.get(j);
      Agent y = b.get(j);
      if (Double.compare(x.fee(), y.fee()) != 0) {
        diffs.add("fee of '" + x.name() + "' " + num(x.fee()) + " → " + num(y.fee()));
      }
      if (Double.compare(x.alpha(), y.alpha()) != 0) {
        diffs.add("alpha of '" + x.name() + "' " + num(x.alpha()) + " → " + num(y.alpha()));
      }
    }
    CostWeights u = trainedFor.cost();
    CostWeights v = evaluatedUnder.cost();
    if (Double.compare(u.classification(), v.classification()) != 0) {
      diffs.add("cost.classification " + num(u.classification()) + " → " + num(v.classification()));
    }
    if (Double.compare(u.regression(), v.regression()) != 0) {
      diffs.add("cost.regression " + num(u.regression()) + " → " + num(v.regression()));
    }
    if (u.regressionLoss() != v.regressionLoss()) {
      diffs.add(
          "cost.regression_loss "
              + u.regressionLoss().specName()
              + " → "
              + v.regressionLoss().specName());
    }
    if (Double.compare(u.clip(), v.clip()) != 0) {
      diffs.add("cost.clip " + num(u.clip()) + " → " + num(v.clip()));
    }
    if (diffs.isEmpty()) {
      return List.of();
    }
    return List.of(
        "policy '"
            + policy
            + "' was trained under other fees or cost weights and is evaluated under the given"
            + " task's (trained → evaluated): "
            + String.join("; ", diffs));
  }

  /**
   * Requires a cost matrix built for the evaluation task: the same agents (names and order) with
   * the same fees and error weights.
   *
   * @throws IllegalArgumentException naming the entry and the first difference
   */
  static void checkCosts(String entry, CostMatrix costs, TaskSpec task) {
    AgentSet a = costs.agents();
    AgentSet b = task.agents();
    if (!Arrays.equals(a.names(), b.names())) {
      throw new IllegalArgumentException(
          "entry '"
              + entry
              + "': its cost matrix is over agents "
              + List.of(a.names())
              + ", the evaluation task has "
              + List.of(b.names()));
    }
    for (int j = 0; j < a.size(); j++) {
      Agent x = a.get(j);
      Agent y = b.get(j);
      if (Double.compare(x.fee(), y.fee()) != 0 || Double.compare(x.alpha(), y.alpha()) != 0) {
        throw new IllegalArgumentException(
            "entry '"
                + entry
                + "': its costs were computed with fee "
                + num(x.fee())
                + " and alpha "
                + num(x.alpha())
                + " for '"
                + x.name()
                + "', the evaluation task gives "
                + num(y.fee())
                + " and "
                + num(y.alpha())
                + "; compute them from the evaluation task (Evaluation.costs)");
      }
    }
  }

  private static String describe(TaskSpec t) {
    return "a "
        + t.kind().specName()
        + " task with agents "
        + List.of(t.agents().names())
        + " and classes "
        + t.classes();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }
}
