package org.defer4j.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test class, and the bundled tables. */
final class SparkSessions {
  private SparkSessions() {}

  /** The repository root (set by the build), for the bundled datasets. */
  static final Path ROOT = Path.of(System.getProperty("defer4j.root", "..")).toAbsolutePath();

  static Path dataset(String name) {
    return ROOT.resolve("datasets").resolve(name);
  }

  /** A local[2] session with few shuffle partitions and no UI. */
  static SparkSession local2(String app) {
    return SparkSession.builder()
        .appName(app)
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }
}
