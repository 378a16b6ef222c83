package org.defer4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.conformal.ConformalDeferral;
import org.defer4j.core.conformal.ConformalEnsembleStudy;
import org.defer4j.core.conformal.ConformalStudy;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;

/**
 * {@code evaluate --conformal ALPHA}, for every trained policy over repeated random
 * calibration/test splits of the evaluated table, as the {@code conformal} section of the JSON and
 * a report section: with one expert, the conformal deferral sets of Fang &amp; Nalisnick ({@link
 * ConformalStudy}, halves); with several, the conformal expert ensembles of Verma et al. and their
 * risk-control variant on the cases the policy defers ({@link ConformalEnsembleStudy}, 80 / 20 as
 * the authors' code).
 */
final class ConformalEvaluation {
  /** Share of each split's rows that calibrate. */
  static final double CALIBRATION_SHARE = 0.5;

  /** Share of the deferred rows that calibrate an ensemble (the reference code's cal_percent). */
  static final double ENSEMBLE_CALIBRATION_SHARE = 0.8;

  private final Map<String, List<ConformalEnsembleStudy.Summary>> ensembles = new LinkedHashMap<>();

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
    if (agents.expertCount() > 1) {
      for (PolicySet.Item item : set.items()) {
        if (item.kind() != PolicySet.Kind.LEARNED) {
          continue;
        }
        ConformalEnsembleStudy.Cases cases =
            deferred(item.decisions(), item.costs(), table, agents);
        if (cases == null) {
          out.notes.add(item.name() + ": fewer than 2 deferred cases; no ensemble");
          continue;
        }
        out.calibrated.put(
            item.name(), ConformalDeferral.calibratedScore(item.decisions(), agents, 1));
        List<ConformalEnsembleStudy.Summary> list = new ArrayList<>();
        for (double a : alphas) {
          list.add(ConformalEnsembleStudy.run(cases, a, ENSEMBLE_CALIBRATION_SHARE, splits, seed));
        }
        out.ensembles.put(item.name(), list);
      }
      if (out.ensembles.isEmpty()) {
        throw new IllegalArgumentException(
            "--conformal needs a trained policy (NAME=FILE) that defers some cases");
      }
      return out;
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

  /**
   * The cases a policy defers, with each expert's confidence π_j: the calibrated P̂(expert j right)
   * where the head estimates costs, else σ(score_j − score_model); null below 2 deferred cases.
   */
  private static ConformalEnsembleStudy.Cases deferred(
      Decisions d, CostMatrix costs, DeferralTable table, AgentSet agents) {
    int j = agents.expertCount();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < d.rows(); i++) {
      if (d.agent(i) != 0) {
        rows.add(i);
      }
    }
    int n = rows.size();
    if (n < 2) {
      return null;
    }
    double[] pi = new double[n * j];
    boolean[] right = new boolean[n * j];
    int[] answers = new int[n * j];
    int[] labels = new int[n];
    boolean[] chosen = new boolean[n];
    double[][] p = new double[j][];
    AgentColumns[] cols = new AgentColumns[j];
    for (int e = 0; e < j; e++) {
      p[e] = ConformalDeferral.expertProbability(d, agents, e + 1);
      cols[e] = table.agent(agents.get(e + 1).name());
    }
    for (int r = 0; r < n; r++) {
      int i = rows.get(r);
      labels[r] = table.hasLabels() ? table.label(i) : -1;
      chosen[r] = costs.correct(i, d.agent(i)) == 1;
      for (int e = 0; e < j; e++) {
        pi[r * j + e] = p[e][i];
        right[r * j + e] = costs.correct(i, e + 1) == 1;
        answers[r * j + e] =
            cols[e].hasPredictedClass() && cols[e].observed(i) ? cols[e].predictedClass(i) : -1;
      }
    }
    return new ConformalEnsembleStudy.Cases(pi, right, answers, labels, chosen, j);
  }

  /** Per policy, one ensemble summary per α (several experts). */
  Map<String, List<ConformalEnsembleStudy.Summary>> ensembles() {
    return ensembles;
  }

  /** Per policy, one summary per α (one expert). */
  Map<String, List<ConformalStudy.Summary>> studies() {
    return studies;
  }

  /** The fields every JSON entry starts with, in this order. */
  private Map<String, Object> entry(
      String name, double alpha, int calibrationRows, int testRows, double coverage, double sd) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("policy", name);
    e.put(
        "score",
        calibrated.get(name)
            ? "calibrated P(expert right)"
            : "sigmoid(expert score - model score)");
    e.put("alpha", alpha);
    e.put("calibration_rows", calibrationRows);
    e.put("test_rows", testRows);
    e.put("coverage", Format.num(coverage));
    e.put("coverage_sd", Format.num(sd));
    return e;
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
            Map<String, Object> e =
                entry(
                    name,
                    s.alpha(),
                    s.calibrationRows(),
                    s.testRows(),
                    s.coverage(),
                    s.coverageSd());
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
    List<Map<String, Object>> ens = new ArrayList<>();
    ensembles.forEach(
        (name, sums) -> {
          for (ConformalEnsembleStudy.Summary s : sums) {
            Map<String, Object> e =
                entry(
                    name,
                    s.alpha(),
                    s.calibrationRows(),
                    s.testRows(),
                    s.coverage(),
                    s.coverageSd());
            e.put("mean_set_size", Format.num(s.meanSetSize()));
            e.put("vote_accuracy", Format.num(s.voteAccuracy()));
            e.put("chosen_expert_accuracy", Format.num(s.chosenAccuracy()));
            e.put("risk_control_fnr", Format.num(s.riskControlFnr()));
            e.put("risk_control_set_size", Format.num(s.riskControlSetSize()));
            e.put("risk_control_vote_accuracy", Format.num(s.riskControlVoteAccuracy()));
            ens.add(e);
          }
        });
    m.put("ensembles", ens);
    if (!ensembles.isEmpty()) {
      m.put(
          "ensemble_method",
          "conformal expert ensembles (Verma et al. 2023) on the deferred cases, split conformal"
              + " and conformal risk control of the false-negative rate");
      m.put("ensemble_calibration_share", ENSEMBLE_CALIBRATION_SHARE);
    }
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
    ensembles.forEach(
        (name, sums) -> {
          for (ConformalEnsembleStudy.Summary s : sums) {
            out.add(
                String.format(
                    java.util.Locale.ROOT,
                    "%-24s ensemble 1-alpha=%s: coverage=%s (%d splits)  set size=%.3f  vote"
                        + " acc=%s (chosen expert %s)  risk control: FNR=%s set size=%.3f",
                    name,
                    Format.pct(1 - s.alpha()),
                    Format.pct(s.coverage()),
                    s.splits(),
                    s.meanSetSize(),
                    Format.pct(s.voteAccuracy()),
                    Format.pct(s.chosenAccuracy()),
                    Format.pct(s.riskControlFnr()),
                    s.riskControlSetSize()));
          }
        });
    return out;
  }
}
