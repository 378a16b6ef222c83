package org.defer4j.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * Evaluation of a policy on a labelled table as a Spark job: every partition is decided and scored
 * by core's {@link Evaluation} (so costs, masking of unobserved agents and fallbacks are exactly
 * the single-JVM ones), and only each partition's weighted sums travel to the driver — no row is
 * collected.
 */
public final class SparkEvaluation {
  private SparkEvaluation() {}

  /**
   * What a policy achieved on a table; weighted by {@code weight} when the table has it.
   *
   * @param rows number of rows
   * @param meanCost mean system cost (survey eq. 15)
   * @param systemAccuracy share of rows whose chosen agent was correct (NaN when unknown)
   * @param coverage share of rows kept by the model
   * @param allocation agent name → share of rows given to it
   * @param fallbacks rows whose preferred agent was unavailable
   * @param oracleCost mean cost of the oracle (the cheapest observed agent per row)
   */
  public record Summary(
      long rows,
      double meanCost,
      double systemAccuracy,
      double coverage,
      Map<String, Double> allocation,
      long fallbacks,
      double oracleCost) {}

  /** A labelled table decoded once and cached, to be evaluated repeatedly (early stopping). */
  public static final class Tables {
    private final JavaRDD<DeferralTable> tables;

    private Tables(JavaRDD<DeferralTable> tables) {
      this.tables = tables;
    }

    /** Decodes and caches a labelled table. */
    public static Tables of(Dataset<Row> data, SparkTableLayout layout) {
      return new Tables(
          data.javaRDD()
              .mapPartitionsWithIndex((p, it) -> List.of(layout.decode(it, p)).iterator(), true)
              .persist(StorageLevel.MEMORY_ONLY()));
    }

    /** Evaluates a policy on the cached table. */
    Summary evaluate(PolicyCarrier carrier) {
      String[] names = carrier.policy().agents().names();
      int a = names.length;
      List<double[]> parts = tables.map(t -> partial(carrier.policy(), t)).collect();
      double[] s = new double[a + 7];
      for (double[] p : parts) {
        for (int i = 0; i < s.length; i++) {
          s[i] += p[i];
        }
      }
      double w = s[0];
      Map<String, Double> alloc = new LinkedHashMap<>();
      for (int j = 0; j < a; j++) {
        alloc.put(names[j], s[7 + j] / w);
      }
      return new Summary((long) s[5], s[1] / w, s[2] / w, s[3] / w, alloc, (long) s[6], s[4] / w);
    }

    /** Drops the cached table. */
    public void release() {
      tables.unpersist(false);
    }
  }

  /**
   * Evaluates a policy on a labelled table.
   *
   * @throws IllegalArgumentException when the table breaks the data contract
   */
  public static Summary evaluate(LearnedPolicy policy, Dataset<Row> data, String featuresCol) {
    SparkTableLayout layout =
        SparkTableLayout.labelled("evaluation table", data.schema(), policy.task(), featuresCol);
    PolicyCarrier carrier = PolicyCarrier.of(policy);
    String[] names = policy.agents().names();
    int a = names.length;
    List<double[]> parts =
        data.javaRDD()
            .mapPartitionsWithIndex(
                (p, it) -> List.of(partial(carrier.policy(), layout.decode(it, p))).iterator(),
                true)
            .collect();
    double[] s = new double[a + 7];
    for (double[] p : parts) {
      for (int i = 0; i < s.length; i++) {
        s[i] += p[i];
      }
    }
    double w = s[0];
    Map<String, Double> alloc = new LinkedHashMap<>();
    for (int j = 0; j < a; j++) {
      alloc.put(names[j], s[7 + j] / w);
    }
    return new Summary((long) s[5], s[1] / w, s[2] / w, s[3] / w, alloc, (long) s[6], s[4] / w);
  }

  /**
   * One partition's sums: [W, W·cost, W·accuracy, W·coverage, W·oracle cost, n, fallbacks, W·share
   * of each agent...].
   */
  private static double[] partial(LearnedPolicy policy, DeferralTable t) {
    int a = policy.agents().size();
    double[] out = new double[a + 7];
    if (t.rows() == 0) {
      return out;
    }
    double w = 0;
    for (int i = 0; i < t.rows(); i++) {
      w += t.weight(i);
    }
    DeferralReport r = Evaluation.of(policy, policy.task(), t).report();
    DeferralReport o = Evaluation.oracle(policy.task(), t).report();
    out[0] = w;
    out[1] = w * r.meanCost();
    out[2] = w * r.systemAccuracy();
    out[3] = w * r.coverage();
    out[4] = w * o.meanCost();
    out[5] = t.rows();
    out[6] = r.fallbackCount();
    int j = 0;
    for (double share : r.allocation().values()) {
      out[7 + j++] = w * share;
    }
    return out;
  }
}
