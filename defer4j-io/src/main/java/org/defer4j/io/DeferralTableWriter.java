package org.defer4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a deferral table as CSV ({@code .csv}, {@code .csv.gz}) or Parquet ({@code .parquet}) in
 * the column layout of DESIGN.md §4, so that {@link DeferralTableReader} reads back the same table
 * with the same spec.
 *
 * <p>Columns, in order: {@code id}, {@code group}, {@code weight}, {@code y}, {@code t}, {@code
 * x.<name>}, then per agent {@code m.<agent>.y}, {@code m.<agent>.t}, {@code m.<agent>.p.<class
 * name>}, {@code cost.<agent>}, then {@code avail.<agent>} (1 or 0) per agent with availability,
 * and last the spec's text column. Labels and predicted classes are written as class names;
 * unobserved cells (class −1, NaN numbers) are written empty (CSV) or NULL (Parquet). Doubles
 * round-trip exactly: Parquet stores them in binary and DuckDB prints the shortest decimal that
 * parses back to the same double.
 *
 * <p>The writer refuses a table that the reader would refuse with the same spec (a label outside
 * the classes, a non-finite feature, an undeclared agent, ...), naming row and column, so that a
 * written file always loads. The file is written to a temporary sibling and moved into place, so a
 * failed write leaves no half-written table.
 */
public final class DeferralTableWriter {
  private static final String TABLE = "defer4j_out";

  private DeferralTableWriter() {}

  /**
   * Writes {@code table} to {@code file}, replacing it.
   *
   * @param table the table
   * @param spec the task spec: class names for labels and agents that must be declared
   * @param file a {@code .csv}, {@code .csv.gz} or {@code .parquet} file
   * @throws IllegalArgumentException when the table does not fit the spec or holds a value the
   *     reader would reject (the message names row and column), or the extension is unknown
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(DeferralTable table, TaskSpec spec, Path file) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(spec, "spec");
    writeColumns(columns(table, spec, false), table.rows(), file, "table");
  }

  /**
   * Writes a cases table (what {@link DeferralTableReader#readCases} reads): like {@link #write},
   * but the truth and the declared agents' columns are optional.
   */
  public static void writeCases(DeferralTable table, TaskSpec spec, Path file) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(spec, "spec");
    writeColumns(columns(table, spec, true), table.rows(), file, "cases");
  }

  /**
   * Writes columns to a CSV or Parquet file through a temporary file moved into place, so a reader
   * never sees a half-written file.
   *
   * @param what what the file holds, for messages
   */
  static void writeColumns(List<Column> columns, int rows, Path file, String what) {
    writeThrough(
        file,
        what,
        (conn, tmp, format) -> {
          fill(conn, columns, rows);
          copy(conn, TABLE, tmp, format);
        });
  }

  /**
   * Writes a file through staging tables (the bulk path of {@link DecisionsWriter}): the rows are
   * split into contiguous slices, each appended in one transaction on its own connection and thread
   * into its own staging table; then one {@code COPY} of the slices' {@code SELECT}s joined by
   * {@code UNION ALL}, which DuckDB keeps in order, writes the file. Like {@link #writeColumns},
   * through a temporary file moved into place.
   *
   * @param what what the file holds, for messages
   */
  static void writeStaged(Staging staging, int rows, Path file, String what) {
    writeStaged(staging, rows, slices(rows), file, what);
  }

  /** {@link #writeStaged(Staging, int, Path, String)} in a given number of slices (≥ 1). */
  static void writeStaged(Staging staging, int rows, int slices, Path file, String what) {
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be > 0, got " + slices);
    }
    writeThrough(
        file,
        what,
        (conn, tmp, format) -> {
          fillStaged(conn, staging, rows, slices);
          StringBuilder query = new StringBuilder();
          for (int k = 0; k < slices; k++) {
            query
                .append(k == 0 ? "SELECT " : " UNION ALL SELECT ")
                .append(staging.select(sliceStart(rows, slices, k)))
                .append(" FROM ")
                .append(stagingTable(k));
          }
          copy(conn, "(" + query + ")", tmp, format);
        });
  }

  /**
   * How a bulk write lays out and fills its staging table and reads it back as the file's columns.
   * Implementations must be safe to call from several threads at once on disjoint row ranges.
   */
  interface Staging {
    /** The staging table's column definitions, e.g. {@code "a SMALLINT, v DOUBLE[4]"}. */
    String columns();

    /** Appends rows {@code [from, to)}, one appender row each, in order. */
    void fill(DuckDBAppender appender, int from, int to) throws SQLException;

    /**
     * The select list, in file column order, over a staging table that holds rows {@code first,
     * first + 1, ...} (0-based) of the file; its {@code rowid} numbers its own rows from 0.
     */
    String select(long first);
  }

  /** Rows per staging slice below which a bulk write stays on one thread. */
  static final int MIN_SLICE_ROWS = 1 << 16;

  /** At most this many slices (threads) per bulk write. */
  static final int MAX_SLICES = 16;

  /** The number of slices of a bulk write of {@code rows} rows. */
  static int slices(int rows) {
    int byRows = rows / MIN_SLICE_ROWS;
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Math.min(MAX_SLICES, Math.min(cores, byRows)));
  }

  /** The first row of slice {@code k}: slices are contiguous and differ by at most one row. */
  static int sliceStart(int rows, int slices, int k) {
    return (int) ((long) rows * k / slices);
  }

  private static String stagingTable(int k) {
    return TABLE + "_" + k;
  }

  private static void fillStaged(Connection conn, Staging staging, int rows, int slices)
      throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (int k = 0; k < slices; k++) {
        st.execute("CREATE TABLE " + stagingTable(k) + " (" + staging.columns() + ")");
      }
    }
    if (slices == 1) {
      fillSlice(conn, staging, stagingTable(0), 0, rows);
      return;
    }
    DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
    List<Connection> connections = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Throwable[] failures = new Throwable[slices];
    try {
      for (int k = 1; k < slices; k++) {
        connections.add(duck.duplicate());
      }
      for (int k = 1; k < slices; k++) {
        int slice = k;
        Connection c = connections.get(k - 1);
        Thread t =
            new Thread(
                () -> {
                  try {
                    fillSlice(
                        c,
                        staging,
                        stagingTable(slice),
                        sliceStart(rows, slices, slice),
                        sliceStart(rows, slices, slice + 1));
                  } catch (Throwable e) {
                    failures[slice] = e;
                  }
                },
                "defer4j-writer-" + k);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      try {
        fillSlice(conn, staging, stagingTable(0), 0, sliceStart(rows, slices, 1));
      } catch (Throwable e) {
        failures[0] = e;
      }
    } finally {
      joinAll(threads);
      for (Connection c : connections) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // The slice's data is committed or the write fails anyway; the database is in memory.
        }
      }
    }
    rethrowFirst(failures);
  }

  /** Appends one slice in a single transaction (one commit instead of one per 2,048 rows). */
  private static void fillSlice(Connection c, Staging staging, String table, int from, int to)
      throws SQLException {
    c.setAutoCommit(false);
    try (DuckDBAppender ap =
        c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
      staging.fill(ap, from, to);
      // close() would flush too but swallows the error of that last flush
      ap.flush();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void rethrowFirst(Throwable[] failures) throws SQLException {
    Throwable first = null;
    for (Throwable f : failures) {
      if (f == null) {
        continue;
      }
      if (first == null) {
        first = f;
      } else if (f != first) {
        first.addSuppressed(f);
      }
    }
    if (first == null) {
      return;
    }
    if (first instanceof SQLException e) {
      throw e;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(first);
  }

  @FunctionalInterface
  private interface Body {
    void write(Connection conn, Path tmp, TableFormat format) throws SQLException;
  }

  /**
   * Runs {@code body} on a fresh connection to write a temporary sibling of {@code file}, then
   * moves it into place, so a reader never sees a half-written file.
   */
  private static void writeThrough(Path file, String what, Body body) {
    TableFormat format = TableFormat.of(file);
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      Files.delete(tmp);
      try (Connection conn = DuckDb.connect()) {
        body.write(conn, tmp, format);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + what + " " + file + ": " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new UncheckedIOException(
          "cannot write " + what + " " + file + ": " + DuckDb.summary(e), new IOException(e));
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the temporary file is hidden and the write already failed or succeeded.
        }
      }
    }
  }

  /** One output column: its name, SQL type and how to append row {@code i}. */
  record Column(String name, String type, Cell cell) {}

  @FunctionalInterface
  interface Cell {
    void append(DuckDBAppender appender, int row) throws SQLException;
  }

  private static List<Column> columns(DeferralTable t, TaskSpec spec, boolean cases) {
    Check check = new Check(t);
    List<Column> out = new ArrayList<>();
    List<String> classes = spec.classes();
    int k = classes.size();
    if (t.hasIds()) {
      out.add(text("id", i -> check.nonEmpty("id", t.id(i), i)));
    }
    if (t.hasGroups()) {
      out.add(text("group", i -> check.nonEmpty("group", t.group(i), i)));
    }
    if (t.hasWeights()) {
      out.add(
          number(
              "weight",
              i -> {
                double w = check.finite("weight", t.weight(i), i);
                return w < 0 ? check.fail(i, "weight", "weight must be >= 0, got " + w) : w;
              }));
    }
    if (t.hasLabels()) {
      if (k == 0) {
        throw new IllegalArgumentException(
            t.source() + ": the table has labels but the task spec declares no classes");
      }
      out.add(text("y", i -> classes.get(check.classIndex("y", t.label(i), k, false, i))));
    } else if (spec.kind().hasLabels() && !cases) {
      throw new IllegalArgumentException(
          t.source() + ": a " + spec.kind().specName() + " task needs labels; the table has none");
    }
    if (t.hasTargets()) {
      out.add(number("t", i -> check.finite("t", t.target(i), i)));
    } else if (spec.kind().hasTargets() && !cases) {
      throw new IllegalArgumentException(
          t.source() + ": a " + spec.kind().specName() + " task needs targets; the table has none");
    }
    int d = t.featureCount();
    for (int j = 0; j < d; j++) {
      String name = "x." + t.featureNames().get(j);
      int col = j;
      out.add(number(name, i -> check.finite(name, t.feature(i, col), i)));
    }
    Set<String> declared = new HashSet<>(spec.observedAgentNames());
    for (String a : spec.observedAgentNames()) {
      if (!t.agents().containsKey(a) && !cases) {
        throw new IllegalArgumentException(
            t.source() + ": agent '" + a + "' is declared in the task spec but has no columns");
      }
    }
    for (Map.Entry<String, AgentColumns> e : t.agents().entrySet()) {
      String a = e.getKey();
      AgentColumns c = e.getValue();
      if (!declared.contains(a)) {
        throw new IllegalArgumentException(
            t.source() + ": agent '" + a + "' is not declared in the task spec");
      }
      if (c.hasPredictedClass()) {
        if (k == 0) {
          throw new IllegalArgumentException(
              t.source() + ": agent '" + a + "' has predicted classes but the spec has no classes");
        }
        String name = "m." + a + ".y";
        out.add(
            text(
                name,
                i -> {
                  int v = c.predictedClass(i);
                  return v == AgentColumns.UNOBSERVED
                      ? null
                      : classes.get(check.classIndex(name, v, k, true, i));
                }));
      }
      if (c.hasPredictedValue()) {
        String name = "m." + a + ".t";
        out.add(number(name, i -> check.optional(name, c.predictedValue(i), i)));
      }
      if (c.hasProbabilities()) {
        if (c.probabilityClasses() != k) {
          throw new IllegalArgumentException(
              t.source()
                  + ": agent '"
                  + a
                  + "' has probabilities over "
                  + c.probabilityClasses()
                  + " classes, the spec declares "
                  + k);
        }
        for (int kk = 0; kk < k; kk++) {
          String name = "m." + a + ".p." + classes.get(kk);
          int cls = kk;
          out.add(number(name, i -> check.probability(name, c, cls, k, i)));
        }
      }
      if (c.hasCost()) {
        String name = "cost." + a;
        out.add(
            number(
                name,
                i -> {
                  double v = check.optional(name, c.cost(i), i);
                  return v < 0 ? check.fail(i, name, "cost must be >= 0, got " + v) : v;
                }));
      }
    }
    for (Map.Entry<String, boolean[]> e : t.availability().entrySet()) {
      if (!declared.contains(e.getKey())) {
        throw new IllegalArgumentException(
            t.source()
                + ": agent '"
                + e.getKey()
                + "' has availability but is not declared in the task spec");
      }
      boolean[] v = e.getValue();
      out.add(new Column("avail." + e.getKey(), "INTEGER", (ap, i) -> ap.append(v[i] ? 1 : 0)));
    }
    for (Map.Entry<String, String[]> e : t.text().entrySet()) {
      if (!e.getKey().equals(spec.textColumn())) {
        throw new IllegalArgumentException(
            t.source()
                + ": text column '"
                + e.getKey()
                + "' is not the task spec's text column ("
                + spec.textColumn()
                + ")");
      }
      String[] v = e.getValue();
      out.add(text(e.getKey(), i -> v[i]));
    }
    Set<String> seen = new HashSet<>();
    for (Column c : out) {
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            t.source()
                + ": column "
                + c.name()
                + " appears twice (column names are compared ignoring case)");
      }
    }
    return out;
  }

  @FunctionalInterface
  interface TextValue {
    String get(int row);
  }

  @FunctionalInterface
  interface NumberValue {
    double get(int row);
  }

  static Column text(String name, TextValue v) {
    return new Column(
        name,
        "VARCHAR",
        (ap, i) -> {
          String s = v.get(i);
          if (s == null) {
            ap.appendNull();
          } else {
            ap.append(s);
          }
        });
  }

  static Column number(String name, NumberValue v) {
    return new Column(
        name,
        "DOUBLE",
        (ap, i) -> {
          double x = v.get(i);
          if (Double.isNaN(x)) {
            ap.appendNull();
          } else {
            ap.append(x);
          }
        });
  }

  private static void fill(Connection conn, List<Column> columns, int rows) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + TABLE + " (");
    for (int c = 0; c < columns.size(); c++) {
      ddl.append(c == 0 ? "" : ", ")
          .append(DuckDb.ident(columns.get(c).name()))
          .append(' ')
          .append(columns.get(c).type());
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("the table has no columns to write");
    }
    try (Statement st = conn.createStatement()) {
      st.execute(ddl.append(')').toString());
    }
    Cell[] cells = columns.stream().map(Column::cell).toArray(Cell[]::new);
    DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
    // One transaction: an autocommitted appender commits every 2,048 rows, which costs more than
    // the appends themselves.
    conn.setAutoCommit(false);
    try (DuckDBAppender ap = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
      for (int i = 0; i < rows; i++) {
        ap.beginRow();
        for (Cell c : cells) {
          c.append(ap, i);
        }
        ap.endRow();
      }
      // close() would flush too but swallows the error of that last flush
      ap.flush();
    }
    conn.commit();
    conn.setAutoCommit(true);
  }

  /** Copies {@code source} (a table name or a parenthesised query) to {@code tmp}. */
  private static void copy(Connection conn, String source, Path tmp, TableFormat format)
      throws SQLException {
    String options =
        switch (format) {
          case CSV -> "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"'";
          case CSV_GZIP ->
              "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"',"
                  + " COMPRESSION gzip";
          case PARQUET -> "FORMAT parquet";
        };
    try (Statement st = conn.createStatement()) {
      st.execute("COPY " + source + " TO " + DuckDb.literal(tmp.toString()) + " (" + options + ")");
    }
  }

  /** The checks that keep the writer from producing a file the reader would reject. */
  private static final class Check {
    private final String source;

    Check(DeferralTable t) {
      this.source = t.source();
    }

    double fail(int i, String column, String detail) {
      throw new IllegalArgumentException(
          source + ": row " + (i + 1) + ", column " + column + ": " + detail);
    }

    double finite(String column, double v, int i) {
      return Double.isFinite(v) ? v : fail(i, column, "not a finite number: " + v);
    }

    double optional(String column, double v, int i) {
      return Double.isNaN(v) || Double.isFinite(v)
          ? v
          : fail(i, column, "not a finite number: " + v);
    }

    double probability(String column, AgentColumns c, int cls, int k, int i) {
      double v = c.probability(i, cls);
      if (cls == 0) {
        boolean rowObserved = !Double.isNaN(v);
        for (int kk = 1; kk < k; kk++) {
          if (Double.isNaN(c.probability(i, kk)) == rowObserved) {
            fail(i, column, "an agent's probabilities on a row must be all given or all NaN");
          }
        }
      }
      if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
        fail(i, column, "a probability must lie in [0, 1], got " + v);
      }
      return v;
    }

    String nonEmpty(String column, String v, int i) {
      if (v == null || v.isEmpty()) {
        fail(i, column, "empty " + column);
      }
      return v;
    }

    int classIndex(String column, int v, int k, boolean unobservedAllowed, int i) {
      if (v < 0 || v >= k) {
        fail(
            i,
            column,
            "class index "
                + v
                + " is outside [0, "
                + k
                + ")"
                + (unobservedAllowed ? " and is not " + AgentColumns.UNOBSERVED : ""));
      }
      return v;
    }
  }
}
