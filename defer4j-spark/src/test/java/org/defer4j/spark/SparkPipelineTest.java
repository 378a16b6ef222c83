package org.defer4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark ML conventions on the bundled attrition tables (CSV, 18 features, expert hr): the
 * transformer inside a Pipeline behind a VectorAssembler, persistence of the estimator and of the
 * fitted model (whose policy.json is a normal artifact), and Adam's determinism.
 */
class SparkPipelineTest {
  private static SparkSession spark;
  private static TaskSpec task;
  private static Dataset<Row> train;
  private static Dataset<Row> test;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local2("SparkPipelineTest");
    task = TaskSpecIo.read(SparkSessions.dataset("attrition.yaml"));
    train = csv("attrition-train.csv").repartition(2).cache();
    test = csv("attrition-test.csv");
  }

  private static Dataset<Row> csv(String name) {
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(SparkSessions.dataset(name).toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static DeferralEstimator lbfgs() {
    return new DeferralEstimator()
        .setTask(task)
        .setMethod("ce")
        .setOptimizer("lbfgs")
        .setEpochs(40)
        .setL2(1e-3)
        .setSeed(5L);
  }

  private static List<String> agents(Dataset<Row> decided) {
    List<String> out = new ArrayList<>();
    for (Row r : decided.select("agent").collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  @Test
  void transformerWorksInAPipelineBehindAVectorAssembler() throws Exception {
    String[] inputs =
        Arrays.stream(train.columns()).filter(c -> c.startsWith("x.")).toArray(String[]::new);
    // Columns with dots are quoted for VectorAssembler; the vector keeps their names.
    String[] quoted = Arrays.stream(inputs).map(c -> "`" + c + "`").toArray(String[]::new);
    VectorAssembler assembler = new VectorAssembler().setInputCols(quoted).setOutputCol("features");
    Pipeline pipeline =
        new Pipeline()
            .setStages(new PipelineStage[] {assembler, lbfgs().setFeaturesCol("features")});
    PipelineModel fitted = pipeline.fit(train);
    Dataset<Row> decided = fitted.transform(test);
    assertThat(decided.columns()).contains("agent", "fallback", "score.model", "score.hr");
    // the same estimator on the x.* columns gives the same decisions
    DeferralPolicyModel direct = lbfgs().fit(train);
    assertThat(agents(decided)).isEqualTo(agents(direct.transform(test)));

    Path saved = dir.resolve("pipeline");
    fitted.write().overwrite().save(saved.toString());
    PipelineModel loaded = PipelineModel.load(saved.toString());
    assertThat(agents(loaded.transform(test))).isEqualTo(agents(decided));
  }

  @Test
  void savedModelHoldsANormalPolicyArtifactAndParamsRoundTrip() throws Exception {
    DeferralEstimator est = lbfgs().setPatience(3);
    Path e = dir.resolve("estimator");
    est.write().overwrite().save(e.toString());
    DeferralEstimator back = DeferralEstimator.load(e.toString());
    assertThat(back.uid()).isEqualTo(est.uid());
    assertThat(back.getTask()).isEqualTo(task);
    assertThat((Integer) back.getOrDefault(back.patience())).isEqualTo(3);
    assertThat(back.getOrDefault(back.optimizer())).isEqualTo("lbfgs");

    DeferralPolicyModel model = est.fit(train).setAvailable("model", "hr");
    Path m = dir.resolve("model");
    model.write().overwrite().save(m.toString());
    LearnedPolicy artifact = PolicyArtifact.load(m.resolve(DeferralPolicyModel.POLICY_FILE));
    assertThat(artifact.scorer().parameters())
        .containsExactly(model.policy().scorer().parameters());
    DeferralPolicyModel loaded = DeferralPolicyModel.load(m.toString());
    assertThat(loaded.getOrDefault(loaded.available())).containsExactly("model", "hr");
    assertThat(agents(loaded.transform(test))).isEqualTo(agents(model.transform(test)));
    DeferralPolicyModel copy = loaded.copy(new org.apache.spark.ml.param.ParamMap());
    assertThat(copy.policy()).isSameAs(loaded.policy());
  }

  @Test
  void adamIsDeterministicForTheSameSeedAndPartitioning() {
    for (String mode : List.of("average", "local")) {
      DeferralEstimator est =
          new DeferralEstimator()
              .setTask(task)
              .setMethod("ce")
              .setOptimizer("adam")
              .setAdamMode(mode)
              .setEpochs(3)
              .setBatchSize(64)
              .setLearningRate(1e-2)
              .setSeed(11L);
      double[] a = est.fit(train).policy().scorer().parameters();
      double[] b = est.fit(train).policy().scorer().parameters();
      assertThat(b).as(mode).containsExactly(a);
    }
  }
}
