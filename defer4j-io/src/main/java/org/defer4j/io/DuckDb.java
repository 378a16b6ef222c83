package org.defer4j.io;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** The in-memory DuckDB connections that read and write tables, and SQL quoting. */
final class DuckDb {
  private DuckDb() {}

  /**
   * A fresh in-memory database. Extensions are never installed or loaded on demand: CSV, gzip and
   * Parquet are built into the driver, and reading a table must not reach the network. Results are
   * streamed so that a scan never holds a second copy of the table in native memory.
   */
  static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("jdbc_stream_results", "true");
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    return DriverManager.getConnection("jdbc:duckdb:", p);
  }

  /** A double-quoted SQL identifier. */
  static String ident(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** A single-quoted SQL string literal. */
  static String literal(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }

  /**
   * The useful head of a DuckDB error: its first paragraph, without the advice DuckDB appends
   * (options of its own SQL functions that a defer4j user cannot set), at most 600 characters.
   */
  static String summary(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    for (String end : new String[] {"\n\n", "Possible fixes:"}) {
      int at = m.indexOf(end);
      if (at > 0) {
        m = m.substring(0, at).strip();
      }
    }
    m = m.replace('\n', ' ');
    return m.length() > 600 ? m.substring(0, 600) + "..." : m;
  }
}
