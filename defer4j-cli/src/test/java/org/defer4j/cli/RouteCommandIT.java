package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.defer4j.cli.CommandLineIT.Run;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j route} end to end on the bundled HateSpeech (one-stage) and RouteLLM MMLU
 * (two-stage, raw prompt text featurised by the policy) test tables, with every outcome column
 * removed: route writes exactly the decisions behind {@code evaluate} on the labelled table; the
 * same cases in another column order give the same file; a missing feature is refused by name; a
 * case never goes to an agent that {@code avail.*} or {@code --available} rules out.
 */
class RouteCommandIT {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  @TempDir static Path dir;
  private static Path hatePolicy;
  private static Path mmluPolicy;

  @BeforeAll
  static void train() {
    hatePolicy = dir.resolve("ova.json");
    CommandLineIT.trainHateSpeech("ova", hatePolicy, "--lr", "0.01", "--epochs", "4");
    mmluPolicy = dir.resolve("router.json");
    Run m =
        CommandLineIT.run(
            "train",
            "--data",
            DATA.resolve("routellm-mmlu-train.parquet").toString(),
            "--val",
            DATA.resolve("routellm-mmlu-val.parquet").toString(),
            "--task",
            DATA.resolve("routellm-mmlu.yaml").toString(),
            "--method",
            "2s-comp:1",
            "--epochs",
            "3",
            "--text-dim",
            "256",
            "--quiet",
            "--out",
            mmluPolicy.toString());
    assertThat(m.exit()).as(m.err()).isZero();
  }

  /**
   * The test table as a cases table: features (in the given order), ids, text and availability; no
   * truth, no agent answers, no costs.
   */
  static Path cases(
      String name, String table, String task, boolean reverse, String dropFeature, Path out)
      throws IOException {
    TaskSpec spec = TaskSpecIo.read(DATA.resolve(task));
    DeferralTable t = DeferralTableReader.read(DATA.resolve(table), spec);
    List<String> names = new ArrayList<>(t.featureNames());
    if (reverse) {
      Collections.reverse(names);
    }
    names.remove(dropFeature);
    int n = t.rows();
    double[] block = new double[n * names.size()];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < names.size(); j++) {
        block[i * names.size() + j] = t.feature(i, t.featureNames().indexOf(names.get(j)));
      }
    }
    DeferralTable.Builder b = DeferralTable.builder(name, n).features(names, block);
    if (t.hasIds()) {
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        ids[i] = t.id(i);
      }
      b.ids(ids);
    }
    for (Map.Entry<String, String[]> e : t.text().entrySet()) {
      b.text(e.getKey(), e.getValue());
    }
    Path file = out.resolve(name + ".parquet");
    DeferralTableWriter.writeCases(b.build(), spec, file);
    return file;
  }

  private static Run route(Path policy, Path cases, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "route",
                "--policy",
                policy.toString(),
                "--data",
                cases.toString(),
                "--out",
                out.toString(),
                "--quiet"));
    args.addAll(List.of(more));
    return CommandLineIT.run(args.toArray(String[]::new));
  }

  private static List<String> evaluateDecisions(Path policy, String table, String task, Path out)
      throws IOException {
    Run e =
        CommandLineIT.run(
            "evaluate",
            "--data",
            DATA.resolve(table).toString(),
            "--task",
            DATA.resolve(task).toString(),
            "--policy",
            policy.toString(),
            "--decisions",
            out.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    return Files.readAllLines(out);
  }

  @Test
  void routeWritesTheDecisionsBehindEvaluateOneStage(@TempDir Path tmp) throws IOException {
    Path cases =
        cases("hate-cases", "hatespeech-test.parquet", "hatespeech.yaml", false, null, tmp);
    Path out = tmp.resolve("routed.csv");
    Run r = route(hatePolicy, cases, out);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("rows/s").contains("allocation: model");
    List<String> routed = Files.readAllLines(out);
    List<String> evaluated =
        evaluateDecisions(
            hatePolicy, "hatespeech-test.parquet", "hatespeech.yaml", tmp.resolve("e.csv"));
    assertThat(routed).hasSize(4_956 + 1).isEqualTo(evaluated);
    assertThat(routed.get(0))
        .isEqualTo(
            "id,agent,fallback,score.model,score.annotator,expected_cost.model,"
                + "expected_cost.annotator,prediction");
    // Both agents receive cases: the policy really routes.
    assertThat(routed.stream().skip(1).filter(l -> l.contains(",annotator,")).count())
        .isBetween(50L, 4_900L);

    Path reversed =
        cases("hate-rev", "hatespeech-test.parquet", "hatespeech.yaml", true, null, tmp);
    Path out2 = tmp.resolve("routed-rev.csv");
    assertThat(route(hatePolicy, reversed, out2).exit()).isZero();
    assertThat(Files.readAllLines(out2)).isEqualTo(routed);
  }

  @Test
  void routeWritesTheDecisionsBehindEvaluateTwoStageWithText(@TempDir Path tmp) throws IOException {
    Path cases =
        cases("mmlu-cases", "routellm-mmlu-test.parquet", "routellm-mmlu.yaml", true, null, tmp);
    Path out = tmp.resolve("routed.parquet");
    Run r = route(mmluPolicy, cases, out);
    assertThat(r.exit()).as(r.err()).isZero();
    Path csv = tmp.resolve("routed.csv");
    assertThat(route(mmluPolicy, cases, csv).exit()).isZero();
    List<String> evaluated =
        evaluateDecisions(
            mmluPolicy, "routellm-mmlu-test.parquet", "routellm-mmlu.yaml", tmp.resolve("e.csv"));
    assertThat(Files.readAllLines(csv)).isEqualTo(evaluated);
    assertThat(Files.size(out)).isPositive();
  }

  @Test
  void aMissingFeatureIsRefusedByName(@TempDir Path tmp) throws IOException {
    TaskSpec spec = TaskSpecIo.read(DATA.resolve("hatespeech.yaml"));
    String dropped =
        DeferralTableReader.read(DATA.resolve("hatespeech-test.parquet"), spec)
            .featureNames()
            .get(3);
    Path cases =
        cases("hate-drop", "hatespeech-test.parquet", "hatespeech.yaml", false, dropped, tmp);
    Run r = route(hatePolicy, cases, tmp.resolve("d.csv"));
    assertThat(r.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("x." + dropped).doesNotContain("Exception");
  }

  @Test
  void availabilityIsHonoured(@TempDir Path tmp) throws IOException {
    Path cases =
        cases("hate-cases", "hatespeech-test.parquet", "hatespeech.yaml", false, null, tmp);
    // avail.annotator = 0 on even rows: those cases must stay with the model.
    TaskSpec spec = TaskSpecIo.read(DATA.resolve("hatespeech.yaml"));
    DeferralTable c = DeferralTableReader.readCases(cases, spec);
    boolean[] annotator = new boolean[c.rows()];
    for (int i = 0; i < annotator.length; i++) {
      annotator[i] = i % 2 == 1;
    }
    DeferralTable.Builder b =
        DeferralTable.builder("hate-avail", c.rows()).features(c.featureNames(), c.featureBlock());
    b.availability("annotator", annotator);
    Path withAvail = tmp.resolve("avail.csv");
    DeferralTableWriter.writeCases(b.build(), spec, withAvail);
    Path out = tmp.resolve("d.csv");
    assertThat(route(hatePolicy, withAvail, out).exit()).isZero();
    List<String> rows = Files.readAllLines(out);
    int deferred = 0;
    for (int i = 1; i < rows.size(); i++) {
      String agent = rows.get(i).split(",")[1];
      if ((i - 1) % 2 == 0) {
        assertThat(agent).as("row %d", i).isEqualTo("model");
      }
      deferred += agent.equals("annotator") ? 1 : 0;
    }
    assertThat(deferred).isPositive();

    Path onlyModel = tmp.resolve("m.csv");
    Run r = route(hatePolicy, cases, onlyModel, "--available", "model");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAllLines(onlyModel).stream().skip(1))
        .allMatch(l -> l.split(",")[1].equals("model"));
    Path onlyExpert = tmp.resolve("a.csv");
    assertThat(route(hatePolicy, cases, onlyExpert, "--available", "annotator").exit()).isZero();
    assertThat(Files.readAllLines(onlyExpert).stream().skip(1))
        .allMatch(l -> l.split(",")[1].equals("annotator"));

    Run unknown = route(hatePolicy, cases, tmp.resolve("u.csv"), "--available", "bob");
    assertThat(unknown.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(unknown.err()).contains("'bob' is not an agent");
  }
}
