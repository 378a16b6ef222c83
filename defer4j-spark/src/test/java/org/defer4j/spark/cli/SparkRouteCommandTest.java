package org.defer4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DecisionsWriter;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.spark.SparkEvaluation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defer4j spark route} writes the decisions {@code defer4j route} writes (the single-JVM
 * path of RouteCommand: readCases, decide, DecisionsWriter) for a policy trained by the single-JVM
 * trainer, over a bundled table split into several partitions; {@code spark evaluate}'s figures
 * equal core's Evaluation on the whole table.
 */
class SparkRouteCommandTest {
  private static final Path ROOT =
      Path.of(System.getProperty("defer4j.root", "..")).toAbsolutePath();
  private static final Path TASK = ROOT.resolve("datasets/hatespeech.yaml");
  private static final Path TEST = ROOT.resolve("datasets/hatespeech-test.parquet");

  private static SparkSession spark;
  private static TaskSpec task;
  private static LearnedPolicy policy;
  @TempDir static Path dir;
  private static Path policyFile;

  @BeforeAll
  static void start() throws Exception {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SparkRouteCommandTest")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            // a 2 MB file read as several partitions, in file order
            .config("spark.sql.files.maxPartitionBytes", "400000")
            .config("spark.sql.files.openCostInBytes", "0")
            .getOrCreate();
    task = TaskSpecIo.read(TASK);
    DeferralTable train =
        DeferralTableReader.read(ROOT.resolve("datasets/hatespeech-val.parquet"), task);
    policy =
        new DeferralTrainer(
                Surrogates.byName("ova"),
                DeferralTrainer.linear(1e-3),
                new TrainOptions(Algorithm.LBFGS, 1e-3, 20, 128, 0, 3L),
                false)
            .fit(task, train, null, TrainingListener.NONE);
    policyFile = dir.resolve("policy.json");
    PolicyArtifact.save(policy, policyFile);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static int run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    System.out.print(out);
    System.out.print(err);
    return code;
  }

  private static List<String> lines(Path f) throws Exception {
    return Files.readAllLines(f);
  }

  @Test
  void routeWritesTheDecisionsOfTheSingleJvmRoute() throws Exception {
    assertThat(spark.read().parquet(TEST.toString()).rdd().getNumPartitions()).isGreaterThan(2);
    DeferralTable cases = DeferralTableReader.readCases(TEST, task);
    Decisions d = policy.decide(cases, Availability.fromTable(policy.agents(), cases));
    Path single = dir.resolve("single.csv");
    DecisionsWriter.write(d, task, single);
    Path viaSpark = dir.resolve("spark.csv");
    assertThat(
            run(
                "route",
                "--policy",
                policyFile.toString(),
                "--data",
                TEST.toString(),
                "--out",
                viaSpark.toString()))
        .isZero();
    List<String> a = lines(single);
    List<String> b = lines(viaSpark);
    assertThat(b).hasSameSizeAs(a);
    assertThat(b.get(0)).isEqualTo(a.get(0));
    for (int i = 1; i < a.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = b.get(i).split(",", -1);
      assertThat(y).hasSameSizeAs(x);
      for (int c = 0; c < x.length; c++) {
        if (x[c].matches("-?[0-9.]+(E-?[0-9]+)?|-?[0-9.]+e-?[0-9]+") && !x[c].isEmpty()) {
          // DuckDB and Spark spell doubles differently; the values are the same bits
          assertThat(Double.parseDouble(y[c])).isEqualTo(Double.parseDouble(x[c]));
        } else {
          assertThat(y[c]).as("row %d column %d", i, c).isEqualTo(x[c]);
        }
      }
    }
    // the same decisions as a folder of Parquet part files
    Path folder = dir.resolve("decisions");
    assertThat(
            run(
                "route",
                "--policy",
                policyFile.toString(),
                "--data",
                TEST.toString(),
                "--out",
                folder.toString()))
        .isZero();
    List<Row> rows = spark.read().parquet(folder.toString()).orderBy("id").collectAsList();
    assertThat(rows).hasSize(cases.rows());
    long deferred = rows.stream().filter(r -> r.getString(1).equals("annotator")).count();
    long expected = 0;
    for (int i = 0; i < d.rows(); i++) {
      expected += d.agent(i) == 1 ? 1 : 0;
    }
    assertThat(deferred).isEqualTo(expected);
  }

  @Test
  void evaluateEqualsCoreEvaluationOnTheWholeTable() {
    DeferralTable table = DeferralTableReader.read(TEST, task);
    DeferralReport r = Evaluation.of(policy, task, table).report();
    SparkEvaluation.Summary s =
        SparkEvaluation.evaluate(policy, spark.read().parquet(TEST.toString()), null);
    assertThat(s.rows()).isEqualTo(table.rows());
    // per-partition means recombined by weight: equal up to summation order
    assertThat(s.meanCost()).isCloseTo(r.meanCost(), within(1e-12));
    assertThat(s.systemAccuracy()).isCloseTo(r.systemAccuracy(), within(1e-12));
    assertThat(s.coverage()).isCloseTo(r.coverage(), within(1e-12));
    assertThat(s.oracleCost())
        .isCloseTo(Evaluation.oracle(task, table).report().meanCost(), within(1e-12));
    assertThat(run("evaluate", "--policy", policyFile.toString(), "--data", TEST.toString()))
        .isZero();
  }

  @Test
  void badInputIsOneLine() {
    StringWriter err = new StringWriter();
    int code =
        SparkCommand.execute(
            new String[] {
              "route",
              "--policy",
              policyFile.toString(),
              "--data",
              "nowhere.parquet",
              "--out",
              dir.resolve("x.csv").toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip())
        .isEqualTo("defer4j spark: nowhere.parquet: no such file or folder");
  }
}
