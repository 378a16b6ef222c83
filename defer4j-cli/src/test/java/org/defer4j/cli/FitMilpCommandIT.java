package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.defer4j.cli.CommandLineIT.Run;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j fit-milp} end to end on a small sample of Mozannar et al.'s realizable problem:
 * proved optimal with zero training error, and the saved policy evaluates and routes like any
 * other; a task with two experts is refused with one line.
 */
class FitMilpCommandIT {
  @Test
  void solvesTheRealizableSampleAndThePolicyEvaluates(@TempDir Path dir) {
    LinearDeferralProblem p = LinearDeferralProblem.realizable(2, new SplittableRandom(3));
    Path train = dir.resolve("train.csv");
    Path task = dir.resolve("task.yaml");
    DeferralTableWriter.write(p.sample(40, new SplittableRandom(4)), p.task(), train);
    TaskSpecIo.write(p.task(), task);
    Path policy = dir.resolve("milp.json");
    Run r =
        CommandLineIT.run(
            "fit-milp",
            "--data",
            train.toString(),
            "--task",
            task.toString(),
            "--milp-time-limit",
            "20",
            "--out",
            policy.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("OPTIMAL (proved optimal)").contains("training: accuracy=100.00%");
    Run e =
        CommandLineIT.run(
            "evaluate",
            "--data",
            train.toString(),
            "--task",
            task.toString(),
            "--policy",
            policy.toString());
    assertThat(e.exit()).as(e.err()).isZero();
    assertThat(e.out()).contains("accuracy=100.00%");
  }

  @Test
  void refusesSeveralExperts(@TempDir Path dir) {
    Path data = dir.resolve("t.csv");
    Path task = dir.resolve("t.yaml");
    org.defer4j.core.task.TaskSpec spec =
        org.defer4j.core.task.TaskSpec.classification(
            java.util.List.of("a", "b"),
            null,
            java.util.List.of(
                org.defer4j.core.agent.Agent.expert("e1", 0.0),
                org.defer4j.core.agent.Agent.expert("e2", 0.0)));
    TaskSpecIo.write(spec, task);
    try {
      java.nio.file.Files.writeString(data, "x.0,y,m.e1.y,m.e2.y\n0.5,a,a,b\n-0.5,b,b,b\n");
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    Run r =
        CommandLineIT.run(
            "fit-milp",
            "--data",
            data.toString(),
            "--task",
            task.toString(),
            "--out",
            dir.resolve("p.json").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("defer4j: the MILP defers to one expert; the task has 2");
  }
}
