package org.defer4j.io;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory DuckDB connections that read and write tables, SQL quoting, and DuckDB's errors in
 * defer4j's words.
 */
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

  /**
   * What a DuckDB error says about a table file, in defer4j's words.
   *
   * @param row the 1-based data row (the header is not counted), or 0 when the problem is not in
   *     one row
   * @param column the column, or {@code null} when the problem is not in one column
   * @param reason what is wrong, in words, without DuckDB's vocabulary or advice
   */
  record Problem(long row, String column, String reason) {
    TableFormatException exception(String file, SQLException cause) {
      return new TableFormatException(file, row, column, reason, cause);
    }
  }

  private static final Pattern CSV_LINE = Pattern.compile("CSV Error on Line: (\\d+)");
  private static final Pattern COLUMN_COUNT =
      Pattern.compile("Expected Number of Columns: (\\d+) Found: (\\d+)");
  private static final Pattern CONVERSION =
      Pattern.compile(
          "Error when converting column \"(.*?)\"\\. Could not convert string \"(.*?)\" to"
              + " '?(\\w+)'?");
  private static final Pattern LINE_SIZE =
      Pattern.compile("Maximum line size of (\\d+) bytes exceeded");
  private static final Pattern ERROR_KIND =
      Pattern.compile("^[A-Z][A-Za-z]*( [A-Z][A-Za-z]*)* Error: ");

  /**
   * The problem a DuckDB error reports about a file that DuckDB read with {@code header=true}.
   * DuckDB's "CSV Error on Line: N" counts the header as line 1 and each later record as one line
   * (a quoted value that spans line breaks is still one), so the data row is N − 1: the same
   * 1-based data row as every other defer4j message. Errors that are not recognised keep their
   * first sentence, without DuckDB's error kind and advice.
   */
  static Problem problem(SQLException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    Matcher line = CSV_LINE.matcher(m);
    long row = line.find() ? Math.max(0, Long.parseLong(line.group(1)) - 1) : 0;
    Matcher count = COLUMN_COUNT.matcher(m);
    if (count.find()) {
      return new Problem(
          row,
          null,
          count.group(2)
              + (count.group(2).equals("1") ? " value" : " values")
              + " where the header has "
              + count.group(1)
              + " columns");
    }
    Matcher conversion = CONVERSION.matcher(m);
    if (conversion.find()) {
      String type = conversion.group(3).toUpperCase(java.util.Locale.ROOT);
      String what =
          type.equals("BOOLEAN")
              ? "not true or false"
              : type.matches("DOUBLE|FLOAT|DECIMAL|U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)")
                  ? "not a number"
                  : "not a " + type.toLowerCase(java.util.Locale.ROOT);
      return new Problem(row, conversion.group(1), what + ": '" + conversion.group(2) + "'");
    }
    if (m.contains("unterminated quote")) {
      return new Problem(
          row,
          null,
          "a quoted value is not closed: a value that opens with \" must end with \" before the"
              + " next comma or line end, and a quote inside it is written \"\"");
    }
    if (m.contains("Invalid unicode")) {
      return new Problem(row, null, "the text is not UTF-8; save the file as UTF-8");
    }
    Matcher size = LINE_SIZE.matcher(m);
    if (size.find()) {
      return new Problem(
          row,
          null,
          "the row is longer than "
              + size.group(1)
              + " bytes, the most a row may hold (often a quote that is never closed)");
    }
    if (m.contains("state machine reached an invalid state")) {
      return new Problem(
          0,
          null,
          "cannot read the table: not well-formed CSV (comma-separated, \" quoting, RFC 4180);"
              + " mixed line ends (\\r\\n and \\n) in one file are a common cause");
    }
    if (m.contains("too small to be a Parquet file") || m.contains("No magic bytes found")) {
      return new Problem(0, null, "cannot read the table: not a Parquet file, or a truncated one");
    }
    if (m.contains("not a GZIP stream")) {
      return new Problem(0, null, "cannot read the table: not gzip-compressed (.gz)");
    }
    return new Problem(row, null, "cannot read the table: " + plain(e));
  }

  /** The first paragraph of a DuckDB error without its kind ("Binder Error: ") and advice. */
  static String plain(SQLException e) {
    return ERROR_KIND.matcher(summary(e)).replaceFirst("");
  }
}
