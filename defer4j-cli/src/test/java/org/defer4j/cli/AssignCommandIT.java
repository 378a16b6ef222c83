package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.cli.CommandLineIT.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j assign} end to end on the bundled HateSpeech annotators test table (4,956 cases,
 * the model and three annotators): the written assignment never exceeds a capacity, exact
 * capacities are met exactly, the optimum's expected cost is no worse than greedy's, and unknown
 * agents and infeasible capacities fail with one line.
 */
class AssignCommandIT {
  private static final Path DATA =
      Path.of(System.getProperty("defer4j.root", ".")).resolve("datasets");

  @TempDir static Path dir;
  private static Path policy;

  @BeforeAll
  static void train() {
    policy = dir.resolve("ova.json");
    Run t =
        CommandLineIT.run(
            "train",
            "--data",
            DATA.resolve("hatespeech-annotators-train.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech-annotators.yaml").toString(),
            "--method",
            "ova",
            "--epochs",
            "2",
            "--quiet",
            "--out",
            policy.toString());
    assertThat(t.exit()).as(t.err()).isZero();
  }

  private static Run assign(Path out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "assign",
                "--policy",
                policy.toString(),
                "--data",
                DATA.resolve("hatespeech-annotators-test.parquet").toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return CommandLineIT.run(args.toArray(String[]::new));
  }

  private static Map<String, Integer> loads(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("id,agent,expected_cost");
    Map<String, Integer> load = new HashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      load.merge(l.split(",")[1], 1, Integer::sum);
    }
    return load;
  }

  @Test
  void capacitiesHoldAndTheOptimumBeatsGreedy() throws IOException {
    Path opt = dir.resolve("opt.csv");
    Path json = dir.resolve("opt.json");
    Run r =
        assign(
            opt,
            "--capacity",
            "annotator1=200",
            "--capacity",
            "annotator2=150",
            "--task",
            DATA.resolve("hatespeech-annotators.yaml").toString(),
            "--json",
            json.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("the policy's expected costs (one-vs-all head)")
        .contains("realised cost per case: ortools-min-cost-flow");
    Map<String, Integer> load = loads(opt);
    assertThat(load.getOrDefault("annotator1", 0)).isLessThanOrEqualTo(200);
    assertThat(load.getOrDefault("annotator2", 0)).isLessThanOrEqualTo(150);
    assertThat(load.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4956);
    double optimal =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(json.toFile())
            .get("totalExpectedCost")
            .asDouble();

    Path exact = dir.resolve("exact.csv");
    Run e =
        assign(
            exact,
            "--capacity",
            "annotator1=200",
            "--capacity",
            "annotator2=150",
            "--capacity",
            "annotator3=100",
            "--mode",
            "exact",
            "--method",
            "greedy",
            "--json",
            json.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    assertThat(loads(exact))
        .containsEntry("annotator1", 200)
        .containsEntry("annotator2", 150)
        .containsEntry("annotator3", 100);
    double greedy =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(json.toFile())
            .get("totalExpectedCost")
            .asDouble();
    assertThat(optimal).isLessThanOrEqualTo(greedy + 1e-9);
  }

  private static void assertOneLine(Run r, int exit, String line) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err().strip()).isEqualTo(line);
  }

  @Test
  void unknownAgentsAndInfeasibleCapacitiesFailWithOneLine() {
    Path out = dir.resolve("bad.csv");
    assertOneLine(
        assign(out, "--capacity", "bob=3"),
        1,
        "defer4j: --capacity: unknown agent 'bob'; the policy's agents are [model, annotator1,"
            + " annotator2, annotator3]");
    assertOneLine(
        assign(
            out,
            "--capacity",
            "model=10",
            "--capacity",
            "annotator1=10",
            "--capacity",
            "annotator2=10",
            "--capacity",
            "annotator3=10"),
        1,
        "defer4j: infeasible: the capacities sum to 40 but there are 4956 cases");
  }
}
