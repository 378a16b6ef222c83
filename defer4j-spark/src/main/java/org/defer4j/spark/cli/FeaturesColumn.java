package org.defer4j.spark.cli;

import picocli.CommandLine.Option;

/** {@code --features-col} of every Spark sub-command: a Vector column instead of the x.* ones. */
final class FeaturesColumn {
  @Option(
      names = "--features-col",
      description = "A Spark ML Vector column holding the features (default: the x.* columns).")
  String featuresCol;

  /** The column's name, or null for the x.* columns. */
  String column() {
    return featuresCol;
  }

  /** The column's name, or the empty string for the x.* columns (the estimators' spelling). */
  String orEmpty() {
    return featuresCol == null ? "" : featuresCol;
  }
}
