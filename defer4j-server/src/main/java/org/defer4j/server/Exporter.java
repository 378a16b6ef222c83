package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.server.store.Store;

/**
 * Writes the store's decisions joined with their outcomes as a deferral table in the data contract
 * (docs/formats.md), one row per decision with its decision id as {@code id}, so that {@code train}
 * and {@code calibrate} read production logs: {@code x.<name>} (the numeric inputs every exported
 * decision has), the text column, {@code y} / {@code t} (the truth), {@code m.<agent>.*} (the
 * agents' answers, and the frozen model's output sent with the case), {@code cost.<agent>} (the
 * posted costs) and {@code avail.<agent>} (who could be asked when it was decided).
 *
 * <p>By default only decisions whose outcome gives what the task needs (the truth of a
 * classification or regression task; costs or answers for a costs task) are written, as a labelled
 * table; {@code includePending} writes every decision as a cases table. Decisions withdrawn by the
 * chat front (their upstream failed) and decisions of policies over other agents are left out.
 */
public final class Exporter {
  private Exporter() {}

  /**
   * What was written.
   *
   * @param rows rows written
   * @param decisions decisions read
   * @param pending decisions left out for want of an outcome (or of the truth the task needs)
   * @param otherAgents decisions of policies over other agents, left out
   * @param features the feature columns written
   * @param droppedFeatures inputs left out because some exported decision lacks them
   */
  public record Summary(
      int rows,
      int decisions,
      int pending,
      int otherAgents,
      List<String> features,
      List<String> droppedFeatures) {}

  private record Row(
      String id, Map<String, Object> input, Set<String> available, JsonNode outcome) {}

  /**
   * Exports.
   *
   * @param store the store
   * @param task the task the table is for (the active policy's, usually)
   * @param out a .csv, .csv.gz or .parquet file
   * @param includePending write every decision (a cases table) rather than the labelled ones
   * @param sinceMillis only decisions made at or after this time (0: all)
   */
  public static Summary export(
      Store store, TaskSpec task, Path out, boolean includePending, long sinceMillis) {
    AgentSet agents = task.agents();
    List<String> agentNames = Arrays.asList(agents.names());
    Map<String, Boolean> policyFits = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    int[] counts = new int[3];
    store.read(
        c -> {
          Map<String, List<String>> policyAgents = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT id, artifact FROM d4j_policy");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              PolicyEntry e = PolicyEntry.stored(rs.getString(1), "", "", "", 0, rs.getString(2));
              policyAgents.put(rs.getString(1), Arrays.asList(e.policy().agents().names()));
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT d.id, d.policy_id, d.input, d.available, o.body FROM d4j_decision d"
                      + " LEFT JOIN d4j_outcome o ON o.decision_id = d.id WHERE d.status = 'served'"
                      + " AND d.created_at >= ? ORDER BY d.id")) {
            ps.setLong(1, sinceMillis);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                counts[0]++;
                String pid = rs.getString(2);
                boolean fits =
                    policyFits.computeIfAbsent(pid, k -> agentNames.equals(policyAgents.get(k)));
                if (!fits) {
                  counts[2]++;
                  continue;
                }
                String body = rs.getString(5);
                JsonNode outcome = body == null ? null : Json.read(body);
                if (!includePending && !labelled(outcome, task)) {
                  counts[1]++;
                  continue;
                }
                Map<String, Object> input =
                    Json.MAPPER.convertValue(
                        Json.read(rs.getString(3)),
                        new com.fasterxml.jackson.core.type.TypeReference<
                            LinkedHashMap<String, Object>>() {});
                Set<String> available = new HashSet<>();
                Json.read(rs.getString(4)).forEach(n -> available.add(n.asText()));
                rows.add(new Row(rs.getString(1), input, available, outcome));
              }
            }
          }
          return null;
        });
    int n = rows.size();
    // Numeric inputs every row has, in the order first seen.
    String text = task.textColumn();
    String modelPrefix = task.hasFrozenModel() ? "m." + task.model() + "." : null;
    Set<String> seen = new LinkedHashSet<>();
    for (Row r : rows) {
      for (Map.Entry<String, Object> e : r.input().entrySet()) {
        String k = e.getKey();
        if (e.getValue() instanceof Number && !k.startsWith("m.") && !k.equals(text)) {
          seen.add(k.startsWith("x.") ? k.substring(2) : k);
        }
      }
    }
    List<String> features = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String f : seen) {
      boolean all = true;
      for (Row r : rows) {
        Object v = r.input().containsKey(f) ? r.input().get(f) : r.input().get("x." + f);
        if (!(v instanceof Number)) {
          all = false;
          break;
        }
      }
      (all ? features : dropped).add(f);
    }
    double[] block = new double[n * features.size()];
    String[] ids = new String[n];
    String[] texts = text == null ? null : new String[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.id();
      for (int j = 0; j < features.size(); j++) {
        String f = features.get(j);
        Object v = r.input().containsKey(f) ? r.input().get(f) : r.input().get("x." + f);
        block[i * features.size() + j] = ((Number) v).doubleValue();
      }
      if (texts != null) {
        Object v = r.input().get(text);
        texts[i] = v == null ? "" : v.toString();
      }
    }
    DeferralTable.Builder b =
        DeferralTable.builder(out.toString(), n).features(features, block).ids(ids);
    if (texts != null) {
      b.text(text, texts);
    }
    TaskKind kind = task.kind();
    int k = task.classCount();
    boolean anyTruth = false;
    int[] labels = new int[n];
    double[] targets = new double[n];
    Arrays.fill(labels, -1);
    Arrays.fill(targets, Double.NaN);
    for (int i = 0; i < n; i++) {
      JsonNode t = rows.get(i).outcome() == null ? null : rows.get(i).outcome().get("truth");
      if (t != null) {
        anyTruth = true;
        if (t.has("y")) {
          labels[i] = task.classIndex(t.get("y").asText());
        }
        if (t.has("t")) {
          targets[i] = t.get("t").asDouble();
        }
      }
    }
    if (anyTruth || !includePending) {
      if (kind.hasLabels()) {
        b.labels(labels);
      }
      if (kind.hasTargets()) {
        b.targets(targets);
      }
    }
    for (String agent : task.observedAgentNames()) {
      int[] y = new int[n];
      double[] tv = new double[n];
      double[] p = new double[n * Math.max(k, 1)];
      double[] cost = new double[n];
      Arrays.fill(y, AgentColumns.UNOBSERVED);
      Arrays.fill(tv, Double.NaN);
      Arrays.fill(p, Double.NaN);
      Arrays.fill(cost, Double.NaN);
      boolean hasY = false;
      boolean hasT = false;
      boolean hasP = false;
      boolean hasCost = false;
      boolean frozen = agent.equals(task.model());
      for (int i = 0; i < n; i++) {
        Row r = rows.get(i);
        JsonNode o = r.outcome();
        JsonNode ans = o == null ? null : o.path("answers").get(agent);
        if (ans != null && ans.has("y")) {
          y[i] = task.classIndex(ans.get("y").asText());
          hasY = true;
        } else if (frozen && r.input().get(modelPrefix + "y") instanceof String s) {
          y[i] = task.classIndex(s);
          hasY = y[i] >= 0;
        }
        if (ans != null && ans.has("t")) {
          tv[i] = ans.get("t").asDouble();
          hasT = true;
        } else if (frozen && r.input().get(modelPrefix + "t") instanceof Number num) {
          tv[i] = num.doubleValue();
          hasT = true;
        }
        if (k > 0) {
          for (int c = 0; c < k; c++) {
            String cls = task.classes().get(c);
            JsonNode pv = ans == null ? null : ans.path("p").get(cls);
            if (pv != null) {
              p[i * k + c] = pv.asDouble();
              hasP = true;
            } else if (frozen && r.input().get(modelPrefix + "p." + cls) instanceof Number num) {
              p[i * k + c] = num.doubleValue();
              hasP = true;
            }
          }
        }
        JsonNode cv = o == null ? null : o.path("costs").get(agent);
        if (cv != null) {
          cost[i] = cv.asDouble();
          hasCost = true;
        }
      }
      if (kind == TaskKind.COSTS) {
        hasCost = true;
      }
      if (!(hasY || hasT || hasP || hasCost)) {
        if (kind.hasLabels()) {
          hasY = true;
        } else {
          hasCost = true;
        }
      }
      b.agent(
          agent,
          new AgentColumns(
              n,
              hasY && kind.hasLabels() ? y : null,
              hasT && kind.hasTargets() ? tv : null,
              hasP && k > 0 ? p : null,
              k,
              hasCost ? cost : null));
    }
    for (String agent : agentNames) {
      boolean[] av = new boolean[n];
      for (int i = 0; i < n; i++) {
        av[i] = rows.get(i).available().contains(agent);
      }
      b.availability(agent, av);
    }
    DeferralTable table = b.build();
    if (includePending) {
      DeferralTableWriter.writeCases(table, task, out);
    } else {
      DeferralTableWriter.write(table, task, out);
    }
    return new Summary(n, counts[0], counts[1], counts[2], features, dropped);
  }

  /**
   * The task of the store's active policy.
   *
   * @throws IllegalArgumentException when the store has no active policy
   */
  public static TaskSpec activeTask(Store store) {
    return store.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT p.id, p.artifact FROM d4j_state s JOIN d4j_policy p ON p.id ="
                          + " s.active_policy WHERE s.id = 1");
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new IllegalArgumentException(
                  "the store has no active policy; give the task with --task");
            }
            return PolicyEntry.stored(rs.getString(1), "", "", "", 0, rs.getString(2))
                .policy()
                .task();
          }
        });
  }

  /** Whether an outcome gives what a labelled table of the task needs. */
  static boolean labelled(JsonNode outcome, TaskSpec task) {
    if (outcome == null) {
      return false;
    }
    JsonNode t = outcome.get("truth");
    return switch (task.kind()) {
      case CLASSIFICATION -> t != null && t.has("y");
      case REGRESSION -> t != null && t.has("t");
      case MULTITASK -> t != null && t.has("y") && t.has("t");
      case COSTS -> outcome.has("costs") || outcome.has("answers");
    };
  }
}
