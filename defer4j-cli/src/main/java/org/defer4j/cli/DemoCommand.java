package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.report.Charts;
import org.defer4j.cli.report.CommitteeReport;
import org.defer4j.cli.report.EvaluationReport;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Calibration;
import org.defer4j.core.metric.EvaluationResult;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.metric.PolicyResult;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.CardinalityTrainer;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The demo: the whole workflow on the bundled data sets, ending in one HTML report. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run defer4j end to end on the bundled data sets and write an HTML report.",
      "LLM routing on RouteLLM MMLU (Mixtral as the model, GPT-4 as the expert): baselines",
      "compared; learning to defer on HateSpeech with several surrogates; calibration of",
      "expert-correctness estimates of two HateSpeech deferral models."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--datasets",
      description = "Folder of the bundled data sets (default: datasets/ of the defer4j checkout).")
  Path datasets;

  @Option(
      names = "--out",
      defaultValue = "reports",
      description = "Folder for demo.html and demo.json (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    Path dir = datasets != null ? datasets : defaultDatasets();
    Files.createDirectories(out);
    HtmlReport html = new HtmlReport("defer4j demo");
    Map<String, Object> json = new LinkedHashMap<>();

    log.println("[1/4] LLM routing on RouteLLM MMLU: Mixtral (model) or GPT-4 (expert, fee 0.1)");
    TaskSpec route = TaskSpecIo.read(dir.resolve("routellm-mmlu.yaml"));
    DeferralTable mmlu = DeferralTableReader.read(dir.resolve("routellm-mmlu-all.csv"), route);
    CostMatrix mmluCosts = new CostModel(route).costs(mmlu);
    List<Evaluator.Entry> entries = new ArrayList<>();
    for (String p : List.of("model", "expert:gpt4", "random:0.5")) {
      entries.add(Evaluator.Entry.baseline(Policies.parse(p, route, 0), route, mmlu, mmluCosts));
    }
    entries.add(Evaluator.Entry.oracle(mmluCosts));
    EvaluationResult routing = EVALUATOR.evaluate(route, mmlu, entries);
    routing.policies().forEach(r -> log.println("      " + EvaluateCommand.summary(r)));
    html.heading("LLM routing: RouteLLM MMLU");
    html.paragraph(
        "Each of the 14,042 MMLU questions can be answered by Mixtral-8x7B (the model, cost 1 when"
            + " wrong) or sent to GPT-4 (cost 1 when wrong plus a fee of 0.1). The oracle shows"
            + " what a perfect router would reach; a random router lies on the line between the"
            + " two agents.");
    EvaluationReport.write(html, routing, "datasets/routellm-mmlu-all.csv");
    json.put(
        "routellm_mmlu",
        EvaluationJson.of(
            routing,
            "datasets/routellm-mmlu-all.csv",
            "datasets/routellm-mmlu.yaml",
            0,
            PolicyArtifact.version()));
    learnedRouter(dir, route, html, json, log);

    log.println("[2/4] Learning to defer on HateSpeech: one annotator as the expert");
    hateSpeech(dir, html, json, log);

    log.println(
        "[3/4] Committees on HateSpeech: three annotators at fee 0.05 each, fixed k and k(x)");
    committees(dir, html, json, log);

    log.println("[4/4] Calibration of expert-correctness estimates (HateSpeech, 20 bins)");
    Path conf = dir.resolve("hatespeech-l2d-confidences.csv");
    html.heading("Calibration of expert-correctness estimates");
    html.paragraph(
        "Two published deferral models on HateSpeech estimate the probability that the expert is"
            + " right: a softmax surrogate (estimate min(1, p_defer / sum of class probabilities))"
            + " and a one-vs-all surrogate (the expert's sigmoid output). Equal-width bins (lo, hi].");
    Map<String, Object> cal = new LinkedHashMap<>();
    for (String[] m :
        List.of(
            new String[] {
              "softmax",
              "least(1, softmax_defer / (softmax_p0 + softmax_p1 + softmax_p2))",
              "softmax_correct"
            },
            new String[] {"one-vs-all", "ova_defer", "ova_correct"})) {
      Calibration.Reliability rel =
          CalibrationCommand.reliability(conf, m[1], m[2], Calibration.DEFAULT_BINS);
      log.printf(
          Locale.ROOT, "      %-10s ECE=%.2f%%  MCE=%.4f%n", m[0], 100 * rel.ece(), rel.mce());
      html.paragraph(
          String.format(Locale.ROOT, "%s: ECE %.2f%%, MCE %.4f", m[0], 100 * rel.ece(), rel.mce()));
      html.figure(
          Charts.reliability(
              "Reliability: " + m[0], "estimated probability the expert is right", m[0], rel),
          "Reliability diagram of the " + m[0] + " estimate",
          "each point is one bin of cases: its mean estimated probability (x) against how often"
              + " the expert was right (y), labelled with the number of cases in the bin; points"
              + " on the dashed diagonal are calibrated, points below it over-confident, and"
              + " bins of few cases are noisy.");
      cal.put(m[0], Map.of("ece", rel.ece(), "mce", rel.mce(), "n", rel.n()));
    }
    json.put("calibration", cal);

    Path report = out.resolve("demo.html");
    html.write(report);
    Json.write(out.resolve("demo.json"), json);
    log.println("wrote " + report + " and " + out.resolve("demo.json"));
    log.flush();
    return 0;
  }

  /**
   * Trains a two-stage router (complementary-cost surrogate, ν = 1, linear, prompt text and subject
   * features) with the {@code train} command on the MMLU training split and draws its quality–cost
   * curve on the test split against random routing and the oracle.
   */
  private void learnedRouter(
      Path dir, TaskSpec route, HtmlReport html, Map<String, Object> json, PrintWriter log)
      throws java.io.IOException {
    Path policy = out.resolve("mmlu-router.json");
    String[] args = {
      "train",
      "--data",
      dir.resolve("routellm-mmlu-train.parquet").toString(),
      "--val",
      dir.resolve("routellm-mmlu-val.parquet").toString(),
      "--task",
      dir.resolve("routellm-mmlu.yaml").toString(),
      "--method",
      "2s-comp:1",
      "--quiet",
      "--out",
      policy.toString()
    };
    log.println("      $ defer4j " + String.join(" ", args));
    java.io.StringWriter trainOut = new java.io.StringWriter();
    java.io.StringWriter trainErr = new java.io.StringWriter();
    int code =
        Defer4jCommand.execute(
            args, new PrintWriter(trainOut, true), new PrintWriter(trainErr, true));
    if (code != 0) {
      throw new IllegalStateException(
          "training the MMLU router failed: " + trainErr.toString().strip());
    }
    trainOut.toString().lines().forEach(l -> log.println("      " + l));
    DeferralTable test = DeferralTableReader.read(dir.resolve("routellm-mmlu-test.parquet"), route);
    DeferralTable val = DeferralTableReader.read(dir.resolve("routellm-mmlu-val.parquet"), route);
    RoutingCurveCommand.Result r =
        RoutingCurveCommand.evaluate(
            route,
            test,
            val,
            List.of("2s-comp:1 linear"),
            List.of(PolicyArtifact.load(policy)),
            null);
    RoutingCurveCommand.addSection(html, "Learned router on the MMLU test split", r);
    json.put("routellm_mmlu_router", RoutingCurveCommand.json(r));
    r.routers()
        .forEach(x -> log.printf(Locale.ROOT, "      %-18s APGR %.3f%n", x.name(), x.apgr()));
  }

  /** Surrogates the demo trains on HateSpeech, each with the default training options. */
  /** The demo's evaluator: 1000 paired bootstrap resamples, seed 0. */
  private static final Evaluator EVALUATOR = new Evaluator();

  private static final List<String> HATESPEECH_METHODS =
      List.of("ce", "ova", "asym-softmax", "realizable");

  private void hateSpeech(Path dir, HtmlReport html, Map<String, Object> json, PrintWriter log)
      throws java.io.IOException {
    TaskSpec task = TaskSpecIo.read(dir.resolve("hatespeech.yaml"));
    DeferralTable train = DeferralTableReader.read(dir.resolve("hatespeech-train.parquet"), task);
    DeferralTable val = DeferralTableReader.read(dir.resolve("hatespeech-val.parquet"), task);
    DeferralTable test = DeferralTableReader.read(dir.resolve("hatespeech-test.parquet"), task);
    List<Evaluator.Entry> baselines = new ArrayList<>();
    List<Evaluator.Entry> learned = new ArrayList<>();
    for (String m : HATESPEECH_METHODS) {
      LearnedPolicy model =
          new DeferralTrainer(
                  Surrogates.byName(m), DeferralTrainer.linear(0.0), TrainOptions.defaults(), false)
              .fit(task, train, val, TrainingListener.NONE);
      Evaluator.Entry e = Evaluator.Entry.learned(model, task, test);
      if (learned.isEmpty()) {
        // Baselines use the first learned classifier as "the model alone".
        CostMatrix costs = e.costs();
        for (String p : List.of("model", "expert:annotator")) {
          baselines.add(Evaluator.Entry.baseline(Policies.parse(p, task, 0), task, test, costs));
        }
        baselines.add(Evaluator.Entry.oracle(costs));
      }
      learned.add(e);
    }
    List<Evaluator.Entry> entries = new ArrayList<>(baselines);
    entries.addAll(learned);
    EvaluationResult result = EVALUATOR.evaluate(task, test, entries);
    for (PolicyResult r : result.policies()) {
      if (r.kind() == Evaluator.Kind.LEARNED) {
        log.println("      " + EvaluateCommand.summary(r));
      }
    }
    result.policies().stream()
        .filter(r -> r.kind() != Evaluator.Kind.LEARNED)
        .forEach(r -> log.println("      " + EvaluateCommand.summary(r)));
    html.heading("Learning to defer: HateSpeech");
    html.paragraph(
        "24,783 tweets labelled hate / offensive / neither by 3 to 9 annotators. The expert is one"
            + " annotator's vote drawn per tweet; the model is a linear classifier on hashed TF-IDF"
            + " features, learned jointly with the deferral rule by each surrogate (train 60 %,"
            + " validation 20 % for early stopping, test 20 % reported). 'model' is the first"
            + " learned classifier alone.");
    EvaluationReport.write(html, result, "datasets/hatespeech-test.parquet");
    json.put(
        "hatespeech",
        EvaluationJson.of(
            result,
            "datasets/hatespeech-test.parquet",
            "datasets/hatespeech.yaml",
            0,
            PolicyArtifact.version()));
  }

  /**
   * The top-k surrogate trained once on the three-annotator tables, with its learned committee size
   * k(x) (defaults: K_max 3, λ 1 on the fees), scored for k = 1, 2, 3 and k(x) on the test table.
   */
  private void committees(Path dir, HtmlReport html, Map<String, Object> json, PrintWriter log)
      throws java.io.IOException {
    TaskSpec task = TaskSpecIo.read(dir.resolve("hatespeech-annotators.yaml"));
    DeferralTable train =
        DeferralTableReader.read(dir.resolve("hatespeech-annotators-train.parquet"), task);
    DeferralTable val =
        DeferralTableReader.read(dir.resolve("hatespeech-annotators-val.parquet"), task);
    DeferralTable test =
        DeferralTableReader.read(dir.resolve("hatespeech-annotators-test.parquet"), task);
    TrainOptions options = TrainOptions.defaults();
    LearnedPolicy base =
        new DeferralTrainer(Surrogates.topK(), DeferralTrainer.linear(0.0), options, false)
            .fit(task, train, val, TrainingListener.NONE);
    LearnedPolicy adaptive =
        new CardinalityTrainer(
                3,
                1.0,
                CommitteeRule.Penalty.FEES,
                Aggregator.VOTE,
                options,
                DeferralTrainer.linear(0.0))
            .fit(base, task, train, val, TrainingListener.NONE);
    List<CommitteeReport.Row> rows =
        EvaluateCommand.committees("topk", adaptive, List.of(1, 2, 3, 0), null, task, test, 0);
    rows.forEach(r -> log.println("      " + EvaluateCommand.committeeSummary(r)));
    html.heading("Committees: HateSpeech with three annotators");
    html.paragraph(
        "The same tweets with three annotators' votes (drawn without replacement), each annotator"
            + " charging a fee of 0.05. One policy is trained with the top-k surrogate (survey eq."
            + " 19); a committee is its k best-scored entities, answering by majority vote. k(x)"
            + " is the committee size learned per case, trading the committee's error against its"
            + " fees.");
    CommitteeReport.write(html, rows, task);
    List<Object> cs = new ArrayList<>();
    for (CommitteeReport.Row r : rows) {
      cs.add(EvaluationJson.committee(r.policy(), r.k(), r.aggregator(), r.result()));
    }
    json.put("hatespeech_committees", cs);
  }

  static Path defaultDatasets() {
    String home = System.getProperty("defer4j.home");
    return (home == null ? Path.of(".") : Path.of(home)).resolve("datasets");
  }
}
