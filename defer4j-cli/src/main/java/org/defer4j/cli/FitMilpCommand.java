package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.constraint.LinearDeferralMilp;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.MilpTrainer;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.ortools.ScipDeferralMilp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a linear classifier and rejector with the exact MILP of Mozannar et al. 2023. */
@Command(
    name = "fit-milp",
    mixinStandardHelpOptions = true,
    description = {
      "Train the jointly optimal linear classifier and rejector for the 0-1 deferral loss on the"
          + " training rows with an exact mixed-integer program (Mozannar et al. 2023; OR-Tools"
          + " with SCIP). Binary or multiclass classification, one expert, no frozen model.",
      "NP-hard in general: meant for small tables (hundreds of rows). When the time limit runs"
          + " out, the best solution found is saved and its optimality gap printed. The policy"
          + " works with route and evaluate like any trained policy."
    })
final class FitMilpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Training table (CSV or Parquet).")
  Path data;

  @Option(names = "--val", description = "Validation table, for the metrics printed afterwards.")
  Path validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(names = "--out", required = true, description = "Where to write the policy (.json).")
  Path out;

  @Option(
      names = "--milp-time-limit",
      defaultValue = "60",
      description = "Solver wall-clock limit in seconds (default: ${DEFAULT-VALUE}).")
  double timeLimit;

  @Option(
      names = "--milp-l1",
      defaultValue = "0",
      description = "L1 penalty on the weights, lambda >= 0 (default: ${DEFAULT-VALUE}).")
  double l1;

  @Option(
      names = "--coverage",
      description =
          "Coverage constraint: the model keeps at least this share of the training rows, in"
              + " [0, 1] (at most floor((1 - c) N) rows deferred). Default: none.")
  Double coverage;

  @Option(
      names = "--no-standardize",
      description = "Use the x.* features as they are (default: standardised).")
  boolean noStandardize;

  @Option(names = "--json", description = "Write the run's summary as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    OptionBounds.checkAtLeast(spec, "--milp-time-limit", timeLimit, 0, true);
    OptionBounds.checkAtLeast(spec, "--milp-l1", l1, 0, false);
    if (coverage != null && !(coverage >= 0 && coverage <= 1)) {
      throw new IllegalArgumentException("--coverage must be in [0, 1], got " + coverage);
    }
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    DeferralTable train = DeferralTableReader.read(data, taskSpec);
    DeferralTable val = validation == null ? null : DeferralTableReader.read(validation, taskSpec);
    LinearDeferralMilp.Options options =
        LinearDeferralMilp.Options.defaults()
            .withTimeLimit(timeLimit)
            .withL1(l1)
            .withMaxDeferralShare(coverage == null ? 1.0 : 1.0 - coverage);
    log.printf(
        Locale.ROOT,
        "solving the linear L2D MILP on %d rows x %d features (time limit %s s)%n",
        train.rows(),
        train.featureCount(),
        timeLimit == Math.rint(timeLimit) ? Long.toString((long) timeLimit) : timeLimit);
    log.flush();
    MilpTrainer trainer =
        new MilpTrainer(
            new ScipDeferralMilp(),
            options,
            FeatureOptions.defaults().withStandardize(!noStandardize));
    LearnedPolicy policy = trainer.fit(taskSpec, train, val, TrainingListener.NONE);
    LinearDeferralMilp.Solution s = trainer.lastSolution();
    policy =
        policy.withProvenance(
            policy
                .provenance()
                .withOptions(Map.of("data", data.toString()))
                .withSource(
                    PolicyArtifact.fileHash(data),
                    PolicyArtifact.version(),
                    java.time.Instant.now().toString()));
    PolicyArtifact.save(policy, out);
    DeferralReport tr = Evaluation.of(policy, taskSpec, train).report();
    log.printf(
        Locale.ROOT,
        "%s %s in %.2f s: objective %s, best bound %s, gap %s; deferred %d of %d training rows;"
            + " wrote %s%n",
        s.status(),
        s.optimal() ? "(proved optimal)" : "(time limit; not proved optimal)",
        s.seconds(),
        Format.fmt(s.objective()),
        Format.fmt(s.bestBound()),
        Format.pct(s.gap()),
        s.deferred(),
        train.rows(),
        out);
    log.printf(
        Locale.ROOT,
        "training: accuracy=%s  cost=%s  coverage=%s%n",
        Format.pct(tr.systemAccuracy()),
        Format.fmt(tr.meanCost()),
        Format.pct(tr.coverage()));
    DeferralReport vr = val == null ? null : Evaluation.of(policy, taskSpec, val).report();
    if (vr != null) {
      log.printf(
          Locale.ROOT,
          "validation: accuracy=%s  cost=%s  coverage=%s%n",
          Format.pct(vr.systemAccuracy()),
          Format.fmt(vr.meanCost()),
          Format.pct(vr.coverage()));
    }
    if (json != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", "milp");
      m.put("status", s.status());
      m.put("optimal", s.optimal());
      m.put("objective", s.objective());
      m.put("best_bound", s.bestBound());
      m.put("gap", s.gap());
      m.put("seconds", s.seconds());
      m.put("deferred", s.deferred());
      m.put("train_rows", train.rows());
      m.put("train_system_accuracy", Format.num(tr.systemAccuracy()));
      m.put("train_coverage", Format.num(tr.coverage()));
      m.put("validation_system_accuracy", vr == null ? null : Format.num(vr.systemAccuracy()));
      m.put("validation_coverage", vr == null ? null : Format.num(vr.coverage()));
      m.put("provenance", policy.provenance());
      Json.write(json, m);
    }
    log.flush();
    return 0;
  }
}
