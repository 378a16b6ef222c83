package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.defer4j.cli.CommandLineIT.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety commands end to end on the bundled RouteLLM MMLU (two-stage: Mixtral routed to GPT-4)
 * and HateSpeech (one-stage) tables: {@code train --method sard}, {@code attack} with its JSON and
 * report, {@code evaluate --conformal}, and their one-line errors. Short trainings (2–3 epochs, 256
 * text features): the figures of docs/results.md come from full runs.
 */
class SafetyIT {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path plain;
  private static Path sard;

  private static Run train(String method, Path out, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "train",
                "--data",
                DATA.resolve("routellm-mmlu-train.parquet").toString(),
                "--val",
                DATA.resolve("routellm-mmlu-val.parquet").toString(),
                "--task",
                DATA.resolve("routellm-mmlu.yaml").toString(),
                "--method",
                method,
                "--epochs",
                "2",
                "--text-dim",
                "256",
                "--quiet",
                "--out",
                out.toString()));
    args.addAll(java.util.List.of(extra));
    return CommandLineIT.run(args.toArray(String[]::new));
  }

  @BeforeAll
  static void trainBoth() {
    plain = dir.resolve("router.json");
    sard = dir.resolve("router-sard.json");
    Run a = train("2s-comp:1", plain);
    assertThat(a.exit()).as(a.err()).isZero();
    Run b = train("sard", sard, "--sard-radius", "0.05", "--sard-steps", "2", "--sard-nu", "0.1");
    assertThat(b.exit()).as(b.err()).isZero();
    assertThat(b.out()).contains("training sard");
  }

  /** Violations of docs/evaluation.schema.json, conformal section included. */
  private static java.util.List<String> schemaViolations(Path json) throws IOException {
    JsonNode schema = JSON.readTree(ROOT.resolve("docs/evaluation.schema.json").toFile());
    return EvaluationSchemaIT.violations(schema, schema, JSON.readTree(json.toFile()), "$");
  }

  private static Run attack(String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "attack",
                "--data",
                DATA.resolve("routellm-mmlu-test.parquet").toString(),
                "--task",
                DATA.resolve("routellm-mmlu.yaml").toString(),
                "--steps",
                "5"));
    args.addAll(java.util.List.of(extra));
    return CommandLineIT.run(args.toArray(String[]::new));
  }

  @Test
  void attackReportsCleanAndAttackedCostPerPolicyAndRadius() throws IOException {
    Path json = dir.resolve("attack.json");
    Path html = dir.resolve("attack.html");
    Run r =
        attack(
            "--policy",
            "undefended=" + plain,
            "--policy",
            "sard=" + sard,
            "--radius",
            "0,0.05",
            "--norm",
            "linf",
            "--target",
            "any",
            "--json",
            json.toString(),
            "--report",
            html.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(json.toFile());
    assertThat(root.path("schema").asText()).isEqualTo("defer4j-attack");
    JsonNode results = root.path("results");
    assertThat(results).hasSize(4);
    for (JsonNode e : results) {
      double clean = e.path("clean_cost").asDouble();
      double attacked = e.path("attacked_cost").asDouble();
      // Untargeted successes only move cases to costlier agents, so the cost never falls.
      assertThat(attacked).isGreaterThanOrEqualTo(clean - 1e-12);
      assertThat(e.path("success_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(e.path("max_perturbation").asDouble())
          .isLessThanOrEqualTo(e.path("radius").asDouble() + 1e-12);
      if (e.path("radius").asDouble() == 0) {
        assertThat(attacked).isEqualTo(clean);
        assertThat(e.path("success_rate").asDouble()).isZero();
      }
    }
    assertThat(results.get(2).path("method").asText()).isEqualTo("sard-r:2s-comp:1");
    assertThat(results.get(0).path("expensive_expert").asText()).isEqualTo("gpt4");
    assertThat(Files.readString(html)).contains("Clean and attacked cost").contains("sard");
  }

  @Test
  void targetedAttackPushesWorkToTheNamedExpert() throws IOException {
    Path json = dir.resolve("targeted.json");
    Run r =
        attack(
            "--policy", plain.toString(),
            "--radius", "0.05",
            "--norm", "l2",
            "--target", "gpt4",
            "--json", json.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode e = JSON.readTree(json.toFile()).path("results").get(0);
    assertThat(e.path("expensive_share_attacked").asDouble())
        .isGreaterThanOrEqualTo(e.path("expensive_share_clean").asDouble());
    assertThat(e.path("allocation_shift").asDouble())
        .isCloseTo(e.path("success_rate").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void badInputGivesOneLineErrors() {
    String p = plain.toString();
    Run target = attack("--policy", p, "--radius", "0.1", "--target", "nobody");
    assertThat(target.exit()).isNotZero();
    assertThat(target.err().strip())
        .startsWith("defer4j: --target 'nobody' is not an agent of the task")
        .doesNotContain("\n");
    Run norm = attack("--policy", p, "--radius", "0.1", "--norm", "l3");
    assertThat(norm.err().strip()).isEqualTo("defer4j: norm 'l3' is not linf or l2");
    Run radius = attack("--policy", p, "--radius", "-1");
    assertThat(radius.exit()).isNotZero();
    assertThat(radius.err()).contains("--radius must be a finite number >= 0, got -1");
    Run conformal =
        CommandLineIT.run(
            "evaluate",
            "--data",
            DATA.resolve("routellm-mmlu-test.parquet").toString(),
            "--task",
            DATA.resolve("routellm-mmlu.yaml").toString(),
            "--policy",
            p,
            "--conformal",
            "1.5");
    assertThat(conformal.exit()).isNotZero();
    assertThat(conformal.err()).contains("--conformal must be in (0, ");
    Run weight = train("sard", dir.resolve("x.json"), "--sard-weight", "tau");
    assertThat(weight.err().strip()).isEqualTo("defer4j: SARD weighting 'tau' is not unit or cost");
  }

  /**
   * Split-conformal coverage on the HateSpeech test table (one-stage one-vs-all policy, one
   * annotator): over 50 random halves the mean coverage is at least 1 − α less three standard
   * errors, and abstaining on ambiguous sets raises the accuracy on the cases answered.
   */
  @Test
  void conformalSetsCoverTheExpertsCorrectness() throws IOException {
    Path ova = dir.resolve("ova.json");
    CommandLineIT.trainHateSpeech("ova", ova, "--lr", "0.01", "--epochs", "3", "--text-dim", "256");
    Path json = dir.resolve("conformal.json");
    Path html = dir.resolve("conformal.html");
    Run r =
        CommandLineIT.run(
            "evaluate",
            "--data",
            DATA.resolve("hatespeech-test.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech.yaml").toString(),
            "--policy",
            "ova=" + ova,
            "--conformal",
            "0.1,0.2",
            "--conformal-splits",
            "50",
            "--json",
            json.toString(),
            "--report",
            html.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("conformal 1-alpha=90.00%");
    assertThat(schemaViolations(json)).isEmpty();
    JsonNode c = JSON.readTree(json.toFile()).path("conformal");
    assertThat(c.path("splits").asInt()).isEqualTo(50);
    assertThat(c.path("results")).hasSize(2);
    for (JsonNode e : c.path("results")) {
      double alpha = e.path("alpha").asDouble();
      double se = e.path("coverage_sd").asDouble() / Math.sqrt(50);
      assertThat(e.path("coverage").asDouble()).isGreaterThanOrEqualTo(1 - alpha - 3 * se);
      assertThat(e.path("mean_set_size").asDouble()).isBetween(1.0, 2.0);
      assertThat(e.path("score").asText()).isEqualTo("calibrated P(expert right)");
      assertThat(e.path("abstention_accuracy").asDouble())
          .isGreaterThanOrEqualTo(e.path("policy_accuracy").asDouble());
    }
    assertThat(Files.readString(html)).contains("Conformal deferral sets");
  }

  /**
   * With three experts {@code evaluate --conformal} builds conformal expert ensembles on the cases
   * the policy defers (Verma et al.): a synthetic one-stage problem ({@code
   * DiscreteDeferralProblem}: 8 one-hot cells, 3 classes, 3 experts of accuracy U[0.5, 0.95]),
   * one-vs-all policy; over 30 random 80 / 20 splits the coverage of every correct expert is at
   * least 1 − α less three standard errors and the risk-control FNR at most α + 0.03.
   */
  @Test
  void severalExpertsGetConformalEnsembles() throws IOException {
    org.defer4j.core.synthetic.DiscreteDeferralProblem p =
        org.defer4j.core.synthetic.DiscreteDeferralProblem.random(
            8, 3, 3, 1.0, 0.5, 0.95, 0.0, new java.util.SplittableRandom(2));
    Path task = dir.resolve("three.yaml");
    org.defer4j.io.TaskSpecIo.write(p.task(), task);
    Path train = dir.resolve("three-train.csv");
    Path test = dir.resolve("three-test.csv");
    org.defer4j.io.DeferralTableWriter.write(
        p.sample(3000, new java.util.SplittableRandom(3)), p.task(), train);
    org.defer4j.io.DeferralTableWriter.write(
        p.sample(3000, new java.util.SplittableRandom(4)), p.task(), test);
    Path policy = dir.resolve("three-ova.json");
    Run t =
        CommandLineIT.run(
            "train",
            "--data",
            train.toString(),
            "--task",
            task.toString(),
            "--method",
            "ova",
            "--epochs",
            "5",
            "--lr",
            "0.01",
            "--quiet",
            "--out",
            policy.toString());
    assertThat(t.exit()).as(t.err()).isZero();
    Path json = dir.resolve("three.json");
    Run r =
        CommandLineIT.run(
            "evaluate",
            "--data",
            test.toString(),
            "--task",
            task.toString(),
            "--policy",
            "ova=" + policy,
            "--conformal",
            "0.1",
            "--conformal-splits",
            "30",
            "--json",
            json.toString(),
            "--report",
            dir.resolve("three.html").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ensemble 1-alpha=90.00%");
    assertThat(schemaViolations(json)).isEmpty();
    JsonNode e = JSON.readTree(json.toFile()).path("conformal").path("ensembles").get(0);
    double se = e.path("coverage_sd").asDouble() / Math.sqrt(30);
    assertThat(e.path("coverage").asDouble()).isGreaterThanOrEqualTo(0.9 - 3 * se);
    assertThat(e.path("risk_control_fnr").asDouble()).isLessThanOrEqualTo(0.1 + 0.03);
    assertThat(e.path("mean_set_size").asDouble()).isBetween(1.0, 3.0);
  }
}
