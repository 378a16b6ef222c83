package org.defer4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableWriter.Column;

/**
 * Writes decisions as a table, one row per case, in the order of the cases (CSV, gzipped CSV or
 * Parquet by extension):
 *
 * <ul>
 *   <li>{@code id}: the case's id, or its 1-based row number when the cases have no ids;
 *   <li>{@code agent}: the chosen agent's name;
 *   <li>{@code fallback}: 1 when the agent the policy preferred was unavailable, else 0;
 *   <li>{@code score.<agent>}: each agent's score (policies with scores);
 *   <li>{@code expected_cost.<agent>}: each agent's estimated expected cost (policies whose
 *       surrogate gives calibrated estimates);
 *   <li>{@code prediction}: the learned model's class name or value (one-stage policies), the
 *       answer the system gives when the model keeps the case.
 * </ul>
 */
public final class DecisionsWriter {
  private DecisionsWriter() {}

  /**
   * Writes the decisions, replacing the file.
   *
   * @param decisions decisions with their agent set
   * @param task the task (class names of predictions)
   * @param file a {@code .csv}, {@code .csv.gz} or {@code .parquet} file
   */
  public static void write(Decisions decisions, TaskSpec task, Path file) {
    AgentSet agents = decisions.agentSet();
    if (agents == null) {
      throw new IllegalArgumentException("decisions without agent names cannot be written");
    }
    String[] names = agents.names();
    List<Column> cols = new ArrayList<>();
    cols.add(DeferralTableWriter.text("id", decisions::id));
    cols.add(DeferralTableWriter.text("agent", i -> names[decisions.agent(i)]));
    cols.add(
        new Column(
            "fallback", "TINYINT", (ap, i) -> ap.append((byte) (decisions.fellBack(i) ? 1 : 0))));
    if (decisions.hasScores()) {
      for (int j = 0; j < names.length; j++) {
        int a = j;
        cols.add(DeferralTableWriter.number("score." + names[j], i -> decisions.score(i, a)));
      }
    }
    if (decisions.hasExpectedCosts()) {
      for (int j = 0; j < names.length; j++) {
        int a = j;
        cols.add(
            DeferralTableWriter.number(
                "expected_cost." + names[j], i -> decisions.expectedCost(i, a)));
      }
    }
    if (decisions.hasPredictedClass()) {
      List<String> classes = task.classes();
      cols.add(
          DeferralTableWriter.text("prediction", i -> classes.get(decisions.predictedClass(i))));
    } else if (decisions.hasPredictedValue()) {
      cols.add(DeferralTableWriter.number("prediction", decisions::predictedValue));
    }
    DeferralTableWriter.writeColumns(cols, decisions.rows(), file, "decisions");
  }
}
