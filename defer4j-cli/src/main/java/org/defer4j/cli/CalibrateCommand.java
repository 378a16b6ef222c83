package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.constraint.ShareCalibration;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ShareTarget;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Calibrates a trained policy's deferral threshold to a target share or fee budget (post-hoc,
 * Ponomarev 2024) on a validation table and saves the policy with the calibrated rule.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Choose a trained policy's deferral threshold on a validation table so that the model keeps"
          + " at least a share (--min-model-share), each named expert receives at most a share"
          + " (--max-share NAME=S) or the mean fee per case stays under a budget (--max-fee);"
          + " save the policy with that rule ('evaluate' then reports the realised shares"
          + " against the target). Not 'calibration', which measures probability calibration."
    })
final class CalibrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "Trained policy (JSON).")
  Path policy;

  @Option(names = "--val", required = true, description = "Validation table (CSV or Parquet).")
  Path validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--max-share",
      description = "An expert's largest share of the cases, NAME=S with S in [0, 1]; repeatable.")
  Map<String, Double> maxShare = new LinkedHashMap<>();

  @Option(
      names = "--min-model-share",
      description = "The model's least share (coverage) in [0, 1].")
  Double minModelShare;

  @Option(names = "--max-fee", description = "The largest mean consultation fee per case (>= 0).")
  Double maxFee;

  @Option(
      names = "--pick",
      defaultValue = "cost",
      description =
          "Among the thresholds that meet the target: cost (least validation cost) or fill (the"
              + " one that defers the most, spending the budget) (default: ${DEFAULT-VALUE}).")
  String pick;

  @Option(
      names = "--on",
      defaultValue = "margin",
      description =
          "What the threshold cuts: margin (best expert's score minus the model's, the policy's"
              + " own rule) or confidence (the model's own score: Chow's confidence threshold on"
              + " its learned confidence, for ova, plugin and 2s-sb policies) (default:"
              + " ${DEFAULT-VALUE}).")
  String on;

  @Option(names = "--out", required = true, description = "Where to write the calibrated policy.")
  Path out;

  @Override
  public Integer call() throws Exception {
    ShareTarget target =
        new ShareTarget(
            minModelShare == null ? Double.NaN : minModelShare,
            maxShare,
            maxFee == null ? Double.NaN : maxFee);
    ShareCalibration.Pick p = ShareCalibration.Pick.parse(pick);
    boolean confidence =
        switch (on.trim().toLowerCase(Locale.ROOT)) {
          case "margin" -> false;
          case "confidence" -> true;
          default ->
              throw new IllegalArgumentException(
                  "--on '" + on + "' is not one of [margin, confidence]");
        };
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    LearnedPolicy trained = PolicyArtifact.load(policy);
    org.defer4j.core.metric.TaskCheck.check(policy.toString(), trained.task(), taskSpec);
    DeferralTable val = DeferralTableReader.read(validation, taskSpec);
    PrintWriter w = spec.commandLine().getOut();
    ShareCalibration.Result r = calibrateAndSave(trained, val, target, p, confidence, out);
    print(w, r, trained);
    w.printf(Locale.ROOT, "wrote %s%n", out);
    w.flush();
    return 0;
  }

  /** Calibrates on the margin and saves; {@code train --coverage}. */
  static ShareCalibration.Result calibrateAndSave(
      LearnedPolicy trained,
      DeferralTable val,
      ShareTarget target,
      ShareCalibration.Pick pick,
      Path file)
      throws java.io.IOException {
    return calibrateAndSave(trained, val, target, pick, false, file);
  }

  /** Calibrates and saves. */
  static ShareCalibration.Result calibrateAndSave(
      LearnedPolicy trained,
      DeferralTable val,
      ShareTarget target,
      ShareCalibration.Pick pick,
      boolean confidence,
      Path file)
      throws java.io.IOException {
    ShareCalibration.Result r = ShareCalibration.calibrate(trained, val, target, pick, confidence);
    PolicyArtifact.save(trained.withRule(r.rule()), file);
    return r;
  }

  /** One line: the rule and the validation shares, fee and cost. */
  static void print(PrintWriter w, ShareCalibration.Result r, LearnedPolicy policy) {
    StringBuilder shares = new StringBuilder();
    double[] s = r.shares();
    for (int j = 0; j < s.length; j++) {
      shares.append(j == 0 ? "" : ", ").append(policy.agents().get(j).name()).append(' ');
      shares.append(Format.pct(s[j]));
    }
    w.printf(
        Locale.ROOT,
        "calibrated %s%s: theta=%s on %d validation rows; shares %s; mean fee %s; cost %s%n",
        r.rule().target().spec(),
        r.rule().confidence() ? " on the model's confidence" : "",
        Format.fmt(r.rule().theta()),
        r.rows(),
        shares,
        Format.fmt(r.meanFee()),
        Format.fmt(r.meanCost()));
  }
}
