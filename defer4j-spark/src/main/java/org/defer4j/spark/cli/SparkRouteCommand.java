package org.defer4j.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.spark.SparkRouting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defer4j spark route}: {@code defer4j route} as a Spark job. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Route new cases with a trained policy on Spark: the policy is broadcast once and every"
          + " partition is decided where it lies. The output has the columns of 'defer4j route'"
          + " (id, agent, fallback, score.<agent>, expected_cost.<agent>, prediction)."
    })
final class SparkRouteCommand implements SparkCommand.Job {
  @Spec CommandSpec spec;

  @Mixin SparkCommand.SessionOptions session = new SparkCommand.SessionOptions();

  @Option(
      names = "--policy",
      required = true,
      description = "Trained policy file, or a Spark ML model folder (spark train --spark-model).")
  Path policy;

  @Option(
      names = "--data",
      required = true,
      description = "Cases to route: Parquet or CSV file, or a folder of part files.")
  String data;

  @Option(
      names = "--out",
      required = true,
      description =
          "Where to write the decisions: one file (.csv, .csv.gz or .parquet) or, for any other"
              + " name, a folder of part files in --format.")
  String out;

  @Option(
      names = "--format",
      defaultValue = "parquet",
      description = "Format of a folder of part files: csv or parquet (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--available",
      split = ",",
      description = "Agents that may be asked now (comma-separated); the others are unavailable.")
  List<String> available;

  @Mixin FeaturesColumn features = new FeaturesColumn();

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    LearnedPolicy p = Policies.load(policy);
    SparkRouting routing = new SparkRouting(p, available);
    SparkSession spark = session.session("defer4j spark route");
    long start = System.nanoTime();
    Dataset<Row> cases = SparkTables.read(spark, data, session.partitions);
    Dataset<Row> decisions = routing.route(spark, cases, features.column());
    SparkTables.write(decisions, out, format);
    double seconds = (System.nanoTime() - start) / 1e9;
    // The allocation from the written decisions: one aggregation, no rows collected.
    Dataset<Row> counts = spark.read().format(formatOf(out)).option("header", "true").load(out);
    List<Row> byAgent = counts.groupBy("agent").count().collectAsList();
    long n = 0;
    for (Row r : byAgent) {
      n += r.getLong(1);
    }
    List<String> parts = new ArrayList<>();
    for (String name : p.agents().names()) {
      long c = 0;
      for (Row r : byAgent) {
        if (name.equals(r.getString(0))) {
          c = r.getLong(1);
        }
      }
      parts.add(String.format(Locale.ROOT, "%s %d (%.1f%%)", name, c, 100.0 * c / n));
    }
    log.printf(
        Locale.ROOT,
        "routed %d cases with %s in %.2f s (%.0f rows/s) on Spark %s; wrote %s%n",
        n,
        p.name(),
        seconds,
        n / seconds,
        spark.sparkContext().master(),
        out);
    log.println("allocation: " + String.join(", ", parts));
    log.flush();
    session.release(spark);
    return 0;
  }

  private String formatOf(String path) {
    String l = path.toLowerCase(Locale.ROOT);
    return l.endsWith(".csv") || l.endsWith(".csv.gz")
        ? "csv"
        : l.endsWith(".parquet") ? "parquet" : format;
  }
}
