package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.FairDeferralRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --method pl2d --workload}, {@code train --expert-penalty}, {@code postprocess} and
 * the per-group lines of {@code evaluate}, end to end on a small table built to be unfair (the
 * expert is right 95 % of the time in group a, 70 % in b; half of group b's answers are missing).
 */
class ConstraintCommandsTest {
  private static final String YAML =
      "task: classification\nclasses: [\"0\", \"1\"]\nexperts:\n  - name: e\n";

  private static DeferralTable table(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * 2];
    int[] y = new int[n];
    int[] e = new int[n];
    String[] g = new String[n];
    for (int i = 0; i < n; i++) {
      double v = 2 * rng.nextDouble() - 1;
      boolean a = rng.nextBoolean();
      x[i * 2] = v;
      x[i * 2 + 1] = a ? 1 : 0;
      int clean = v > 0 ? 1 : 0;
      y[i] = Math.abs(v) < 0.4 && rng.nextDouble() < 0.3 ? 1 - clean : clean;
      e[i] = rng.nextDouble() < (a ? 0.95 : 0.7) ? y[i] : 1 - y[i];
      if (!a && rng.nextBoolean()) {
        e[i] = AgentColumns.UNOBSERVED;
      }
      g[i] = a ? "a" : "b";
    }
    return DeferralTable.builder("t", n)
        .features(List.of("x.v", "x.a"), x)
        .labels(y)
        .groups(g)
        .agent("e", new AgentColumns(n, e, null, null, 0, null))
        .build();
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Defer4jCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void workloadPenaltyAndFairnessCommands(@TempDir Path dir) throws Exception {
    Path task = dir.resolve("task.yaml");
    Files.writeString(task, YAML);
    TaskSpec spec = TaskSpecIo.read(task);
    String train = dir.resolve("train.csv").toString();
    String val = dir.resolve("val.csv").toString();
    String test = dir.resolve("test.csv").toString();
    DeferralTableWriter.write(table(1500, 1), spec, Path.of(train));
    DeferralTableWriter.write(table(1000, 2), spec, Path.of(val));
    DeferralTableWriter.write(table(1000, 3), spec, Path.of(test));
    String t = task.toString();

    String pl2d = dir.resolve("pl2d.json").toString();
    run(
        "train",
        "--data",
        train,
        "--val",
        val,
        "--task",
        t,
        "--method",
        "pl2d",
        "--workload",
        "e=0:0.2",
        "--em-rounds",
        "3",
        "--epochs",
        "3",
        "--lr",
        "0.05",
        "--out",
        pl2d,
        "--quiet");
    LearnedPolicy em = PolicyArtifact.load(Path.of(pl2d));
    // The last E-step's posteriors meet the bound exactly (to the projection's tolerance).
    assertThat(em.provenance().metrics().get("train_posterior_share.e"))
        .isLessThanOrEqualTo(0.2 + 1e-9);
    assertThat(em.provenance().options()).containsEntry("missing_answers", "masked");

    String ova = dir.resolve("ova.json").toString();
    run(
        "train",
        "--data",
        train,
        "--val",
        val,
        "--task",
        t,
        "--method",
        "ova",
        "--optimizer",
        "lbfgs",
        "--epochs",
        "60",
        "--out",
        ova,
        "--quiet");
    String fair = dir.resolve("fair.json").toString();
    String pp =
        run(
            "postprocess",
            "--policy",
            ova,
            "--val",
            val,
            "--task",
            t,
            "--fairness",
            "dp",
            "--tolerance",
            "0.03",
            "--budget",
            "0.4",
            "--test",
            test,
            "--out",
            fair);
    assertThat(pp).contains("validation, d-GNP").contains("test, d-GNP");
    assertThat(PolicyArtifact.load(Path.of(fair)).rule()).isInstanceOf(FairDeferralRule.class);
    String ev = run("evaluate", "--data", test, "--task", t, "--policy", fair);
    assertThat(ev).contains("group a").contains("group b").contains("group gaps (max - min)");

    String pen = dir.resolve("pen.json").toString();
    run(
        "train",
        "--data",
        train,
        "--task",
        t,
        "--method",
        "ce",
        "--expert-penalty",
        "0.5",
        "--epochs",
        "5",
        "--out",
        pen,
        "--quiet");
    assertThat(PolicyArtifact.load(Path.of(pen)).provenance().method())
        .isEqualTo("expert-penalty:ce");
  }
}
