package org.defer4j.io;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats of a deferral table, chosen by file name extension. */
public enum TableFormat {
  /** Comma-separated values with a header row, {@code .csv}. */
  CSV,
  /** Gzip-compressed CSV, {@code .csv.gz}. */
  CSV_GZIP,
  /** Apache Parquet, {@code .parquet}. */
  PARQUET;

  /**
   * The format of a file by its extension.
   *
   * @throws IllegalArgumentException naming the file and the accepted extensions
   */
  public static TableFormat of(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".csv")) {
      return CSV;
    }
    if (n.endsWith(".csv.gz")) {
      return CSV_GZIP;
    }
    if (n.endsWith(".parquet")) {
      return PARQUET;
    }
    throw new IllegalArgumentException(
        file + ": unknown table format; expected a name ending in .csv, .csv.gz or .parquet");
  }

  /** Whether the format is CSV, plain or compressed. */
  public boolean isCsv() {
    return this != PARQUET;
  }
}
