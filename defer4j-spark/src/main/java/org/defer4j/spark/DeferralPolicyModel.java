package org.defer4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;
import scala.Option;

/**
 * A fitted deferral policy as a Spark ML {@link Model}: {@link #transform} keeps every input column
 * and appends the decision columns of {@code defer4j route} — {@code agent} (the chosen agent),
 * {@code fallback}, {@code score.<agent>}, {@code expected_cost.<agent>} where the policy estimates
 * them, and {@code prediction} for one-stage policies. Routing runs inside {@code mapPartitions}
 * with the policy broadcast once per call.
 *
 * <p>Saved as a Spark ML folder: {@code metadata/} (the params, as {@code DefaultParamsWriter}
 * writes them) and {@code policy.json}, a normal defer4j policy artifact that {@code defer4j
 * route}, the Java API ({@code PolicyArtifact.load}) and the server load unchanged.
 */
public final class DeferralPolicyModel extends Model<DeferralPolicyModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** The policy artifact's file name inside a saved model. */
  public static final String POLICY_FILE = "policy.json";

  private final String uid;
  private final transient LearnedPolicy policy;

  private final Param<String> featuresCol;

  private final StringArrayParam available;

  /** A model applying {@code policy}. */
  public DeferralPolicyModel(String uid, LearnedPolicy policy) {
    this.uid = uid;
    this.policy = policy;
    featuresCol = new Param<>(this, "featuresCol", "a Vector column of features; empty: x.*");
    available = new StringArrayParam(this, "available", "agents that may be asked now; empty: all");
    setDefault(featuresCol, "");
    setDefault(available, new String[0]);
  }

  /** A model applying a policy loaded from an artifact file (Hadoop path or local file). */
  public static DeferralPolicyModel ofPolicy(LearnedPolicy policy) {
    return new DeferralPolicyModel(
        org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("deferral"), policy);
  }

  /** A Vector column holding the features; empty: the x.* columns. */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /** Agents that may be asked now (the others unavailable for every case); empty: all. */
  public StringArrayParam available() {
    return available;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The policy. */
  public LearnedPolicy policy() {
    return policy;
  }

  /** Sets the Vector column of features (empty: x.* columns). */
  public DeferralPolicyModel setFeaturesCol(String c) {
    set(featuresCol, c);
    return this;
  }

  /** Sets the agents that may be asked now (empty: all). */
  public DeferralPolicyModel setAvailable(String... agents) {
    set(available, agents);
    return this;
  }

  private String features() {
    String c = getOrDefault(featuresCol);
    return c.isEmpty() ? null : c;
  }

  private SparkRouting routing() {
    String[] av = getOrDefault(available);
    return new SparkRouting(policy, av.length == 0 ? null : List.of(av));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    Dataset<Row> df = dataset.toDF();
    SparkSession spark = df.sparkSession();
    SparkRouting routing = routing();
    SparkTableLayout layout =
        SparkTableLayout.cases("cases", df.schema(), policy.task(), features());
    Broadcast<SparkRouting> b = new JavaSparkContext(spark.sparkContext()).broadcast(routing);
    JavaRDD<Row> rows =
        df.javaRDD()
            .mapPartitionsWithIndex((p, it) -> b.value().decide(layout, it, p, -1, true), true);
    return spark.createDataFrame(rows, out);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SparkTableLayout.cases("cases", schema, policy.task(), features());
    List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
    for (StructField f : routing().decisionFields()) {
      if (List.of(schema.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException(
            "column " + f.name() + " already exists; the model writes its decisions there");
      }
      fields.add(f);
    }
    return DataTypes.createStructType(fields);
  }

  @Override
  public DeferralPolicyModel copy(ParamMap extra) {
    DeferralPolicyModel m = new DeferralPolicyModel(uid, policy);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Spark ML's reader of saved models. */
  public static MLReader<DeferralPolicyModel> read() {
    return new Reader();
  }

  /** Loads a saved model. */
  public static DeferralPolicyModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final DeferralPolicyModel model;

    Writer(DeferralPolicyModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
      Path file = new Path(path, POLICY_FILE);
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          PolicyArtifact.write(model.policy, out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Reader extends MLReader<DeferralPolicyModel> {
    @Override
    public DeferralPolicyModel load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader.loadMetadata(
              path, sparkSession(), DeferralPolicyModel.class.getName());
      Path file = new Path(path, POLICY_FILE);
      LearnedPolicy policy;
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (InputStream in = fs.open(file)) {
          ByteArrayOutputStream buf = new ByteArrayOutputStream();
          in.transferTo(buf);
          policy = PolicyArtifact.fromBytes(buf.toByteArray(), file.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DeferralPolicyModel m = new DeferralPolicyModel(metadata.uid(), policy);
      metadata.getAndSetParams(m, Option.empty());
      return m;
    }
  }
}
