package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.cli.datasets.RouteLlm;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j routing-curve} end to end on a small synthetic routing table whose prompts say
 * whether the weak model fails: "hard" prompts (Mixtral wrong, GPT-4 right) and "easy" ones (both
 * right). Expected values: random APGR = 1/2 exactly (the straight line); the oracle's closed form
 * W + min(p n, g)/n; a router trained on the prompt words should rank the hard prompts first.
 */
class RoutingCurveCommandTest {
  @TempDir Path dir;

  private static DeferralTable table(String name, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    String[] prompts = new String[n];
    double[] mix = new double[n];
    double[] gpt = new double[n];
    for (int i = 0; i < n; i++) {
      boolean hard = rng.nextDouble() < 0.3;
      prompts[i] = (hard ? "prove the hard theorem " : "add two small numbers ") + rng.nextInt(50);
      mix[i] = hard ? 1 : 0;
      gpt[i] = 0;
    }
    return DeferralTable.builder(name, n)
        .text("prompt", prompts)
        .agent("mixtral", new AgentColumns(n, null, null, null, 0, mix))
        .agent("gpt4", new AgentColumns(n, null, null, null, 0, gpt))
        .build();
  }

  @Test
  void printsCurveSummariesAndWritesJsonAndReport() throws Exception {
    TaskSpec task = RouteLlm.task();
    Path yaml = dir.resolve("task.yaml");
    TaskSpecIo.write(task, yaml);
    Path train = dir.resolve("train.csv");
    Path val = dir.resolve("val.csv");
    Path test = dir.resolve("test.csv");
    DeferralTableWriter.write(table("train", 300, 1), task, train);
    DeferralTableWriter.write(table("val", 100, 2), task, val);
    DeferralTableWriter.write(table("test", 100, 3), task, test);
    Path policy = dir.resolve("router.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc =
        Defer4jCommand.execute(
            new String[] {
              "train",
              "--data",
              train.toString(),
              "--val",
              val.toString(),
              "--task",
              yaml.toString(),
              "--method",
              "2s-comp:1",
              "--out",
              policy.toString(),
              "--quiet",
              "--epochs",
              "60",
              "--lr",
              "0.05",
              "--patience",
              "0",
              "--text-dim",
              "64"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    Path json = dir.resolve("curve.json");
    Path html = dir.resolve("curve.html");
    out = new StringWriter();
    rc =
        Defer4jCommand.execute(
            new String[] {
              "routing-curve",
              "--data",
              test.toString(),
              "--task",
              yaml.toString(),
              "--policy",
              policy.toString(),
              "--val",
              val.toString(),
              "--json",
              json.toString(),
              "--report",
              html.toString()
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("router", "APGR=", "CPT(50%)=", "random", "oracle");
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    JsonNode routers = root.get("routers");
    assertThat(routers).hasSize(3);
    assertThat(routers.get(1).get("router").asText()).isEqualTo("random");
    assertThat(routers.get(1).get("apgr").asDouble()).isCloseTo(0.5, within(1e-12));
    assertThat(routers.get(1).get("cpt50").asDouble()).isCloseTo(0.5, within(1e-12));
    // Here every gain is a hard prompt: g/n = 1 - W and S = 1, so the oracle's area
    // W + q - q^2/2 gives APGR (q - q^2/2) / q = 1 - q/2, and it recovers every gap at share
    // x (S - W) = x q.
    double w = root.get("weak_accuracy").asDouble();
    double q = 1 - w;
    assertThat(root.get("strong_accuracy").asDouble()).isEqualTo(1.0);
    assertThat(routers.get(2).get("apgr").asDouble()).isCloseTo(1 - q / 2, within(1e-12));
    assertThat(routers.get(2).get("cpt80").asDouble()).isCloseTo(0.8 * q, within(1e-12));
    // The words separate hard from easy prompts, so the learned router reaches the oracle.
    assertThat(routers.get(0).get("apgr").asDouble()).isCloseTo(1 - q / 2, within(1e-9));
    // The operating point is the validation threshold of least cost, applied to the test rows: a
    // test score can fall just on the other side of it, so allow a few rows (5 of 100) off.
    assertThat(routers.get(0).get("operating_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
    assertThat(routers.get(0).get("operating_strong_share").asDouble()).isCloseTo(q, within(0.05));
    assertThat(Files.readString(html)).contains("<h2>", "data:image/png;base64,", "APGR");
  }

  @Test
  void addSectionWritesHeadingTableAndChart() throws Exception {
    TaskSpec task = RouteLlm.task();
    Path file = dir.resolve("t.csv");
    DeferralTableWriter.write(table("t", 50, 4), task, file);
    DeferralTable t = DeferralTableReader.read(file, task);
    RoutingCurveCommand.Result r =
        RoutingCurveCommand.evaluate(
            task,
            t,
            null,
            List.<String>of(),
            List.<org.defer4j.core.policy.LearnedPolicy>of(),
            null);
    assertThat(r.routers())
        .extracting(RoutingCurveCommand.Router::name)
        .containsExactly("random", "oracle");
    HtmlReport html = new HtmlReport("t");
    RoutingCurveCommand.addSection(html, "Routing on t", r);
    assertThat(html.html()).contains("<h2>Routing on t</h2>", "<th>APGR</th>", "<img");
  }
}
