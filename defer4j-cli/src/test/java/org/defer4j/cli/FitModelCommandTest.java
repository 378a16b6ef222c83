package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code defer4j fit-model}: stage one writes tables with the frozen model's columns. */
class FitModelCommandTest {
  private static final String YAML =
      "task: multitask\n"
          + "classes: [alive, dead]\n"
          + "model: mh\n"
          + "experts:\n"
          + "  - name: doc\n"
          + "    fee: 0.1\n"
          + "cost:\n"
          + "  classification: 1\n"
          + "  regression: 1\n"
          + "  regression_loss: smooth_l1\n";

  /** y = 1[x0 > 0], t = 2 + x1; the expert copies the truth. */
  private static DeferralTable table(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] x = new double[2 * n];
    int[] y = new int[n];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = rnd.nextDouble() - 0.5;
      x[2 * i + 1] = rnd.nextDouble() - 0.5;
      y[i] = x[2 * i] > 0 ? 1 : 0;
      t[i] = 2 + x[2 * i + 1];
    }
    return DeferralTable.builder("t", n)
        .features(List.of("a", "b"), x)
        .labels(y)
        .targets(t)
        .agent("doc", new AgentColumns(n, y.clone(), t.clone(), null, 0, null))
        .build();
  }

  /**
   * The written tables carry m.mh.y, m.mh.t and m.mh.p.*, read back with the full task (which
   * requires the model's columns); on this separable problem the model's training accuracy is above
   * 90 % (Bayes: 100 %).
   */
  @Test
  void writesTheFrozenModelColumns(@TempDir Path dir) throws Exception {
    Path task = dir.resolve("task.yaml");
    Files.writeString(task, YAML);
    TaskSpec full = TaskSpecIo.read(task);
    TaskSpec input =
        new TaskSpec(full.kind(), full.classes(), null, full.experts(), full.cost(), null);
    DeferralTableWriter.write(table(400, 1), input, dir.resolve("train.csv"));
    DeferralTableWriter.write(table(100, 2), input, dir.resolve("val.csv"));
    DeferralTableWriter.write(table(50, 3), input, dir.resolve("test.csv"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Defer4jCommand.execute(
            new String[] {
              "fit-model",
              "--data",
              dir.resolve("train.csv").toString(),
              "--val",
              dir.resolve("val.csv").toString(),
              "--task",
              task.toString(),
              "--model",
              "mlp:16",
              "--epochs",
              "40",
              "--lr",
              "0.01",
              "--out-data",
              dir.resolve("train-m.csv").toString(),
              "--apply",
              dir.resolve("test.csv").toString(),
              "--apply-out",
              dir.resolve("test-m.parquet").toString()
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("fitting mh (multi_head").contains("accuracy");
    DeferralTable train = DeferralTableReader.read(dir.resolve("train-m.csv"), full);
    AgentColumns mh = train.agent("mh");
    assertThat(mh.hasPredictedClass()).isTrue();
    assertThat(mh.hasPredictedValue()).isTrue();
    assertThat(mh.probabilityClasses()).isEqualTo(2);
    int right = 0;
    for (int i = 0; i < train.rows(); i++) {
      assertThat(mh.probability(i, 0) + mh.probability(i, 1)).isCloseTo(1.0, within(1e-9));
      right += mh.predictedClass(i) == train.label(i) ? 1 : 0;
    }
    assertThat(right / (double) train.rows()).isGreaterThan(0.9);
    DeferralTable test = DeferralTableReader.read(dir.resolve("test-m.parquet"), full);
    assertThat(test.rows()).isEqualTo(50);
    assertThat(test.agent("mh").hasPredictedValue()).isTrue();

    // Multi-task evaluation reports per-task metrics; the expert copies the truth, so its class
    // accuracy is exactly 1 and its regression loss exactly 0.
    Path json = dir.resolve("e.json");
    int evaluated =
        Defer4jCommand.execute(
            new String[] {
              "evaluate",
              "--data",
              dir.resolve("test-m.parquet").toString(),
              "--task",
              task.toString(),
              "--policy",
              "model",
              "--policy",
              "expert:doc",
              "--json",
              json.toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(evaluated).as(err.toString()).isZero();
    com.fasterxml.jackson.databind.JsonNode p =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("policies");
    assertThat(p.get(1).get("multitask").get("class_accuracy").asDouble()).isEqualTo(1.0);
    assertThat(p.get(1).get("multitask").get("regression_loss").asDouble()).isEqualTo(0.0);
    assertThat(p.get(0).get("multitask").get("class_accuracy").asDouble()).isGreaterThan(0.8);
  }

  @Test
  void refusesATaskWithoutModel(@TempDir Path dir) throws Exception {
    Path task = dir.resolve("task.yaml");
    Files.writeString(task, YAML.replace("model: mh\n", ""));
    StringWriter err = new StringWriter();
    int code =
        Defer4jCommand.execute(
            new String[] {
              "fit-model", "--data", "x.csv", "--task", task.toString(), "--out-data", "y.csv"
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(err.toString()).contains("names no 'model:'");
  }

  /**
   * {@code --out-model} saves the stage-one model; {@code --from-model} reloads it and writes the
   * same columns, bit for bit, into a table whose features come in another order.
   */
  @Test
  void theStageOneModelIsAnArtifact(@TempDir Path dir) throws Exception {
    Path task = dir.resolve("task.yaml");
    Files.writeString(task, YAML);
    TaskSpec full = TaskSpecIo.read(task);
    TaskSpec input =
        new TaskSpec(full.kind(), full.classes(), null, full.experts(), full.cost(), null);
    DeferralTableWriter.write(table(300, 1), input, dir.resolve("train.csv"));
    DeferralTable test = table(60, 3);
    DeferralTableWriter.write(test, input, dir.resolve("test.csv"));
    double[] swapped = new double[2 * test.rows()];
    for (int i = 0; i < test.rows(); i++) {
      swapped[2 * i] = test.feature(i, 1);
      swapped[2 * i + 1] = test.feature(i, 0);
    }
    DeferralTable reordered =
        DeferralTable.builder("r", test.rows())
            .features(List.of("b", "a"), swapped)
            .labels(test.labels())
            .targets(test.targets())
            .agent("doc", test.agent("doc"))
            .build();
    DeferralTableWriter.write(reordered, input, dir.resolve("test-rev.csv"));
    StringWriter err = new StringWriter();
    int fitted =
        Defer4jCommand.execute(
            new String[] {
              "fit-model",
              "--data",
              dir.resolve("train.csv").toString(),
              "--task",
              task.toString(),
              "--epochs",
              "5",
              "--out-data",
              dir.resolve("train-m.csv").toString(),
              "--apply",
              dir.resolve("test.csv").toString(),
              "--apply-out",
              dir.resolve("test-m.csv").toString(),
              "--out-model",
              dir.resolve("mh.json").toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(fitted).as(err.toString()).isZero();
    int applied =
        Defer4jCommand.execute(
            new String[] {
              "fit-model",
              "--data",
              dir.resolve("test-rev.csv").toString(),
              "--task",
              task.toString(),
              "--from-model",
              dir.resolve("mh.json").toString(),
              "--out-data",
              dir.resolve("test-rev-m.csv").toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(applied).as(err.toString()).isZero();
    AgentColumns first = DeferralTableReader.read(dir.resolve("test-m.csv"), full).agent("mh");
    AgentColumns again = DeferralTableReader.read(dir.resolve("test-rev-m.csv"), full).agent("mh");
    assertThat(again).isEqualTo(first);
  }
}
