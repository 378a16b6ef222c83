package org.defer4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numeric columns, or SQL expressions over columns, from any CSV or Parquet file through
 * DuckDB. For tools that need a few numbers from an arbitrary table, such as calibration of a
 * probability column against an outcome.
 *
 * <p>An expression that is exactly a column name reads that column, whatever the name holds (dots
 * included: {@code m.alice.p.cat}); elsewhere DuckDB's SQL applies, where such a name is quoted,
 * {@code "m.alice.p.cat"}. A CSV file is parsed strictly (comma-separated, or tab-separated for
 * {@code .tsv}, {@code "} quoting, a header row) before its column types are inferred, so a
 * malformed record is reported at its 1-based data row, as by {@link DeferralTableReader}.
 */
public final class ColumnQuery {
  private static final String SOURCE = "__defer4j_source";
  private static final int LISTED_COLUMNS = 30;

  private ColumnQuery() {}

  /**
   * An expression that cannot be evaluated on a table: an unknown column or function, a syntax
   * error, a type that does not fit. The message names the file and the expression; {@link
   * #reason()} says what is wrong in words, for a caller that names the expression its own way (an
   * option).
   */
  public static final class ExpressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int index;
    private final String expression;
    private final String reason;

    ExpressionException(String file, int index, String expression, String reason, Throwable cause) {
      super(file + ": expression '" + expression + "': " + reason, cause);
      this.index = index;
      this.expression = expression;
      this.reason = reason;
    }

    /** The position of the expression in the list given to {@link ColumnQuery#read}. */
    public int index() {
      return index;
    }

    /** The expression as given. */
    public String expression() {
      return expression;
    }

    /** What is wrong, e.g. {@code unknown column 'foo'; the columns of t.csv are [p, y]}. */
    public String reason() {
      return reason;
    }
  }

  /**
   * Evaluates each expression on every row of the file.
   *
   * @param file a .csv, .csv.gz, .tsv or .parquet file
   * @param expressions column names or DuckDB SQL expressions over the columns, e.g. {@code
   *     least(1, p_defer / (p0 + p1))}
   * @return one array per expression, n ≥ 1 values each
   * @throws NoSuchFileException "FILE: no such file" when the file does not exist
   * @throws TableFormatException naming the file and the 1-based data row for a malformed record,
   *     or the file alone when it holds no rows or cannot be read as a table
   * @throws ExpressionException naming the expression for one that cannot be evaluated
   * @throws IllegalArgumentException naming the file, the expression and the first row whose value
   *     is empty or not a finite number
   */
  public static double[][] read(Path file, List<String> expressions) throws IOException {
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          name, null, Files.isDirectory(file) ? "a folder, not a table file" : "no such file");
    }
    String source = sourceOf(file);
    try (Connection c = DuckDb.connect()) {
      if (!name.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
        checkRecords(c, file);
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TEMP VIEW " + SOURCE + " AS SELECT * FROM " + source);
      }
      List<String> columns = columns(c);
      List<String> terms = new ArrayList<>();
      for (int e = 0; e < expressions.size(); e++) {
        String term = term(expressions.get(e), columns);
        // Preparing binds the expression without running it: a bad one is named here.
        try (PreparedStatement bound =
            c.prepareStatement("SELECT " + cast(term) + " FROM " + SOURCE)) {
          bound.getMetaData();
        } catch (SQLException x) {
          throw new ExpressionException(
              name, e, expressions.get(e), reason(x, expressions.get(e), columns, name), x);
        }
        terms.add(term);
      }
      double[][] out;
      try {
        out = evaluate(c, file, expressions, terms);
      } catch (SQLException x) {
        throw locate(c, file, expressions, terms, columns, x);
      }
      if (out[0].length == 0) {
        throw new TableFormatException(name, 0, null, "the table has no rows");
      }
      return out;
    } catch (SQLException e) {
      throw DuckDb.problem(e).exception(name, e);
    }
  }

  private static double[][] evaluate(
      Connection c, Path file, List<String> expressions, List<String> terms) throws SQLException {
    StringBuilder select = new StringBuilder("SELECT ");
    for (int e = 0; e < terms.size(); e++) {
      select.append(e > 0 ? ", " : "").append(cast(terms.get(e)));
    }
    select.append(" FROM ").append(SOURCE);
    List<double[]> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select.toString())) {
      int row = 0;
      while (rs.next()) {
        row++;
        double[] v = new double[terms.size()];
        for (int e = 0; e < v.length; e++) {
          double x = rs.getDouble(e + 1);
          if (rs.wasNull() || !Double.isFinite(x)) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "%s: row %d, %s: empty or not a finite number",
                    file,
                    row,
                    describe(expressions.get(e))));
          }
          v[e] = x;
        }
        rows.add(v);
      }
    }
    double[][] out = new double[terms.size()][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int e = 0; e < out.length; e++) {
        out[e][i] = rows.get(i)[e];
      }
    }
    return out;
  }

  /**
   * After the query failed while running: a malformed record of the file, else the first expression
   * that fails alone (a value it cannot convert, say).
   */
  private static RuntimeException locate(
      Connection c,
      Path file,
      List<String> expressions,
      List<String> terms,
      List<String> columns,
      SQLException failure) {
    String name = file.toString();
    String m = failure.getMessage() == null ? "" : failure.getMessage();
    if (!m.contains("CSV Error on Line")) {
      for (int e = 0; e < terms.size(); e++) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT " + cast(terms.get(e)) + " FROM " + SOURCE)) {
          while (rs.next()) {
            // Run it to the end: the failure may be on any row.
          }
        } catch (SQLException x) {
          return new ExpressionException(
              name, e, expressions.get(e), reason(x, expressions.get(e), columns, name), x);
        }
      }
    }
    return DuckDb.problem(failure).exception(name, failure);
  }

  private static String cast(String term) {
    return "TRY_CAST((" + term + ") AS DOUBLE)";
  }

  /** A column name as a quoted identifier (matched as DuckDB matches: case aside), else as is. */
  private static String term(String expression, List<String> columns) {
    String e = expression.strip();
    for (String c : columns) {
      if (c.equals(e)) {
        return DuckDb.ident(c);
      }
    }
    for (String c : columns) {
      if (c.equalsIgnoreCase(e)) {
        return DuckDb.ident(c);
      }
    }
    return expression;
  }

  private static List<String> columns(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + SOURCE)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /**
   * Parses every record of a CSV file as text with the dialect fixed, so that a ragged row or an
   * unclosed quote fails here with its line, before DuckDB's sniffer (which infers the column
   * types) could fail without one or guess a dialect around the damage.
   */
  private static void checkRecords(Connection c, Path file) throws SQLException {
    String name = file.toString();
    List<String> header = header(file);
    if (header == null) {
      throw new TableFormatException(name, 0, null, "the file is empty; expected a header");
    }
    StringBuilder cols = new StringBuilder("columns={");
    for (int i = 0; i < header.size(); i++) {
      cols.append(i == 0 ? "" : ", ").append(DuckDb.literal("c" + i)).append(": 'VARCHAR'");
    }
    cols.append('}');
    String sql =
        "SELECT count(*) FROM read_csv("
            + DuckDb.literal(file.toAbsolutePath().toString())
            + ", delim="
            + DuckDb.literal(delimiter(file))
            + ", quote='\"', escape='\"', comment='', auto_detect=false, header=true, "
            + cols
            + ")";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
    }
  }

  private static List<String> header(Path file) {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".tsv")) {
      return CsvHeader.read(file, lower.endsWith(".gz"), file.toString());
    }
    try (InputStream in = Files.newInputStream(file);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String first = r.readLine();
      if (first == null) {
        return null;
      }
      return Arrays.asList(first.replace("\uFEFF", "").split("\t", -1));
    } catch (IOException e) {
      throw new TableFormatException(file.toString(), 0, null, "cannot read the table: " + e, e);
    }
  }

  private static String delimiter(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? "\t" : ",";
  }

  private static final Pattern UNKNOWN_COLUMN =
      Pattern.compile("Referenced column \"(.*?)\" not found");
  private static final Pattern UNKNOWN_TABLE =
      Pattern.compile("Referenced table \"(.*?)\" not found");
  private static final Pattern UNKNOWN_FUNCTION =
      Pattern.compile(
          "(?:Scalar |Table |Aggregate )?Function with name \"?(\\w+)\"? does not exist");
  private static final Pattern SYNTAX =
      Pattern.compile("syntax error (at or near .*|at end of input)");
  private static final Pattern CONVERT = Pattern.compile("Could not convert string '(.*?)' to ");
  private static final Pattern NO_MATCH =
      Pattern.compile("No function matches the given name and argument types '(.*?)'");

  /** Why an expression does not bind, in words. */
  private static String reason(
      SQLException e, String expression, List<String> columns, String file) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    Matcher x = UNKNOWN_COLUMN.matcher(m);
    if (x.find()) {
      return "unknown column '" + x.group(1) + "'; " + listing(columns, file);
    }
    x = UNKNOWN_TABLE.matcher(m);
    if (x.find()) {
      // SQL reads a.b as column b of table a: the user meant a column whose name has a dot.
      Matcher dotted =
          Pattern.compile("(?<![\\w.\"])" + Pattern.quote(x.group(1)) + "\\.[\\w.]+")
              .matcher(expression);
      String name = dotted.find() ? dotted.group() : x.group(1);
      return columns.contains(name)
          ? "SQL reads "
              + name
              + " as a table and a column; quote a column name that has a dot: \""
              + name
              + "\""
          : "unknown column '" + name + "'; " + listing(columns, file);
    }
    x = UNKNOWN_FUNCTION.matcher(m);
    if (x.find()) {
      return "unknown function '" + x.group(1) + "'";
    }
    x = SYNTAX.matcher(m);
    if (x.find()) {
      return "not a valid SQL expression: syntax error " + x.group(1).strip();
    }
    x = NO_MATCH.matcher(m);
    if (x.find()) {
      return "no function or operator takes these argument types: "
          + x.group(1)
          + " (a VARCHAR column holds text, not numbers)";
    }
    x = CONVERT.matcher(m);
    if (x.find()) {
      return "cannot convert the text '" + x.group(1) + "' to a number";
    }
    return DuckDb.plain(e);
  }

  private static String listing(List<String> columns, String file) {
    List<String> shown =
        columns.size() > LISTED_COLUMNS ? columns.subList(0, LISTED_COLUMNS) : columns;
    String more =
        columns.size() > LISTED_COLUMNS
            ? " and " + (columns.size() - LISTED_COLUMNS) + " more"
            : "";
    return "the columns of " + file + " are " + shown + more;
  }

  private static String describe(String expression) {
    return expression.matches("[A-Za-z_][A-Za-z0-9_.]*")
        ? "column " + expression
        : "expression '" + expression + "'";
  }

  static String sourceOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String quoted = DuckDb.literal(file.toAbsolutePath().toString());
    if (name.endsWith(".parquet")) {
      return "read_parquet(" + quoted + ")";
    }
    if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
      return "read_csv("
          + quoted
          + ", header=true, delim="
          + DuckDb.literal(delimiter(file))
          + ", quote='\"', escape='\"', comment='')";
    }
    throw new IllegalArgumentException(
        file + ": unknown table format; expected .csv, .csv.gz, .tsv or .parquet");
  }
}
