package org.defer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.conformal.ConformalDeferral;
import org.defer4j.core.conformal.ConformalStudy;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;

/**
 * {@code evaluate --conformal ALPHA}: the conformal deferral sets of Fang &amp; Nalisnick for every
 * trained policy of a single-expert task, over repeated random calibration/test splits of the
 * evaluated table ({@link ConformalStudy}), as the {@code conformal} section of the JSON and a
 * report section.
 */
final class ConformalEvaluation {
  /** Share of each split's rows that calibrate. */
  static final double CALIBRATION_SHARE = 0.5;

  private final Map<String, List<ConformalStudy.Summary>> studies = new LinkedHashMap<>();
  private final Map<String, Boolean> calibrated = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final int splits;

  private ConformalEvaluation(int splits) {
    this.splits = splits;
  }

  /**
   * Runs the study for every trained policy.
   *
   * @param set the resolved policies
   * @param task the task
   * @param table the evaluated table
   * @param alphas the miscoverage levels α
   * @param splits random splits per level
   * @param seed seed of the splits
   */
  static ConformalEvaluation run(
      PolicySet set,
      TaskSpec task,
      DeferralTable table,
      List<Double> alphas,
      int splits,
      long seed) {
    ConformalEvaluation out = new ConformalEvaluation(splits);
    AgentSet agents = task.agents();
    if (agents.expertCount() != 1) {
      throw new IllegalArgumentException(
          "--conformal builds sets over {model, expert} (Fang & Nalisnick) and needs a task with"
              + " one expert; this task has "
              + agents.expertCount());
    }
    for (PolicySet.Item item : set.items()) {
      if (item.kind() != PolicySet.Kind.LEARNED) {
        continue;
      }
      ConformalStudy.Cases cases = cases(item.decisions(), item.costs(), task, table, agents);
      if (cases == null) {
        out.notes.add(item.name() + ": the table does not record whether the expert was right");
        continue;
      }
      out.calibrated.put(
          item.name(), ConformalDeferral.calibratedScore(item.decisions(), agents, 1));
      List<ConformalStudy.Summary> list = new ArrayList<>();
      for (double a : alphas) {
        list.add(ConformalStudy.run(cases, a, CALIBRATION_SHARE, splits, seed));
      }
      out.studies.put(item.name(), list);
    }
    if (out.studies.isEmpty()) {
      throw new IllegalArgumentException(
          "--conformal needs a trained policy (NAME=FILE) evaluated on cases whose expert"
              + " correctness is known");
    }
    return out;
  }

  /** The rows whose model and expert correctness the table records, or null when none. */
  private static ConformalStudy.Cases cases(
      Decisions d, CostMatrix costs, TaskSpec task, DeferralTable table, AgentSet agents) {
    double[] p = ConformalDeferral.expertProbability(d, agents, 1);
    AgentColumns expert = table.agent(agents.get(1).name());
    AgentColumns model = task.hasFrozenModel() ? table.agent(task.model()) : null;
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < d.rows(); i++) {
      if (costs.correct(i, 0) != CostMatrix.UNKNOWN && costs.correct(i, 1) != CostMatrix.UNKNOWN) {
        keep.add(i);
      }
    }
    if (keep.isEmpty()) {
      return null;
    }
    int n = keep.size();
    double[] pk = new double[n];
    boolean[] e = new boolean[n];
    boolean[] m = new boolean[n];
    boolean[] agree = new boolean[n];
    boolean[] policy = new boolean[n];
    for (int r = 0; r < n; r++) {
      int i = keep.get(r);
      pk[r] = p[i];
      e[r] = costs.correct(i, 1) == 1;
      m[r] = costs.correct(i, 0) == 1;
      int mAnswer =
          model != null
              ? model.predictedClass(i)
              : d.hasPredictedClass() ? d.predictedClass(i) : -1;
      int eAnswer = expert.hasPredictedClass() ? expert.predictedClass(i) : -1;
      agree[r] = mAnswer >= 0 && mAnswer == eAnswer;
      policy[r] = costs.correct(i, d.agent(i)) == 1;
    }
    return new ConformalStudy.Cases(pk, e, m, agree, policy);
  }

  /** Per policy, one summary per α. */
  Map<String, List<ConformalStudy.Summary>> studies() {
    return studies;
  }

  /** The JSON section. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", "split-conformal sets over {model, expert} (Fang & Nalisnick), LAC score");
    m.put("calibration_share", CALIBRATION_SHARE);
    m.put("splits", splits);
    m.put("notes", notes);
    List<Map<String, Object>> list = new ArrayList<>();
    studies.forEach(
        (name, sums) -> {
          for (ConformalStudy.Summary s : sums) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("policy", name);
            e.put(
                "score",
                calibrated.get(name)
                    ? "calibrated P(expert right)"
                    : "sigmoid(expert score - model score)");
            e.put("alpha", s.alpha());
            e.put("calibration_rows", s.calibrationRows());
            e.put("test_rows", s.testRows());
            e.put("coverage", Format.num(s.coverage()));
            e.put("coverage_sd", Format.num(s.coverageSd()));
            e.put("coverage_min", Format.num(s.coverageMin()));
            e.put("coverage_binomial_sd", Format.num(s.binomialSd()));
            e.put("mean_set_size", Format.num(s.meanSetSize()));
            Map<String, Object> sizes = new LinkedHashMap<>();
            sizes.put("model", Format.num(s.shareModel()));
            sizes.put("expert", Format.num(s.shareExpert()));
            sizes.put("both", Format.num(s.shareBoth()));
            e.put("set_shares", sizes);
            e.put("policy_accuracy", Format.num(s.policyAccuracy()));
            e.put("abstention_answered", Format.num(s.abstentionAnswered()));
            e.put("abstention_accuracy", Format.num(s.abstentionAccuracy()));
            e.put("consensus_answered", Format.num(s.consensusAnswered()));
            e.put("consensus_accuracy", Format.num(s.consensusAccuracy()));
            list.add(e);
          }
        });
    m.put("results", list);
    return m;
  }

  /** One line per policy and α. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    notes.forEach(n -> out.add("note: " + n));
    studies.forEach(
        (name, sums) -> {
          for (ConformalStudy.Summary s : sums) {
            out.add(
                String.format(
                    java.util.Locale.ROOT,
                    "%-24s conformal 1-alpha=%s: coverage=%s (sd %s, %d splits)  set size=%.3f"
                        + "  abstention acc=%s on %s  consensus acc=%s on %s",
                    name,
                    Format.pct(1 - s.alpha()),
                    Format.pct(s.coverage()),
                    Format.pct(s.coverageSd()),
                    s.splits(),
                    s.meanSetSize(),
                    Format.pct(s.abstentionAccuracy()),
                    Format.pct(s.abstentionAnswered()),
                    Format.pct(s.consensusAccuracy()),
                    Format.pct(s.consensusAnswered())));
          }
        });
    return out;
  }
}
