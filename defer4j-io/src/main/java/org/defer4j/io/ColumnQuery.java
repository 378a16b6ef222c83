package org.defer4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads numeric columns, or SQL expressions over columns, from any CSV or Parquet file through
 * DuckDB. For tools that need a few numbers from an arbitrary table, such as calibration of a
 * probability column against an outcome.
 */
public final class ColumnQuery {
  private ColumnQuery() {}

  /**
   * Evaluates each expression on every row of the file.
   *
   * @param file a .csv, .csv.gz or .parquet file
   * @param expressions column names or DuckDB SQL expressions over the columns, e.g. {@code
   *     least(1, p_defer / (p0 + p1))}
   * @return one array per expression, n values each
   * @throws IllegalArgumentException naming the file, the expression and the first row whose value
   *     is empty or not a finite number, or the database's message for a bad expression
   */
  public static double[][] read(Path file, List<String> expressions) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    String source = sourceOf(file);
    StringBuilder select = new StringBuilder("SELECT ");
    for (int e = 0; e < expressions.size(); e++) {
      if (e > 0) {
        select.append(", ");
      }
      select.append("TRY_CAST((").append(expressions.get(e)).append(") AS DOUBLE)");
    }
    select.append(" FROM ").append(source);
    List<double[]> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select.toString())) {
      int row = 0;
      while (rs.next()) {
        row++;
        double[] v = new double[expressions.size()];
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
    } catch (SQLException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().get();
      throw new IllegalArgumentException(file + ": cannot evaluate " + expressions + ": " + msg, e);
    }
    double[][] out = new double[expressions.size()][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int e = 0; e < out.length; e++) {
        out[e][i] = rows.get(i)[e];
      }
    }
    return out;
  }

  private static String describe(String expression) {
    return expression.matches("[A-Za-z_][A-Za-z0-9_.]*")
        ? "column " + expression
        : "expression '" + expression + "'";
  }

  static String sourceOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String quoted = "'" + file.toString().replace("'", "''") + "'";
    if (name.endsWith(".parquet")) {
      return "read_parquet(" + quoted + ")";
    }
    if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
      return "read_csv(" + quoted + ", header = true)";
    }
    throw new IllegalArgumentException(
        file + ": unknown table format; expected .csv, .csv.gz, .tsv or .parquet");
  }
}
