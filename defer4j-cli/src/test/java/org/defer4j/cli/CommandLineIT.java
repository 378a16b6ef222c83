package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code defer4j} command end to end on the bundled data sets (datasets/ of the checkout;
 * routellm-mmlu-all.csv holds all 14,042 MMLU questions). Expected figures are counts from the raw
 * RouteLLM files (9,560 of 14,042 MMLU questions right for Mixtral, 11,315 for GPT-4, 12,057 for at
 * least one of them) and the published HateSpeech calibration figures (ECE 6.96 % softmax, 0.77 %
 * one-vs-all, 20 bins).
 */
class CommandLineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Defer4jCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * Trains a policy on the bundled HateSpeech train/val split with {@code train --quiet}, asserting
   * that it succeeds; {@code options} are further {@code train} options (e.g. --epochs 2).
   */
  static void trainHateSpeech(String method, Path out, String... options) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "train",
                "--data",
                DATA.resolve("hatespeech-train.parquet").toString(),
                "--val",
                DATA.resolve("hatespeech-val.parquet").toString(),
                "--task",
                DATA.resolve("hatespeech.yaml").toString(),
                "--method",
                method,
                "--quiet",
                "--out",
                out.toString()));
    args.addAll(java.util.List.of(options));
    Run t = run(args.toArray(String[]::new));
    assertThat(t.exit()).as(t.err()).isZero();
  }

  /**
   * {@code --precision float32} trains the same MLP on the real HateSpeech table in float32
   * arithmetic: its test accuracy is within one point of the float64 fit's (the two follow each
   * other to float32 rounding, Float32FitTest; early stopping may keep a neighbouring epoch) and
   * the policy records the precision.
   */
  @Test
  void float32TrainingMatchesFloat64OnHateSpeech(@TempDir Path tmp) throws IOException {
    Path p64 = tmp.resolve("f64.json");
    Path p32 = tmp.resolve("f32.json");
    trainHateSpeech("ce", p64, "--model", "mlp:32");
    trainHateSpeech("ce", p32, "--model", "mlp:32", "--precision", "float32");
    assertThat(JSON.readTree(p32.toFile()).toString()).contains("\"precision\":\"float32\"");
    assertThat(JSON.readTree(p64.toFile()).toString()).doesNotContain("\"precision\"");
    Path json = tmp.resolve("e.json");
    Run e =
        run(
            "evaluate",
            "--data",
            DATA.resolve("hatespeech-test.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech.yaml").toString(),
            "--policy",
            p64.toString(),
            "--policy",
            p32.toString(),
            "--json",
            json.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    JsonNode p = JSON.readTree(json.toFile()).get("policies");
    assertThat(p.get(1).get("system_accuracy").asDouble())
        .isCloseTo(p.get(0).get("system_accuracy").asDouble(), within(0.01));
    Run sgd =
        run(
            "train",
            "--data",
            DATA.resolve("hatespeech-train.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech.yaml").toString(),
            "--method",
            "ce",
            "--precision",
            "float32",
            "--optimizer",
            "sgd",
            "--out",
            tmp.resolve("x.json").toString());
    assertThat(sgd.exit()).isNotZero();
    assertThat(sgd.err()).contains("float32 precision is implemented for the adam optimizer");
  }

  @Test
  void evaluateReportsTheRouteLlmBaselines(@TempDir Path tmp) throws IOException {
    Path json = tmp.resolve("e.json");
    Path html = tmp.resolve("e.html");
    Run r =
        run(
            "evaluate",
            "--data",
            DATA.resolve("routellm-mmlu-all.csv").toString(),
            "--task",
            DATA.resolve("routellm-mmlu.yaml").toString(),
            "--policy",
            "model",
            "--policy",
            "expert:gpt4",
            "--policy",
            "oracle",
            "--policy",
            "random:0.5",
            "--json",
            json.toString(),
            "--report",
            html.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode p = JSON.readTree(json.toFile()).get("policies");
    assertThat(p.get(0).get("n").asInt()).isEqualTo(14_042);
    assertThat(p.get(0).get("system_accuracy").asDouble())
        .isCloseTo(9_560 / 14_042.0, within(1e-12));
    assertThat(p.get(1).get("system_accuracy").asDouble())
        .isCloseTo(11_315 / 14_042.0, within(1e-12));
    assertThat(p.get(2).get("system_accuracy").asDouble())
        .isCloseTo(12_057 / 14_042.0, within(1e-12));
    assertThat(p.get(2).get("allocation").get("gpt4").asDouble()).isGreaterThan(0);
    assertThat(p.get(3).get("coverage").asDouble()).isCloseTo(0.5, within(1e-4));
    assertThat(p.get(0).get("groups").size()).isEqualTo(57);
    String page = Files.readString(html);
    assertThat(page)
        .contains("<img")
        .contains("System accuracy against the share of cases the model keeps")
        .contains("<td>oracle</td>");
  }

  @Test
  void calibrationGivesThePublishedHateSpeechFigures(@TempDir Path tmp) throws IOException {
    Path conf = DATA.resolve("hatespeech-l2d-confidences.csv");
    Path json = tmp.resolve("c.json");
    Run soft =
        run(
            "calibration",
            "--data",
            conf.toString(),
            "--prob",
            "least(1, softmax_defer / (softmax_p0 + softmax_p1 + softmax_p2))",
            "--outcome",
            "softmax_correct",
            "--json",
            json.toString());
    assertThat(soft.exit()).as(soft.err()).isZero();
    assertThat(JSON.readTree(json.toFile()).get("ece").asDouble()).isCloseTo(0.0696, within(5e-5));
    Run ova =
        run(
            "calibration",
            "--data",
            conf.toString(),
            "--prob",
            "ova_defer",
            "--outcome",
            "ova_correct");
    assertThat(ova.exit()).isZero();
    assertThat(ova.out()).contains("(0.77%)");
  }

  @Test
  void trainedPolicyBeatsModelAloneAndExpertAloneOnHateSpeech(@TempDir Path tmp)
      throws IOException {
    // The README's example, with the default settings (standardised inputs, Adam lr 0.003, at most
    // 100 epochs with patience 10); measured here: ova 91.34 % at coverage 49.82 %, the annotator
    // alone 90.23 %, the learned classifier alone 82.81 % on the 4,956 test tweets.
    Path policy = tmp.resolve("ova.json");
    trainHateSpeech("ova", policy);
    Path json = tmp.resolve("e.json");
    Run e =
        run(
            "evaluate",
            "--data",
            DATA.resolve("hatespeech-test.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech.yaml").toString(),
            "--policy",
            policy.toString(),
            "--policy",
            "model",
            "--policy",
            "expert:annotator",
            "--json",
            json.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    JsonNode p = JSON.readTree(json.toFile()).get("policies");
    double learned = p.get(0).get("system_accuracy").asDouble();
    double model = p.get(1).get("system_accuracy").asDouble();
    double expert = p.get(2).get("system_accuracy").asDouble();
    assertThat(learned).isGreaterThan(model).isGreaterThan(expert + 0.005);
    double coverage = p.get(0).get("coverage").asDouble();
    assertThat(coverage).isBetween(0.05, 0.95);
  }

  @Test
  void errorsPrintOneLineAndExitNonZero(@TempDir Path tmp) throws IOException {
    Run unknownExpert =
        run(
            "evaluate",
            "--data",
            DATA.resolve("routellm-gsm8k.csv").toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--policy",
            "expert:bob");
    assertThat(unknownExpert.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(unknownExpert.err().strip().lines().count()).isEqualTo(1);
    assertThat(unknownExpert.err()).contains("'bob' is not an expert").doesNotContain("Exception");

    Run missing = run("evaluate", "--data", "nope.csv", "--task", "nope.yaml", "--policy", "model");
    assertThat(missing.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(missing.err()).startsWith("defer4j: ").contains("nope.yaml");

    Run usage =
        run("evaluate", "--data", "a.csv", "--task", "t.yaml", "--policy", "model", "--bogus");
    assertThat(usage.exit()).isEqualTo(Defer4jCommand.EXIT_USAGE);
    assertThat(usage.err()).contains("--bogus").contains("--help");

    Path damaged = tmp.resolve("p.json");
    Files.writeString(
        damaged, "{\"format\":\"defer4j-policy\",\"format_version\":1,\"payload\":{}}");
    Run bad =
        run(
            "evaluate",
            "--data",
            DATA.resolve("routellm-gsm8k.csv").toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--policy",
            damaged.toString());
    assertThat(bad.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(bad.err()).contains("checksum mismatch");
  }

  @Test
  void everyCommandHasHelp() {
    for (String c :
        new String[] {
          "train",
          "evaluate",
          "calibration",
          "methods",
          "demo",
          "datasets",
          "fit-model",
          "routing-curve"
        }) {
      Run r = run(c, "--help");
      assertThat(r.exit()).as(c).isZero();
      assertThat(r.out()).as(c).contains("Usage: defer4j " + c);
    }
    Run methods = run("methods");
    assertThat(methods.out()).contains("ce ").contains("2s-comp").contains("realizable");
  }
}
