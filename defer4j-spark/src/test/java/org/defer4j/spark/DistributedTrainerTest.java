package org.defer4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributedTrainerTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local2("DistributedTrainerTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void lbfgsPolicyEqualsTheSingleJvmOne() {
    Path data = SparkSessions.dataset("hatespeech-train.parquet");
    TaskSpec task = TaskSpecIo.read(SparkSessions.dataset("hatespeech.yaml"));
    TrainOptions options = new TrainOptions(Algorithm.LBFGS, 1e-3, 50, 128, 0, 7L);
    DeferralTable table = DeferralTableReader.read(data, task);
    LearnedPolicy single =
        new DeferralTrainer(Surrogates.byName("ce"), DeferralTrainer.linear(1e-4), options, false)
            .fit(task, table, null, TrainingListener.NONE);
    Dataset<Row> df = spark.read().parquet(data.toString()).repartition(3);
    DeferralPolicyModel model =
        new DeferralEstimator()
            .setTask(task)
            .setMethod("ce")
            .setOptimizer("lbfgs")
            .setEpochs(50)
            .setL2(1e-4)
            .setSeed(7L)
            .fit(df);
    double[] a = single.scorer().parameters();
    double[] b = model.policy().scorer().parameters();
    assertThat(b).hasSameSizeAs(a);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    System.out.println("max |single - spark| = " + worst + " over " + a.length);
    assertThat(worst).isLessThan(1e-6);
  }
}
