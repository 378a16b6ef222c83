package org.defer4j.spark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Reading deferral tables and writing decisions with Spark's own readers and writers. */
final class SparkTables {
  private SparkTables() {}

  /**
   * Reads a table: Parquet ({@code .parquet} or a folder of Parquet part files) or CSV ({@code
   * .csv}, {@code .csv.gz}, or a folder of them) with a header row; CSV columns are typed by
   * inference.
   */
  static Dataset<Row> read(SparkSession spark, String path, Integer partitions) {
    if (!path.contains("://") && !Files.exists(Path.of(path))) {
      throw new IllegalArgumentException(path + ": no such file or folder");
    }
    Dataset<Row> df =
        isCsv(path) || isCsvFolder(path)
            ? spark.read().option("header", "true").option("inferSchema", "true").csv(path)
            : spark.read().parquet(path);
    return partitions == null ? df : df.repartition(partitions);
  }

  private static boolean isCsv(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".csv") || p.endsWith(".csv.gz");
  }

  private static boolean isCsvFolder(String path) {
    Path p = Path.of(path);
    if (path.contains("://") || !Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.anyMatch(f -> isCsv(f.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes decisions: to one file when {@code out} ends in {@code .csv}, {@code .csv.gz} or {@code
   * .parquet} (the partitions coalesced in order, as {@code defer4j route} writes), otherwise to a
   * folder of part files in {@code format} (csv or parquet).
   */
  static void write(Dataset<Row> decisions, String out, String format) {
    String lower = out.toLowerCase(Locale.ROOT);
    boolean csvFile = lower.endsWith(".csv") || lower.endsWith(".csv.gz");
    boolean parquetFile = lower.endsWith(".parquet");
    if (!csvFile && !parquetFile) {
      if (!List.of("csv", "parquet").contains(format)) {
        throw new IllegalArgumentException("--format " + format + " is not one of [csv, parquet]");
      }
      writer(decisions, format, false).save(out);
      return;
    }
    Path target = Path.of(out).toAbsolutePath();
    Path staging = target.resolveSibling(target.getFileName() + ".parts");
    writer(decisions.coalesce(1), csvFile ? "csv" : "parquet", lower.endsWith(".gz"))
        .save(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      Path part =
          s.filter(f -> f.getFileName().toString().startsWith("part-"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException(staging + ": Spark wrote no part file"));
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    deleteTree(staging);
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df, String format, boolean gzip) {
    DataFrameWriter<Row> w = df.write().mode(SaveMode.Overwrite).format(format);
    if (format.equals("csv")) {
      w = w.option("header", "true").option("nullValue", "").option("emptyValue", "");
      if (gzip) {
        w = w.option("compression", "gzip");
      }
    }
    return w;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
