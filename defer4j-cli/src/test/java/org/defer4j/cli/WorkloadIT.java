package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.cli.CommandLineIT.Run;
import org.defer4j.io.PolicyArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train --coverage, calibrate, evaluate's target and capacity report (text, JSON by the schema,
 * HTML) and stream on the bundled RouteLLM MMLU tables.
 */
class WorkloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");
  private static final String TASK = DATA.resolve("routellm-mmlu.yaml").toString();
  private static final String TRAIN = DATA.resolve("routellm-mmlu-train.parquet").toString();
  private static final String VAL = DATA.resolve("routellm-mmlu-val.parquet").toString();
  private static final String TEST = DATA.resolve("routellm-mmlu-test.parquet").toString();

  @Test
  void calibratesReportsAndStreams(@TempDir Path tmp) throws IOException {
    Path covered = tmp.resolve("covered.json");
    // The learning rate the share figures below were measured with (the former default).
    Run t = train("2s-comp:1", covered, "--lr", "0.001", "--coverage", "0.8");
    assertThat(t.exit()).as(t.err()).isZero();
    assertThat(t.out()).contains("calibrated min-model-share=0.8");
    assertThat(PolicyArtifact.load(covered).rule().spec()).startsWith("calibrated:");

    Path budget = tmp.resolve("budget.json");
    Run c = calibrateGpt4Share(covered, budget, "--pick", "fill");
    assertThat(c.exit()).as(c.err()).isZero();
    // 2,807 validation rows with continuous margins: fill lands within one case of 20 %.
    assertThat(c.out()).containsPattern("gpt4 (19\\.9[6-9]|20\\.00)%");

    Path json = tmp.resolve("e.json");
    Path html = tmp.resolve("e.html");
    Run e =
        CommandLineIT.run(
            "evaluate",
            "--data",
            TEST,
            "--task",
            TASK,
            "--policy",
            "budget=" + budget,
            "--policy",
            "random:0.2",
            "--capacity",
            "gpt4=100",
            "--period",
            "500",
            "--json",
            json.toString(),
            "--report",
            html.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    assertThat(e.out()).contains("target share:gpt4 <= 20.00%: realised");
    assertThat(e.out()).contains("workload gpt4:");
    JsonNode schema = JSON.readTree(ROOT.resolve("docs/evaluation.schema.json").toFile());
    JsonNode doc = JSON.readTree(json.toFile());
    assertThat(EvaluationSchemaIT.violations(schema, schema, doc, "$")).isEmpty();
    JsonNode target = doc.get("targets").get(0);
    assertThat(target.get("quantity").asText()).isEqualTo("share:gpt4");
    // The stated evidence: the test share within 2 points of the 20 % target.
    assertThat(target.get("realised").asDouble()).isBetween(0.18, 0.22);
    assertThat(target.get("lower").asDouble()).isLessThan(target.get("upper").asDouble());
    assertThat(doc.get("capacities").size()).isEqualTo(2);
    assertThat(Files.readString(html)).contains("Workload and budget targets");

    Run s =
        CommandLineIT.run(
            "stream",
            "--policy",
            budget.toString(),
            "--val",
            VAL,
            "--data",
            TEST,
            "--task",
            TASK,
            "--capacity",
            "gpt4=50",
            "--period",
            "500",
            "--orders",
            "3");
    assertThat(s.exit()).as(s.err()).isZero();
    assertThat(s.out()).contains("capacity exceeded in 0 of 3");

    // The confidence threshold at the same share: on a 2s-comp policy the model score is no
    // confidence (one-line refusal); on a plug-in policy, Chow's rule on its learned confidence.
    Run refused = calibrateGpt4Share(covered, tmp.resolve("x.json"), "--on", "confidence");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("its model score is not a confidence")
        .doesNotContain("\tat ");
    Path plugin = tmp.resolve("plugin.json");
    Run pt = train("plugin", plugin);
    assertThat(pt.exit()).as(pt.err()).isZero();
    Path conf = tmp.resolve("conf.json");
    Run cc = calibrateGpt4Share(plugin, conf, "--pick", "fill", "--on", "confidence");
    assertThat(cc.exit()).as(cc.err()).isZero();
    assertThat(cc.out())
        .contains("on the model's confidence")
        .containsPattern("gpt4 (19\\.9[6-9]|20\\.00)%");
    assertThat(PolicyArtifact.load(conf).rule().spec()).startsWith("calibrated-confidence:");
  }

  /**
   * {@code train} of {@code method} for 3 epochs on the training table with the validation table,
   * {@code options} before {@code --out}.
   */
  private static Run train(String method, Path out, String... options) {
    return run(
        List.of(
            "train",
            "--data",
            TRAIN,
            "--val",
            VAL,
            "--task",
            TASK,
            "--method",
            method,
            "--epochs",
            "3"),
        options,
        "--out",
        out.toString(),
        "--quiet");
  }

  /**
   * {@code calibrate} of {@code policy} on the validation table to at most 20 % of the cases for
   * gpt4, with {@code options} before {@code --out}.
   */
  private static Run calibrateGpt4Share(Path policy, Path out, String... options) {
    return run(
        List.of(
            "calibrate",
            "--policy",
            policy.toString(),
            "--val",
            VAL,
            "--task",
            TASK,
            "--max-share",
            "gpt4=0.2"),
        options,
        "--out",
        out.toString());
  }

  /** Runs the command line {@code head}, then {@code options}, then {@code tail}. */
  private static Run run(List<String> head, String[] options, String... tail) {
    List<String> args = new ArrayList<>(head);
    args.addAll(List.of(options));
    args.addAll(List.of(tail));
    return CommandLineIT.run(args.toArray(String[]::new));
  }
}
