package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.defer4j.cli.CommandLineIT.Run;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.server.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production loop end to end: {@code serve --replay} sends the bundled RouteLLM GSM8K test
 * table through the HTTP API (decisions, then outcomes), {@code export} writes the store as a
 * deferral table, and {@code calibrate} and {@code train} read that export. The export has one row
 * per decision with its decision id, and its costs are the replayed table's.
 */
class ServeExportIT {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  @TempDir Path dir;

  @Test
  void replayExportCalibrateTrain() throws Exception {
    Path data = dir.resolve("serve-data");
    Path test = DATA.resolve("routellm-gsm8k-test.parquet");
    Run s =
        CommandLineIT.run(
            "serve",
            "--data-dir",
            data.toString(),
            "--port",
            "0",
            "--replay",
            test.toString(),
            "--exit-after",
            "0");
    assertThat(s.exit()).as(s.err()).isZero();
    assertThat(s.out())
        .contains("defer4j router listening on http://localhost:")
        .contains("first admin key (shown once")
        .contains("curl -s")
        .contains("replayed 262 cases")
        .contains("262 outcomes stored")
        .contains("stopped");
    // Restarting on the same data directory prints no new key.
    Run again =
        CommandLineIT.run(
            "serve", "--data-dir", data.toString(), "--port", "0", "--exit-after", "0");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).doesNotContain("first admin key");

    Path export = dir.resolve("production.csv");
    Run e = CommandLineIT.run("export", "--data-dir", data.toString(), "--out", export.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    assertThat(e.out()).contains("exported 262 rows");
    TaskSpec task = TaskSpecIo.read(DATA.resolve("routellm-gsm8k.yaml"));
    DeferralTable exported = DeferralTableReader.read(export, task);
    DeferralTable source = DeferralTableReader.read(test, task);
    assertThat(exported.rows()).isEqualTo(262);
    Map<String, Integer> byPrompt = new HashMap<>();
    String[] src = source.text().get("prompt");
    for (int i = 0; i < src.length; i++) {
      byPrompt.put(src[i], i);
    }
    String[] ex = exported.text().get("prompt");
    for (int i = 0; i < exported.rows(); i++) {
      assertThat(exported.id(i)).hasSize(36);
      Integer j = byPrompt.get(ex[i]);
      assertThat(j).as(ex[i]).isNotNull();
      assertThat(exported.agent("gpt4").cost(i)).isEqualTo(source.agent("gpt4").cost(j));
      assertThat(exported.agent("mixtral").cost(i)).isEqualTo(source.agent("mixtral").cost(j));
      assertThat(exported.feature(i, 0)).isEqualTo(source.feature(j, 0));
    }
    // The demo policy decides the exported rows as it decided the replayed ones.
    LearnedPolicy demo = PolicyArtifact.fromBytes(Router.demoPolicyBytes(), "demo");
    Decisions a = demo.decide(exported);
    int gpt4 = 0;
    for (int i = 0; i < a.rows(); i++) {
      gpt4 += a.agent(i);
    }
    assertThat(s.out()).contains("gpt4 " + gpt4 + " (");

    Path demoFile = dir.resolve("demo.json");
    Files.write(demoFile, Router.demoPolicyBytes());
    Run c =
        CommandLineIT.run(
            "calibrate",
            "--policy",
            demoFile.toString(),
            "--val",
            export.toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--max-share",
            "gpt4=0.3",
            "--out",
            dir.resolve("demo-30.json").toString());
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).contains("on 262 validation rows");
    Run t =
        CommandLineIT.run(
            "train",
            "--data",
            export.toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--method",
            "2s-comp:1",
            "--text-dim",
            "64",
            "--epochs",
            "2",
            "--quiet",
            "--out",
            dir.resolve("next.json").toString());
    assertThat(t.exit()).as(t.err()).isZero();
    Run all =
        CommandLineIT.run(
            "export",
            "--data-dir",
            data.toString(),
            "--all",
            "--out",
            dir.resolve("all.parquet").toString());
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(
            CommandLineIT.run(
                    "export", "--data-dir", dir.resolve("nothing").toString(), "--out", "x.csv")
                .err())
        .contains("no router store here");
  }

  /** The bundled demo policy is what the documented commands make from the bundled tables. */
  @Test
  void theDemoPolicyIsReproducible() throws Exception {
    Path p = dir.resolve("gsm8k.json");
    Run t =
        CommandLineIT.run(
            "train",
            "--data",
            DATA.resolve("routellm-gsm8k-train.parquet").toString(),
            "--val",
            DATA.resolve("routellm-gsm8k-val.parquet").toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--method",
            "2s-comp:1",
            "--text-dim",
            "256",
            "--quiet",
            "--out",
            p.toString());
    assertThat(t.exit()).as(t.err()).isZero();
    Path q = dir.resolve("gsm8k-50.json");
    Run c =
        CommandLineIT.run(
            "calibrate",
            "--policy",
            p.toString(),
            "--val",
            DATA.resolve("routellm-gsm8k-val.parquet").toString(),
            "--task",
            DATA.resolve("routellm-gsm8k.yaml").toString(),
            "--max-share",
            "gpt4=0.5",
            "--pick",
            "fill",
            "--out",
            q.toString());
    assertThat(c.exit()).as(c.err()).isZero();
    LearnedPolicy made = PolicyArtifact.load(q);
    LearnedPolicy bundled = PolicyArtifact.fromBytes(Router.demoPolicyBytes(), "demo");
    assertThat(made.rule().spec()).isEqualTo(bundled.rule().spec());
    DeferralTable cases =
        DeferralTableReader.read(DATA.resolve("routellm-gsm8k-test.parquet"), bundled.task());
    assertThat(made.agentScores(cases)).containsExactly(bundled.agentScores(cases));
  }
}
