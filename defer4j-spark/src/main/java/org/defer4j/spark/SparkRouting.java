package org.defer4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskKind;

/**
 * Batch routing as a Spark job: the policy's artifact is broadcast once, every partition is decoded
 * into a cases table and decided by core's {@link LearnedPolicy#decide} inside {@code
 * mapPartitions}, and one output row is produced per case. The decision columns are those of {@code
 * defer4j route} ({@code DecisionsWriter}): {@code id} (the case's id, or its 1-based row number in
 * partition order), {@code agent}, {@code fallback}, {@code score.<agent>}, {@code
 * expected_cost.<agent>} where the policy estimates them, and {@code prediction} for one-stage
 * policies; a NaN is written as null. Committee rules (top-k) are single-JVM only.
 */
public final class SparkRouting implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PolicyCarrier carrier;
  private final boolean expectedCosts;
  private final int prediction;
  private final String[] agents;
  private final String[] classes;
  private final ArrayList<String> available;

  /** No prediction column / a class name / a number. */
  private static final int NONE = 0;

  private static final int CLASS = 1;
  private static final int VALUE = 2;

  /**
   * @param policy the policy
   * @param available agents that may be asked now (others unavailable for every case), or null
   */
  public SparkRouting(LearnedPolicy policy, List<String> available) {
    if (policy.committee() != null) {
      throw new IllegalArgumentException(
          "policy " + policy.name() + " asks committees (top-k); route it with 'defer4j route'");
    }
    this.carrier = PolicyCarrier.of(policy);
    this.expectedCosts =
        policy.head().estimatesCosts(policy.task().kind() == TaskKind.CLASSIFICATION);
    this.prediction =
        policy.head().predictsClass() ? CLASS : policy.head().predictsValue() ? VALUE : NONE;
    this.agents = policy.agents().names();
    this.classes = policy.task().classes().toArray(new String[0]);
    this.available = available == null ? null : new ArrayList<>(available);
  }

  /** The decision columns. */
  public StructType decisionSchema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("id", DataTypes.StringType, false));
    f.addAll(decisionFields());
    return DataTypes.createStructType(f);
  }

  /** The decision columns without {@code id} (what the Spark ML transformer appends). */
  List<StructField> decisionFields() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("agent", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("fallback", DataTypes.ByteType, false));
    for (String a : agents) {
      f.add(DataTypes.createStructField("score." + a, DataTypes.DoubleType, true));
    }
    if (expectedCosts) {
      for (String a : agents) {
        f.add(DataTypes.createStructField("expected_cost." + a, DataTypes.DoubleType, true));
      }
    }
    if (prediction == CLASS) {
      f.add(DataTypes.createStructField("prediction", DataTypes.StringType, false));
    } else if (prediction == VALUE) {
      f.add(DataTypes.createStructField("prediction", DataTypes.DoubleType, true));
    }
    return f;
  }

  /**
   * The decisions of every case, in the cases' partition order.
   *
   * @param featuresCol a Vector column holding the features, or null for {@code x.*} columns
   * @throws IllegalArgumentException when the cases break the data contract
   */
  public Dataset<Row> route(SparkSession spark, Dataset<Row> cases, String featuresCol) {
    SparkTableLayout layout =
        SparkTableLayout.cases("cases", cases.schema(), carrier.policy().task(), featuresCol);
    JavaRDD<Row> rows = cases.javaRDD();
    long[] offsets = null;
    if (!layout.hasIds()) {
      // Row-number ids: each partition's first row number, from one counting job.
      List<Long> counts =
          rows.mapPartitions(
                  it -> {
                    long c = 0;
                    while (it.hasNext()) {
                      it.next();
                      c++;
                    }
                    return List.of(c).iterator();
                  })
              .collect();
      offsets = new long[counts.size()];
      for (int p = 1; p < offsets.length; p++) {
        offsets[p] = offsets[p - 1] + counts.get(p - 1);
      }
    }
    Broadcast<SparkRouting> b =
        new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).broadcast(this);
    long[] first = offsets;
    JavaRDD<Row> out =
        rows.mapPartitionsWithIndex(
            (p, it) -> b.value().decide(layout, it, p, first == null ? -1 : first[p], false), true);
    return spark.createDataFrame(out, decisionSchema());
  }

  /**
   * Decides one partition.
   *
   * @param firstRow the 0-based global row number of the partition's first row, or −1 when the
   *     cases carry ids
   * @param keepInput whether each output row starts with the input row's values (the transformer)
   */
  Iterator<Row> decide(
      SparkTableLayout layout,
      Iterator<Row> rows,
      int partition,
      long firstRow,
      boolean keepInput) {
    List<Row> input = new ArrayList<>();
    rows.forEachRemaining(input::add);
    if (input.isEmpty()) {
      return java.util.Collections.emptyIterator();
    }
    LearnedPolicy policy = carrier.policy();
    DeferralTable cases = layout.decode(input.iterator(), partition);
    Availability av = Availability.fromTable(policy.agents(), cases);
    if (available != null) {
      av = av.restrictTo(available);
    }
    Decisions d = policy.decide(cases, av);
    int a = agents.length;
    int width = 2 + a + (expectedCosts ? a : 0) + (prediction == NONE ? 0 : 1);
    List<Row> out = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      Object[] v;
      int at;
      if (keepInput) {
        Row r = input.get(i);
        v = new Object[r.size() + width];
        for (int c = 0; c < r.size(); c++) {
          v[c] = r.get(c);
        }
        at = r.size();
      } else {
        v = new Object[1 + width];
        v[0] = firstRow < 0 ? cases.id(i) : Long.toString(firstRow + i + 1);
        at = 1;
      }
      v[at++] = agents[d.agent(i)];
      v[at++] = (byte) (d.fellBack(i) ? 1 : 0);
      for (int j = 0; j < a; j++) {
        v[at++] = orNull(d.score(i, j));
      }
      if (expectedCosts) {
        for (int j = 0; j < a; j++) {
          v[at++] = orNull(d.expectedCost(i, j));
        }
      }
      if (prediction == CLASS) {
        v[at++] = classes[d.predictedClass(i)];
      } else if (prediction == VALUE) {
        v[at++] = orNull(d.predictedValue(i));
      }
      out.add(RowFactory.create(v));
    }
    return out.iterator();
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }

  /** The policy this router applies. */
  public LearnedPolicy policy() {
    return carrier.policy();
  }
}
