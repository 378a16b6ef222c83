package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.defer4j.cli.options.FitOptions;
import org.defer4j.cli.options.PolicyOutput;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.expert.WorkloadEmTrainer;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.TopKSurrogate;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.CardinalityTrainer;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.EpochLog;
import org.defer4j.core.train.ExpertPenalty;
import org.defer4j.core.train.Precision;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingDiagnostics;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.core.train.TriageTrainer;
import org.defer4j.core.train.tune.SearchSpace;
import org.defer4j.core.train.tune.Trial;
import org.defer4j.core.train.tune.TrialSetting;
import org.defer4j.core.train.tune.TuneResult;
import org.defer4j.core.train.tune.Tuner;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatureStep;
import org.defer4j.io.text.TextFeatures;
import org.defer4j.io.text.TextFeaturizer;
import org.defer4j.io.text.TextOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a deferral policy and saves it as one artifact file. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a deferral policy (one-stage when the task names no frozen model, two-stage when it"
          + " does) and save it as a policy artifact (JSON).",
      "Methods: see 'defer4j methods'. Early stopping watches the validation system cost."
    })
class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Training table (CSV or Parquet).")
  Path data;

  @Option(
      names = "--val",
      description = "Validation table: early stopping and the threshold (recommended).")
  Path validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--method",
      required = true,
      description =
          "Surrogate loss, e.g. ce, ova, asym-softmax, realizable, psi:mae, 2s-comp:1 (see"
              + " 'defer4j methods'), triage (post-hoc differentiable triage), or sard[:BASE]"
              + " (sard-r, a reconstruction of SARD adversarial training, on BASE; default"
              + " 2s-comp:1 two-stage, ce one-stage; knobs --sard-*), or pl2d (probabilistic L2D:"
              + " EM over a gate with workload bounds, --workload, --em-rounds).")
  String method;

  @Option(
      names = "--workload",
      description =
          "--method pl2d: bounds on an agent's share of the training cases, NAME=LO:HI (NAME an"
              + " expert, 'model', or '*' for every expert not named; repeatable; default 0:1).")
  List<String> workload = new java.util.ArrayList<>();

  @Option(
      names = "--em-rounds",
      defaultValue = "10",
      description =
          "--method pl2d: EM rounds, each an E-step and --epochs epochs of M-step, 1 to 10000"
              + " (default: ${DEFAULT-VALUE}).")
  int emRounds;

  @Option(
      names = "--em-missing",
      defaultValue = "mask",
      description =
          "--method pl2d: mask (the gate covers the experts who answered each case, as the policy"
              + " can only choose those) or infer (every agent, missing answers inferred, as in"
              + " Nguyen et al.) (default: ${DEFAULT-VALUE}).")
  String emMissing;

  @Option(
      names = "--expert-penalty",
      defaultValue = "0",
      description =
          "Cost-regularised training: add lambda x the softmax mass on the experts to the loss"
              + " (one-stage classes-and-experts or two-stage agent layouts; default:"
              + " ${DEFAULT-VALUE}, none).")
  double expertPenalty;

  @Mixin SardOptions sardOptions = new SardOptions();

  @Option(
      names = "--model",
      defaultValue = "linear",
      description =
          "Scorer: linear or mlp:H1,H2,... (at most 16 layers of 1 to 8192 units) (default:"
              + " ${DEFAULT-VALUE}).")
  String model;

  @Mixin FitOptions fitOptions = new FitOptions();

  @Mixin PolicyOutput policyOutput = new PolicyOutput();

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      description = "adam, sgd or lbfgs (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--precision",
      defaultValue = "float64",
      description =
          "Arithmetic of Adam's minibatch passes and steps: float64, or float32 (linear and mlp"
              + " scorers, the arithmetic of PyTorch's float32 training: an MLP trains at about"
              + " 1.1-2x the samples/s, a linear scorer about as fast or slower; the loss and the"
              + " saved policy stay float64) (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--epochs",
      description =
          "Maximum epochs (L-BFGS: iterations), 1 to 100000 (default: 100, raised on a small"
              + " table so that Adam or SGD takes at least 2,000 minibatch steps).")
  Integer epochs;

  @Option(
      names = "--lr",
      defaultValue = "0.003",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--batch",
      defaultValue = "128",
      description = "Batch size, 1 to 1048576 (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--patience",
      defaultValue = "10",
      description =
          "Epochs without validation improvement before stopping; 0: never (default:"
              + " ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--tune-threshold",
      description =
          "Tune a threshold on the rejection score on --val (score-based and agent layouts).")
  boolean tuneThreshold;

  @Option(
      names = "--coverage",
      description =
          "After training, calibrate the deferral threshold on --val so that the model keeps at"
              + " least this share of the cases, in [0, 1] (as 'calibrate --min-model-share').")
  Double coverage;

  @Option(
      names = "--text-dim",
      defaultValue = "1024",
      description =
          "Hashed TF-IDF dimension of the task's text column, 1 to 65536 (default:"
              + " ${DEFAULT-VALUE}).")
  int textDim;

  @Option(
      names = "--model-probabilities",
      description =
          "Two-stage: give the rejector the frozen model's probabilities m.<model>.p.* as inputs.")
  boolean modelProbabilities;

  @Option(
      names = "--triage-budget",
      defaultValue = "1.0",
      description =
          "--method triage: largest share of a minibatch given to experts (default: ${DEFAULT-VALUE}).")
  double triageBudget;

  @Option(
      names = "--no-standardize",
      description =
          "Feed the features as they are; by default they are standardised with the training"
              + " table's means and standard deviations (saved in the policy).")
  boolean noStandardize;

  @Option(
      names = "--k",
      description =
          "Save a committee rule with the policy: N (the N best-scored available agents) or"
              + " 'adaptive' (learn the size k(x) per case, trading the committee's error against"
              + " lambda times its fees). Best with --method topk, trained once for every k.")
  String k;

  @Option(
      names = "--k-max",
      defaultValue = "3",
      description = "Largest committee k(x) may choose (default: ${DEFAULT-VALUE}).")
  int kMax;

  @Option(
      names = "--k-lambda",
      defaultValue = "1",
      description =
          "Weight of the committee's penalty in k(x)'s cost, error + lambda x penalty (default:"
              + " ${DEFAULT-VALUE}: with the fees penalty, the committee's true cost).")
  double kLambda;

  @Option(
      names = "--k-penalty",
      defaultValue = "fees",
      description = "What lambda multiplies: fees (the members' fees) or size (k).")
  String kPenalty;

  @Option(
      names = "--aggregate",
      description =
          "How a committee's answers combine: vote, weighted-vote, mean, weighted-mean, median"
              + " (default: vote for classification, mean for regression).")
  String aggregate;

  @Option(names = "--json", description = "Write the validation metrics as JSON to this file.")
  Path json;

  @Option(
      names = "--tune",
      description =
          "Search the learning rate, --l2, epochs and patience, the MLP's hidden width and the"
              + " method's parameter (alpha, nu, q, lambda) on --val: --tune-trials trials (trial 0"
              + " is the options given), run in parallel, the least validation system cost wins"
              + " and is saved with the trial table in its provenance.")
  boolean tune;

  @Option(
      names = "--tune-trials",
      defaultValue = "20",
      description = "--tune: trials, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int tuneTrials;

  @Option(
      names = "--tune-seed",
      defaultValue = "0",
      description = "--tune: seed of the settings drawn (default: ${DEFAULT-VALUE}).")
  long tuneSeed;

  @Option(
      names = "--tune-threads",
      description =
          "--tune: trials run at once, 1 to 1024 (default: the machine's cores); the results do"
              + " not depend on it.")
  Integer tuneThreads;

  @Option(
      names = "--tune-table",
      description = "--tune: write the trial table to this file (.json: JSON, otherwise CSV).")
  Path tuneTable;

  @Option(
      names = "--quiet",
      description = "No progress bar (there is none anyway unless the output is a terminal).")
  boolean quiet;

  /** The method name of post-hoc differentiable triage (Okati et al. 2021). */
  static final String TRIAGE = "triage";

  /** The method name of probabilistic L2D with workload bounds (Nguyen et al. 2025). */
  static final String PL2D = "pl2d";

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    checkBounds();
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    boolean triage = method.equals(TRIAGE);
    boolean pl2d = method.equals(PL2D);
    if (!pl2d && !workload.isEmpty()) {
      throw new IllegalArgumentException("--workload bounds the EM of --method pl2d");
    }
    if (expertPenalty > 0 && (triage || pl2d || SardOptions.requested(method))) {
      throw new IllegalArgumentException(
          "--expert-penalty changes a surrogate's loss; it does not combine with --method "
              + method);
    }
    int committeeK = k == null ? -1 : CommitteeOptions.parseK("--k", k);
    Aggregator aggregator = CommitteeOptions.aggregator(aggregate, taskSpec);
    CommitteeRule.Penalty penalty = CommitteeRule.Penalty.parse(kPenalty);
    if (k == null && aggregate != null) {
      throw new IllegalArgumentException("--aggregate combines a committee's answers; add --k");
    }
    boolean answers =
        taskSpec.kind() == TaskKind.CLASSIFICATION || taskSpec.kind() == TaskKind.REGRESSION;
    if (answers && aggregator.forClasses() != (taskSpec.kind() == TaskKind.CLASSIFICATION)) {
      throw new IllegalArgumentException(
          "--aggregate "
              + aggregator.spec()
              + " does not fit a "
              + taskSpec.kind().specName()
              + " task; use "
              + (taskSpec.kind() == TaskKind.CLASSIFICATION
                  ? "vote or weighted-vote"
                  : "mean, weighted-mean or median"));
    }
    if (committeeK == 0 && !answers) {
      throw new IllegalArgumentException(
          "--k adaptive learns from the committees' errors, so it needs a classification or"
              + " regression task; this task is "
              + taskSpec.kind().specName());
    }
    boolean sard = SardOptions.requested(method);
    String base = sard ? SardOptions.base(method, taskSpec.hasFrozenModel()) : method;
    // Triage is a training procedure, not a surrogate: its model routes by argmax over class and
    // expert scores, the rule of the cross-entropy layout it is saved with.
    Surrogate surrogate = Surrogates.byName(triage ? "ce" : pl2d ? "moe" : base);
    DeferralTable train = DeferralTableReader.read(data, taskSpec);
    DeferralTable val = validation == null ? null : DeferralTableReader.read(validation, taskSpec);
    FeatureOptions features =
        FeatureOptions.defaults()
            .withStandardize(!noStandardize)
            .withModelProbabilities(modelProbabilities);
    if (taskSpec.textColumn() != null) {
      FittedTextFeaturizer text =
          TextFeatures.fit(
              train,
              taskSpec.textColumn(),
              new TextFeaturizer(TextOptions.defaults().withDimension(textDim)));
      features =
          features.withStep(
              new TextFeatureStep(
                  taskSpec.textColumn(), FittedTextFeaturizer.DEFAULT_PREFIX, text));
    }
    if (train.featureCount() == 0 && taskSpec.textColumn() == null) {
      throw new IllegalArgumentException(
          data + ": no x.* feature columns and no text column in the task; nothing to learn from");
    }
    Algorithm algorithm = Algorithm.parse(optimizer);
    int maxEpochs =
        epochs != null
            ? epochs
            : algorithm == Algorithm.LBFGS
                ? TrainOptions.DEFAULT_EPOCHS
                : TrainOptions.defaultEpochs(train.rows(), batch);
    Precision arithmetic = Precision.parse(precision);
    if (arithmetic == Precision.FLOAT32 && sard) {
      throw new IllegalArgumentException(
          "--precision float32 does not combine with --method "
              + method
              + " (its adversarial"
              + " passes run the float64 scorer); use float64");
    }
    TrainOptions options =
        new TrainOptions(
            algorithm, learningRate, maxEpochs, batch, patience, fitOptions.seed(), arithmetic);
    DeferralTrainer trainer =
        new DeferralTrainer(surrogate, scorer(), options, tuneThreshold)
            .withFeatures(features)
            .withLossExtension(
                sard
                    ? sardOptions.sard(spec, fitOptions.seed())
                    : expertPenalty > 0 ? new ExpertPenalty(expertPenalty) : null);
    if (coverage != null && val == null) {
      throw new IllegalArgumentException("--coverage calibrates on a validation table: give --val");
    }
    if (coverage != null && k != null) {
      throw new IllegalArgumentException(
          "--coverage sets a one-agent threshold rule; it does not combine with --k");
    }
    if (pl2d && (tuneThreshold || committeeK >= 0 || coverage != null)) {
      throw new IllegalArgumentException(
          "--method pl2d decides by its gate's argmax; --tune-threshold, --coverage and --k do not"
              + " apply");
    }
    if (tuneThreshold && val == null) {
      throw new IllegalArgumentException("--tune-threshold needs a validation table (--val)");
    }
    if (tune && val == null) {
      throw new IllegalArgumentException(
          "--tune scores every trial on a validation table: give --val");
    }
    if (tune && (pl2d || triage || sard)) {
      throw new IllegalArgumentException(
          "--tune searches a surrogate's training; it does not combine with --method " + method);
    }
    if (tune && algorithm == Algorithm.LBFGS) {
      throw new IllegalArgumentException(
          "--tune searches the learning rate of Adam or SGD; L-BFGS has none (use --optimizer"
              + " adam or sgd)");
    }
    if (taskSpec.hasFrozenModel() && surrogate.forTask(taskSpec) != surrogate) {
      out.printf(
          Locale.ROOT,
          "note: %s on a task with a frozen model trains %s (the same complementary-cost loss"
              + " over the agents)%n",
          method,
          surrogate.forTask(taskSpec).name());
    }
    if (committeeK >= 0 && !(surrogate instanceof TopKSurrogate) && !triage) {
      out.printf(
          Locale.ROOT,
          "note: %s trains scores for one choice; committees rank them anyway (--method topk"
              + " trains scores for every k)%n",
          method);
    }
    out.printf(
        Locale.ROOT,
        "training %s (%s) on %d rows x %d features, %d agents%n",
        method,
        model,
        train.rows(),
        train.featureCount(),
        taskSpec.agents().size());
    out.flush();
    long start = System.nanoTime();
    LearnedPolicy fitted = null;
    TuneResult tuned = tune ? tune(out, taskSpec, train, val, options, features) : null;
    try (Progress progress = !tune && Terminal.showsProgress(quiet) ? new Progress() : null) {
      TrainingListener listener = progress == null ? TrainingListener.NONE : progress;
      if (tuned != null) {
        fitted = tuned.policy();
      } else if (pl2d) {
        double[][] bounds = workloadBounds(taskSpec);
        fitted =
            new WorkloadEmTrainer(
                    scorer(), options, emRounds, bounds[0], bounds[1], features, inferMissing())
                .fit(taskSpec, train, val, listener);
      } else if (triage) {
        fitted =
            new TriageTrainer(scorer(), options.withAlgorithm(Algorithm.ADAM), triageBudget)
                .withFeatures(features)
                .fit(taskSpec, train, val, listener);
      } else {
        fitted = trainer.fit(taskSpec, train, val, listener);
      }
    }
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    // Rows x epochs run of the fit (of every trial with --tune) over the fit's wall time.
    long samples = (long) train.rows() * fitted.provenance().epochs();
    if (tuned != null) {
      samples = 0;
      for (Trial t : tuned.trials()) {
        samples += (long) train.rows() * t.epochs();
      }
    }
    if (committeeK > 0) {
      fitted = fitted.withCommittee(CommitteeRule.topK(committeeK, aggregator));
    } else if (committeeK == 0) {
      out.printf(
          Locale.ROOT,
          "learning the committee size k(x) in 1..%d (lambda %s x %s)%n",
          kMax,
          Format.fmt(kLambda),
          penalty.spec());
      out.flush();
      try (Progress progress = Terminal.showsProgress(quiet) ? new Progress() : null) {
        fitted =
            new CardinalityTrainer(kMax, kLambda, penalty, aggregator, options, scorer())
                .fit(
                    fitted,
                    taskSpec,
                    train,
                    val,
                    progress == null ? TrainingListener.NONE : progress);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("data", data.toString());
    prov.put("model", model);
    prov.put("train_seconds", String.format(Locale.ROOT, "%.3f", seconds));
    fitted =
        fitted.withProvenance(
            fitted
                .provenance()
                .withOptions(prov)
                .withSource(
                    PolicyArtifact.fileHash(data),
                    PolicyArtifact.version(),
                    java.time.Instant.now().toString()));
    PolicyArtifact.save(fitted, policyOutput.out());
    if (coverage != null) {
      org.defer4j.core.constraint.ShareCalibration.Result c =
          CalibrateCommand.calibrateAndSave(
              fitted,
              val,
              org.defer4j.core.policy.ShareTarget.minModelShare(coverage),
              org.defer4j.core.constraint.ShareCalibration.Pick.FILL,
              policyOutput.out());
      fitted = fitted.withRule(c.rule());
      CalibrateCommand.print(out, c, fitted);
    }
    out.printf(
        Locale.ROOT,
        "trained in %.1f s (%s samples/s: %,d rows x epochs run%s / %.1f s of fitting); wrote %s%n",
        seconds,
        String.format(Locale.ROOT, "%,.0f", samples / Math.max(fitSeconds, 1e-9)),
        samples,
        tuned == null ? "" : ", summed over the trials",
        fitSeconds,
        policyOutput.out());
    DeferralReport r =
        val == null ? null : Evaluation.of(fitted.withCommittee(null), taskSpec, val).report();
    CommitteeEvaluation committee =
        val == null || fitted.committee() == null || !answers
            ? null
            : CommitteeEvaluation.of(
                fitted.committee().spec(),
                fitted.decide(val, Availability.observed(taskSpec, val)),
                taskSpec,
                val,
                Evaluator.Options.defaults().withResamples(0));
    if (r != null) {
      out.printf(
          Locale.ROOT,
          "validation: accuracy=%s  cost=%s  coverage=%s%n",
          Format.pct(r.systemAccuracy()),
          Format.fmt(r.meanCost()),
          Format.pct(r.coverage()));
    }
    List<TrainingDiagnostics.Finding> warnings = TrainingDiagnostics.check(fitted, train, val);
    for (TrainingDiagnostics.Finding f : warnings) {
      out.println("warning: " + f.message());
    }
    if (committee != null) {
      out.printf(
          Locale.ROOT,
          "validation committees (%s): accuracy=%s  cost=%s (fees %s)  mean size=%.2f%n",
          committee.name(),
          Format.pct(committee.accuracy().estimate()),
          Format.fmt(committee.meanCost().estimate()),
          Format.fmt(committee.meanFees()),
          committee.meanSize());
    }
    if (json != null) {
      // Without --val the JSON still records the run; the validation fields are null.
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", method);
      m.put("model", model);
      m.put("seed", fitOptions.seed());
      m.put("train_seconds", seconds);
      m.put("validation_system_accuracy", r == null ? null : Format.num(r.systemAccuracy()));
      m.put("validation_system_cost", r == null ? null : Format.num(r.meanCost()));
      m.put("validation_coverage", r == null ? null : Format.num(r.coverage()));
      m.put("committee", fitted.committee() == null ? null : fitted.committee().spec());
      m.put(
          "validation_committee_accuracy",
          committee == null ? null : Format.num(committee.accuracy().estimate()));
      m.put(
          "validation_committee_cost",
          committee == null ? null : Format.num(committee.meanCost().estimate()));
      m.put("validation_committee_mean_size", committee == null ? null : committee.meanSize());
      m.put("warnings", warnings.stream().map(TrainingDiagnostics.Finding::message).toList());
      m.put("samples_per_second", samples / Math.max(fitSeconds, 1e-9));
      m.put("provenance", fitted.provenance());
      Json.write(json, m);
    }
    out.flush();
    return 0;
  }

  /**
   * Runs the search of {@code --tune}: trial 0 is the options as given; progress to stderr, the
   * table to {@code out} and to {@code --tune-table}.
   */
  private TuneResult tune(
      PrintWriter out,
      TaskSpec taskSpec,
      DeferralTable train,
      DeferralTable val,
      TrainOptions options,
      FeatureOptions features)
      throws java.io.IOException {
    boolean mlp = model.startsWith("mlp:");
    Tuner tuner =
        new Tuner(
            new Tuner.Options(
                tuneTrials,
                tuneSeed,
                tuneThreads != null ? tuneThreads : Runtime.getRuntime().availableProcessors(),
                SearchSpace.defaults()));
    TrialSetting start =
        new TrialSetting(
            method,
            options.learningRate(),
            fitOptions.l2(),
            options.epochs(),
            options.patience(),
            0);
    out.printf(
        Locale.ROOT,
        "tuning: %d trials (seed %d, %d threads) over lr, l2, epochs/patience%s%s, scored on the"
            + " validation system cost%n",
        tuneTrials,
        tuneSeed,
        Math.min(tuner.options().threads(), tuneTrials),
        mlp ? ", hidden width" : "",
        org.defer4j.core.train.tune.MethodParameter.of(method).map(p -> ", " + p).orElse(""));
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    Tuner.Listener progress =
        quiet
            ? Tuner.Listener.NONE
            : (t, done, total) -> {
              synchronized (err) {
                err.printf(
                    Locale.ROOT,
                    "trial %d/%d (#%d): %s%n",
                    done,
                    total,
                    t.index(),
                    t.succeeded()
                        ? String.format(Locale.ROOT, "val cost %.4f", t.validationCost())
                            + "  "
                            + t.setting().asOptions()
                        : "failed: " + t.error());
                err.flush();
              }
            };
    Surrogate base = Surrogates.byName(method);
    TuneResult r =
        tuner.tune(
            start,
            mlp,
            taskSpec,
            val,
            s -> {
              Surrogate sur = s.method().equals(method) ? base : Surrogates.byName(s.method());
              TrainOptions o =
                  new TrainOptions(
                      options.algorithm(),
                      s.learningRate(),
                      s.epochs(),
                      options.batchSize(),
                      s.patience(),
                      options.seed(),
                      options.precision());
              return new DeferralTrainer(sur, scorer(s.l2(), s.hiddenWidth()), o, tuneThreshold)
                  .withFeatures(features)
                  .withLossExtension(expertPenalty > 0 ? new ExpertPenalty(expertPenalty) : null)
                  .fit(taskSpec, train, val, TrainingListener.NONE);
            },
            progress);
    for (String line : r.table()) {
      out.println(line);
    }
    out.printf(
        Locale.ROOT,
        "best: trial %d, validation cost %.4f: %s%n",
        r.best(),
        r.winner().validationCost(),
        r.winner().setting().asOptions());
    if (tuneTable != null) {
      if (tuneTable.toString().endsWith(".json")) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Trial t : r.trials()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("trial", t.index());
          m.put("method", t.setting().method());
          m.put("learning_rate", t.setting().learningRate());
          m.put("l2", t.setting().l2());
          m.put("epochs", t.setting().epochs());
          m.put("patience", t.setting().patience());
          m.put("hidden_width", t.setting().hiddenWidth());
          m.put("epochs_run", t.epochs());
          m.put("best_epoch", t.bestEpoch());
          m.put("validation_cost", Format.num(t.validationCost()));
          m.put("validation_accuracy", Format.num(t.validationAccuracy()));
          m.put("seconds", t.seconds());
          m.put("error", t.error());
          rows.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("seed", r.seed());
        doc.put("best_trial", r.best());
        doc.put("trials", rows);
        Json.write(tuneTable, doc);
      } else {
        java.nio.file.Files.writeString(tuneTable, r.csv());
      }
      out.println("wrote the trial table to " + tuneTable);
    }
    out.flush();
    return r;
  }

  /** The numeric options' ranges (see {@link OptionBounds}), before anything is read. */
  private void checkBounds() {
    if (epochs != null) {
      OptionBounds.check(spec, "--epochs", epochs, 1, OptionBounds.MAX_EPOCHS);
    }
    OptionBounds.check(spec, "--tune-trials", tuneTrials, 1, 10_000);
    if (tuneThreads != null) {
      OptionBounds.check(spec, "--tune-threads", tuneThreads, 1, 1024);
    }
    OptionBounds.check(spec, "--batch", batch, 1, OptionBounds.MAX_BATCH);
    OptionBounds.check(spec, "--patience", patience, 0, OptionBounds.MAX_EPOCHS);
    OptionBounds.check(spec, "--text-dim", textDim, 1, OptionBounds.MAX_TEXT_DIM);
    OptionBounds.checkAtLeast(spec, "--lr", learningRate, 0, true);
    OptionBounds.checkAtLeast(spec, "--l2", fitOptions.l2(), 0, false);
    OptionBounds.checkInHalfOpen(spec, "--triage-budget", triageBudget, 0, 1);
    if (coverage != null && !(coverage >= 0 && coverage <= 1)) {
      throw new IllegalArgumentException("--coverage must be in [0, 1], got " + coverage);
    }
    OptionBounds.check(spec, "--k-max", kMax, 2, OptionBounds.MAX_COMMITTEE);
    OptionBounds.check(spec, "--em-rounds", emRounds, 1, 10_000);
    OptionBounds.checkAtLeast(spec, "--expert-penalty", expertPenalty, 0, false);
    OptionBounds.checkAtLeast(spec, "--k-lambda", kLambda, 0, false);
    if (model.startsWith("mlp:")) {
      OptionBounds.hiddenSizes(spec, "--model", model);
    }
  }

  private boolean inferMissing() {
    return switch (emMissing) {
      case "infer" -> true;
      case "mask" -> false;
      default ->
          throw new IllegalArgumentException(
              "--em-missing '" + emMissing + "' is not one of [mask, infer]");
    };
  }

  /**
   * The --workload bounds as {lower, upper} over the task's agents (0 = the model).
   *
   * @throws IllegalArgumentException on an unknown agent, a malformed bound or a repeated name
   */
  double[][] workloadBounds(TaskSpec taskSpec) {
    String[] names = taskSpec.agents().names();
    int a = names.length;
    double[] lower = new double[a];
    double[] upper = new double[a];
    java.util.Arrays.fill(upper, 1);
    boolean[] named = new boolean[a];
    double[] rest = null;
    for (String w : workload) {
      int eq = w.lastIndexOf('=');
      int colon = w.lastIndexOf(':');
      if (eq <= 0 || colon < eq) {
        throw new IllegalArgumentException(
            "--workload '" + w + "' is not NAME=LO:HI (e.g. alice=0.1:0.4)");
      }
      String name = w.substring(0, eq);
      double lo;
      double hi;
      try {
        lo = Double.parseDouble(w.substring(eq + 1, colon));
        hi = Double.parseDouble(w.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--workload '" + w + "': LO and HI must be numbers in [0, 1]", e);
      }
      if (name.equals("*")) {
        rest = new double[] {lo, hi};
        continue;
      }
      int j = java.util.Arrays.asList(names).indexOf(name);
      if (j < 0) {
        throw new IllegalArgumentException(
            "--workload names agent '"
                + name
                + "', not one of "
                + java.util.Arrays.toString(names));
      }
      if (named[j]) {
        throw new IllegalArgumentException("--workload names agent '" + name + "' twice");
      }
      named[j] = true;
      lower[j] = lo;
      upper[j] = hi;
    }
    if (rest != null) {
      for (int j = 1; j < a; j++) {
        if (!named[j]) {
          lower[j] = rest[0];
          upper[j] = rest[1];
        }
      }
    }
    return new double[][] {lower, upper};
  }

  private DeferralTrainer.ScorerFactory scorer() {
    return scorer(fitOptions.l2(), 0);
  }

  /** The scorer with L2 penalty {@code penalty}; width &gt; 0 sets every hidden layer's size. */
  private DeferralTrainer.ScorerFactory scorer(double penalty, int width) {
    if (model.equals("linear")) {
      return DeferralTrainer.linear(penalty);
    }
    if (model.startsWith("mlp:")) {
      List<Integer> given = OptionBounds.hiddenSizes(spec, "--model", model);
      List<Integer> hidden = width > 0 ? java.util.Collections.nCopies(given.size(), width) : given;
      Activation act;
      try {
        act = Activation.valueOf(fitOptions.activation().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--activation " + fitOptions.activation() + " is not one of [relu, tanh, gelu]", e);
      }
      return DeferralTrainer.mlp(hidden, act, penalty);
    }
    throw new IllegalArgumentException(
        "--model '" + model + "' is not 'linear' or 'mlp:H1,H2,...' (e.g. mlp:64,64)");
  }

  /** A progress bar over all minibatches, showing loss and validation accuracy. */
  private static final class Progress implements TrainingListener, AutoCloseable {
    private ProgressBar bar;
    private String last = "";

    @Override
    public void onStart(int epochs, int batchesPerEpoch) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("train")
              .setInitialMax((long) epochs * batchesPerEpoch)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
              .setUpdateIntervalMillis(250)
              .build();
    }

    @Override
    public void onBatch(int epoch, int batch, double loss) {
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d loss %.4f%s", epoch, loss, last));
    }

    @Override
    public void onEpoch(EpochLog log) {
      if (log.validation() != null) {
        last =
            String.format(
                Locale.ROOT,
                " val acc %s cost %.4f",
                Format.pct(log.validation().accuracy()),
                log.validation().cost());
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
