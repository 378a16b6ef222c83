package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.cli.CommandLineIT.Run;
import org.defer4j.core.online.FeedbackMode;
import org.defer4j.core.online.OnlineMethods;
import org.defer4j.core.online.OnlineRouter;
import org.defer4j.core.online.OnlineSettings;
import org.defer4j.core.online.OnlineState;
import org.defer4j.core.online.OnlineStream;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j online} on the bundled Melbourne stream (the L2D-SLDS paper's experiment). The
 * expected figures are the paper's code's, re-run with 5 seeds (data/timeseries/README.md): LinUCB
 * 6.0998 and shared-feature LinUCB 5.958 are deterministic there and here, so they must agree to
 * the printed digits (tolerance 5e-4); L2D-SLDS 5.6959 within 1 % (ours: 5.7250, see
 * docs/results.md); experts alone 5.730 / 5.725 / 7.490 / 7.609 / 7.291 over their available rounds
 * and the oracle 4.2119 to 5e-4.
 */
class OnlineCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path STREAM = ROOT.resolve("datasets/melbourne-stream.csv.gz");
  private static final Path TASK = ROOT.resolve("datasets/melbourne-stream.yaml");

  @TempDir Path dir;

  private static Run online(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("online", "--data", STREAM.toString(), "--task", TASK.toString(), "--quiet"));
    args.addAll(List.of(more));
    return CommandLineIT.run(args.toArray(new String[0]));
  }

  @Test
  void linUcbReproducesThePapersFigureAndWritesJsonTraceAndReport() throws Exception {
    Path json = dir.resolve("o.json");
    Path trace = dir.resolve("trace.csv");
    Path report = dir.resolve("o.html");
    Run r =
        online(
            "--method",
            "linucb",
            "--json",
            json.toString(),
            "--trace",
            trace.toString(),
            "--report",
            report.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("mean_cost 6.099").contains("oracle_mean_cost 4.2119");
    JsonNode j = JSON.readTree(json.toFile());
    assertThat(j.get("rounds").asInt()).isEqualTo(3646);
    assertThat(j.get("mean_cost").asDouble()).isCloseTo(6.0998, within(5e-4));
    assertThat(j.get("oracle_mean_cost").asDouble()).isCloseTo(4.2119, within(5e-4));
    double[] alone = {5.730, 5.725, 7.490, 7.609, 7.291};
    for (int k = 0; k < 5; k++) {
      assertThat(j.get("agents").get(k).get("alone_mean_cost").asDouble())
          .isCloseTo(alone[k], within(5e-4));
    }
    assertThat(j.get("agents").get(3).get("rounds_available").asInt()).isEqualTo(3646 - 1001);
    assertThat(j.get("settings").get("alpha").asText()).isEqualTo("5");
    List<String> lines = Files.readAllLines(trace);
    assertThat(lines).hasSize(3647);
    assertThat(lines.get(0)).isEqualTo("round,id,chosen,cost,oracle_cost,cumulative_regret");
    // expert3 is unavailable on rows 500..1500: never chosen there
    for (String line : lines.subList(500, 1501)) {
      assertThat(line.split(",")[2]).isNotEqualTo("expert3");
    }
    String html = Files.readString(report);
    assertThat(html)
        .contains("alt=\"cumulative regret\"")
        .contains("alt=\"chosen agent per round\"");
  }

  @Test
  void sharedLinUcbAndL2dSldsAgainstThePaper() throws Exception {
    Path json = dir.resolve("s.json");
    Run shared = online("--method", "shared-linucb", "--json", json.toString());
    assertThat(shared.exit()).as(shared.err()).isZero();
    assertThat(JSON.readTree(json.toFile()).get("mean_cost").asDouble())
        .isCloseTo(5.958, within(5e-4));
    // The README's command: L2D-SLDS never chooses expert2..4 on seed 0, and the report still
    // draws (agents never chosen have no marks).
    Path report = dir.resolve("slds.html");
    Run slds =
        online("--method", "l2d-slds", "--json", json.toString(), "--report", report.toString());
    assertThat(slds.exit()).as(slds.err()).isZero();
    double m = JSON.readTree(json.toFile()).get("mean_cost").asDouble();
    assertThat(m).isCloseTo(5.6959, within(0.01 * 5.6959));
    // and it beats every expert alone except the two best, which it matches or beats
    assertThat(m).isLessThan(5.7253 + 1e-3);
    assertThat(Files.readString(report)).contains("alt=\"chosen agent per round\"");
  }

  @Test
  void thompsonSamplingOverFiveSeedsAndTheStrictlyPartialVariant() throws Exception {
    // LinTS: the paper's 5.910 ± 0.024 (5 seeds of its code); ours 5.9087 ± 0.0538 over seeds
    // 0..4, so within 1 %. L2D-SLDS with init=none (no full-information warm-up) is pinned to our
    // own run, 6.0380 (docs/results.md), as a regression check.
    Path json = dir.resolve("ts.json");
    Run ts = online("--method", "lints", "--seeds", "5", "--json", json.toString());
    assertThat(ts.exit()).as(ts.err()).isZero();
    JsonNode j = JSON.readTree(json.toFile());
    assertThat(j.get("seeds")).hasSize(5);
    assertThat(j.get("mean_cost").asDouble()).isCloseTo(5.910, within(0.01 * 5.910));
    Run strict = online("--method", "l2d-slds", "--set", "init=none", "--json", json.toString());
    assertThat(strict.exit()).as(strict.err()).isZero();
    assertThat(JSON.readTree(json.toFile()).get("mean_cost").asDouble())
        .isCloseTo(6.0380, within(5e-4));
  }

  @Test
  void learnedStateIsWrittenAsJson() throws Exception {
    Path state = dir.resolve("state.json");
    Run r = online("--method", "l2d-slds", "--state", state.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(state.toFile());
    assertThat(j.get("method").asText()).isEqualTo("l2d-slds");
    assertThat(j.get("rounds").asInt()).isEqualTo(3646);
    assertThat(j.get("shared").get("w")).hasSize(2);
    assertThat(j.get("shared").get("g_cov.0")).hasSize(1);
    assertThat(j.get("agents").size()).isEqualTo(5);
    assertThat(j.get("agents").get("expert3").get("u_cov.1")).hasSize(64);
    // the noise variances are the empirical ones of rounds 1..730 (paper's code initialisation)
    assertThat(j.get("agents").get("expert1").get("noise").get(0).asDouble()).isBetween(1.0, 20.0);
    // the JSON reads back into an OnlineState that restores a fresh router to the same state
    OnlineState snapshot = JSON.readValue(state.toFile(), OnlineState.class);
    TaskSpec spec = TaskSpecIo.read(TASK);
    OnlineStream stream =
        OnlineStream.fromTable(DeferralTableReader.readStream(STREAM, spec), spec);
    OnlineRouter fresh =
        OnlineMethods.create("l2d-slds", OnlineSettings.defaults(), stream, FeedbackMode.BANDIT, 0);
    fresh.restore(snapshot);
    OnlineState back = fresh.state();
    assertThat(back.rounds()).isEqualTo(3646);
    assertThat(back.shared().get("w")).containsExactly(snapshot.shared().get("w"));
    assertThat(back.agents().get("expert2").get("u_cov.0"))
        .containsExactly(snapshot.agents().get("expert2").get("u_cov.0"));
  }

  @Test
  void badInputGivesOneClearLine() throws Exception {
    Run method = online("--method", "ucb1");
    assertThat(method.exit()).isEqualTo(1);
    assertThat(method.err().strip())
        .isEqualTo(
            "defer4j: unknown method 'ucb1'; expected one of l2d-slds, linucb, shared-linucb,"
                + " lints, online-l2d, random");
    Run key = online("--method", "linucb", "--set", "alhpa=3");
    assertThat(key.exit()).isEqualTo(1);
    assertThat(key.err()).startsWith("defer4j: unknown --set key 'alhpa' for method linucb");
    assertThat(key.err().strip().lines()).hasSize(1);
    Run feedback = online("--method", "linucb", "--feedback", "some");
    assertThat(feedback.err().strip())
        .isEqualTo("defer4j: unknown feedback mode 'some'; expected bandit or full");
    Path noExpert = dir.resolve("bad.csv");
    Files.writeString(noExpert, "time,t,x.a,m.expert0.t\n1,1,0,1\n2,2,0,2\n");
    Run missing =
        CommandLineIT.run(
            "online",
            "--data",
            noExpert.toString(),
            "--task",
            TASK.toString(),
            "--method",
            "random");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("expert1").contains(noExpert.getFileName().toString());
    assertThat(missing.err().strip().lines()).hasSize(1);
  }

  @Test
  void timeColumnOrdersTheRounds() throws Exception {
    Path task = dir.resolve("t.yaml");
    Files.writeString(task, "task: regression\nexperts: [a, b]\n");
    String header = "time,t,x.one,m.a.t,m.b.t\n";
    StringBuilder sorted = new StringBuilder(header);
    StringBuilder shuffled = new StringBuilder(header);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(String.format(java.util.Locale.ROOT, "%03d,0,1,%d,%d%n", i, i % 3, (i + 1) % 3));
    }
    rows.forEach(sorted::append);
    for (int i = 0; i < 50; i++) {
      shuffled.append(rows.get((i * 17) % 50));
    }
    Path a = dir.resolve("sorted.csv");
    Path b = dir.resolve("shuffled.csv");
    Files.writeString(a, sorted);
    Files.writeString(b, shuffled);
    Path ja = dir.resolve("a.json");
    Path jb = dir.resolve("b.json");
    for (Path[] p : new Path[][] {{a, ja}, {b, jb}}) {
      Run r =
          CommandLineIT.run(
              "online",
              "--data",
              p[0].toString(),
              "--task",
              task.toString(),
              "--method",
              "linucb",
              "--json",
              p[1].toString(),
              "--quiet");
      assertThat(r.exit()).as(r.err()).isZero();
    }
    assertThat(JSON.readTree(jb.toFile()).get("mean_cost").asDouble())
        .isEqualTo(JSON.readTree(ja.toFile()).get("mean_cost").asDouble());
  }
}
