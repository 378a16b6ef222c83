package org.defer4j.io;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.ColumnLayout.AgentLayout;

/**
 * Reads a deferral table (DESIGN.md §4) from CSV ({@code .csv}, {@code .csv.gz}) or Parquet ({@code
 * .parquet}) through an in-memory DuckDB database.
 *
 * <p><b>Columns.</b> {@code y} (a class name, or its index 0..K−1 when no class name is itself an
 * integer), {@code t}, {@code x.<name>}, {@code m.<agent>.y}, {@code m.<agent>.t}, {@code
 * m.<agent>.p.<k>} ({@code k} a class name or index; all K classes present), {@code cost.<agent>},
 * {@code avail.<agent>}, {@code id}, {@code group}, {@code weight}, and the spec's text column.
 * Every agent in those columns must be declared in the spec and every declared agent must have a
 * column. CSV files are comma-separated with a header row and {@code "} quoting.
 *
 * <p><b>Cases.</b> {@link #readCases} reads a cases table, what a deployed router reads: only what
 * is known before the outcome. There {@code y}, {@code t} and the agents' {@code m.*} / {@code
 * cost.*} columns are optional and a declared agent may have no column; the columns that are
 * present are checked and read exactly as by {@link #read}, so a labelled table read as cases keeps
 * its labels. The spec's text column is required in both modes.
 *
 * <p><b>Cells.</b> Labels must be present and among the classes; {@code t}, {@code x.*} and {@code
 * weight} must be finite numbers (weights ≥ 0). An empty {@code m.*} or {@code cost.*} cell means
 * the agent did not see the case ({@link AgentColumns#UNOBSERVED} for a class, NaN for a number); a
 * present one must be a class, a finite number, a probability in [0, 1] or a cost ≥ 0, and an
 * agent's probabilities on a row are all present or all empty. An {@code avail.*} cell is 1 or 0
 * ({@code true} or {@code false} also accepted): 1 when the agent may be asked for the case now; an
 * empty one is rejected. Empty {@code id} and {@code group} cells are rejected, an empty text cell
 * is the empty string. Nothing is dropped or imputed: the first violation stops the read with a
 * {@link TableFormatException} naming the file, the 1-based data row and the column.
 *
 * <p><b>Files.</b> A table needs at least one row: a header-only file is rejected ("FILE: the table
 * has no rows"), so no command goes on to report n = 0. A CSV record that does not parse (a row
 * with more or fewer values than the header, a quote that is never closed, text that is not UTF-8)
 * is reported at its 1-based data row, as every cell problem is: DuckDB's line numbers count the
 * header, defer4j's rows do not.
 *
 * <p><b>Speed.</b> DuckDB parses and types the file (in parallel, declared types for CSV so a bad
 * cell fails the parse rather than turning the column into text) and maps class names to indices
 * with an {@code ENUM} cast; Java makes one pass over the streamed result, column by index, into
 * primitive arrays sized from the row count, with a range check per cell. Offending cells are
 * located with SQL ({@code TRY_CAST}) only after a failure, to build the message.
 */
public final class DeferralTableReader {
  /** The largest Java array the reader allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  private DeferralTableReader() {}

  /**
   * Reads a labelled deferral table: truth and every declared agent's outputs or costs.
   *
   * @param file a {@code .csv}, {@code .csv.gz} or {@code .parquet} file
   * @param spec the task spec that declares the classes, the agents and the text column
   * @return the table, its source set to {@code file}
   * @throws TableFormatException when the file breaks the data contract, naming file, row and
   *     column
   * @throws IllegalArgumentException when the extension is not one of the above
   * @throws UncheckedIOException when the file does not exist ("FILE: no such file")
   */
  public static DeferralTable read(Path file, TaskSpec spec) {
    return load(file, spec, false);
  }

  /**
   * Reads a cases table (DESIGN.md §4): what a router reads before the outcome. Truth ({@code y},
   * {@code t}) and the agents' {@code m.*} / {@code cost.*} columns may be absent; those present
   * are validated and read as by {@link #read}. Agents without any column are left out of {@link
   * DeferralTable#agents()}.
   *
   * @param file a {@code .csv}, {@code .csv.gz} or {@code .parquet} file
   * @param spec the task spec that declares the classes, the agents and the text column
   * @return the table, its source set to {@code file}
   * @throws TableFormatException when the file breaks the data contract, naming file, row and
   *     column
   * @throws IllegalArgumentException when the extension is not one of the above
   * @throws UncheckedIOException when the file does not exist ("FILE: no such file")
   */
  public static DeferralTable readCases(Path file, TaskSpec spec) {
    return load(file, spec, true);
  }

  /**
   * Reads a labelled table that is an online stream (DESIGN.md §4): as {@link #read}, and it may
   * also hold a {@code time} column giving the rounds' order. The rows are returned sorted by time
   * (ties keep file order): as numbers when every cell is a number, otherwise as text, which orders
   * ISO-8601 dates and timestamps. Without a {@code time} column the rows keep file order. Messages
   * about cells name the rows of the file.
   *
   * @throws TableFormatException as {@link #read} does, and for an empty {@code time} cell
   */
  public static DeferralTable readStream(Path file, TaskSpec spec) {
    return load(file, spec, false, true);
  }

  private static DeferralTable load(Path file, TaskSpec spec, boolean cases) {
    return load(file, spec, cases, false);
  }

  private static DeferralTable load(Path file, TaskSpec spec, boolean cases, boolean stream) {
    Objects.requireNonNull(spec, "spec");
    TableFormat format = TableFormat.of(file);
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      String reason = Files.isDirectory(file) ? "a folder, not a table file" : "no such file";
      throw new UncheckedIOException(
          name + ": " + reason, new NoSuchFileException(name, null, reason));
    }
    try (Connection conn = DuckDb.connect()) {
      return new Load(conn, file, format, spec, cases, stream).run();
    } catch (SQLException e) {
      throw DuckDb.problem(e).exception(name, e);
    }
  }

  /** One read: the connection, the layout and the staged relation. */
  private static final class Load {
    private static final String SOURCE_TABLE = "__defer4j_source";
    private static final String RAW_TABLE = "__defer4j_raw";
    private static final String CLASS_TYPE = "__defer4j_classes";
    private static final String INDEX_TYPE = "__defer4j_class_indices";

    private final Connection conn;
    private final Path source;
    private final String file;
    private final String path;
    private final TableFormat format;
    private final TaskSpec spec;
    private final boolean cases;
    private final boolean stream;
    private ColumnLayout layout;
    private final Map<String, String> parquetTypes = new HashMap<>();

    /** What the scan selects from. */
    private String relation;

    /** The same rows with their 0-based position in the file as {@code __pos}. */
    private String positioned;

    Load(
        Connection conn,
        Path file,
        TableFormat format,
        TaskSpec spec,
        boolean cases,
        boolean stream) {
      this.stream = stream;
      this.conn = conn;
      this.source = file;
      this.file = file.toString();
      this.path = DuckDb.literal(file.toAbsolutePath().toString());
      this.format = format;
      this.spec = spec;
      this.cases = cases;
    }

    DeferralTable run() throws SQLException {
      layout = ColumnLayout.of(file, header(), spec, cases, stream);
      stage();
      long n = count();
      if (n == 0) {
        throw new TableFormatException(file, 0, null, "the table has no rows");
      }
      long width = Math.max(1, layout.features.size());
      if (n * width > MAX_ARRAY || n * Math.max(1, spec.classCount()) > MAX_ARRAY) {
        throw new TableFormatException(
            file, 0, null, n + " rows are too many to hold in one table; split the file");
      }
      createClassTypes();
      DeferralTable table = scan((int) n);
      return layout.time == null ? table : inTimeOrder(table);
    }

    /** The table's rows sorted by the time column (stable). */
    private DeferralTable inTimeOrder(DeferralTable table) throws SQLException {
      int n = table.rows();
      String[] times = new String[n];
      String sql =
          "SELECT __pos, CAST("
              + DuckDb.ident(layout.time)
              + " AS VARCHAR) FROM "
              + positioned
              + " ORDER BY __pos";
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        int i = 0;
        while (rs.next() && i < n) {
          String v = rs.getString(2);
          if (v == null || v.isBlank()) {
            throw new TableFormatException(file, i + 1, layout.time, "empty time cell");
          }
          times[i++] = v.trim();
        }
      }
      double[] numeric = new double[n];
      boolean allNumbers = true;
      for (int i = 0; i < n && allNumbers; i++) {
        try {
          numeric[i] = Double.parseDouble(times[i]);
          allNumbers = Double.isFinite(numeric[i]);
        } catch (NumberFormatException e) {
          allNumbers = false;
        }
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      final boolean byNumber = allNumbers;
      java.util.Arrays.sort(
          order,
          (a, b) ->
              byNumber ? Double.compare(numeric[a], numeric[b]) : times[a].compareTo(times[b]));
      int[] perm = new int[n];
      boolean identity = true;
      for (int i = 0; i < n; i++) {
        perm[i] = order[i];
        identity &= perm[i] == i;
      }
      return identity ? table : table.select(perm);
    }

    private List<String> header() throws SQLException {
      List<String> names = new ArrayList<>();
      if (format.isCsv()) {
        // Read in Java: DuckDB would silently rename a repeated name, and its dialect sniffer
        // costs more than the whole header.
        List<String> header = CsvHeader.read(source, format == TableFormat.CSV_GZIP, file);
        if (header == null) {
          throw new TableFormatException(file, 0, null, "the file is empty; expected a header");
        }
        names.addAll(header);
      } else {
        String sql = "DESCRIBE SELECT * FROM read_parquet(" + path + ")";
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            names.add(rs.getString(1));
            parquetTypes.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return names;
    }

    private String csv(String options) {
      return "read_csv("
          + path
          + ", delim=',', quote='\"', escape='\"', comment='', auto_detect=false, "
          + options
          + ")";
    }

    private String columnTypes(boolean allText) {
      Set<String> numeric = new HashSet<>(layout.numericColumns());
      StringBuilder sb = new StringBuilder("columns={");
      for (int i = 0; i < layout.columns.size(); i++) {
        String c = layout.columns.get(i);
        sb.append(i == 0 ? "" : ", ").append(DuckDb.literal(c)).append(": ");
        sb.append(!allText && numeric.contains(c) ? "'DOUBLE'" : "'VARCHAR'");
      }
      return sb.append('}').toString();
    }

    private void stage() throws SQLException {
      if (format.isCsv()) {
        // Staging in a table lets DuckDB parse in parallel and gives the row count for free.
        String sql =
            "CREATE TEMP TABLE "
                + SOURCE_TABLE
                + " AS SELECT * FROM "
                + csv("header=true, " + columnTypes(false));
        try (Statement st = conn.createStatement()) {
          st.execute(sql);
        } catch (SQLException e) {
          throw nonNumericOr(e);
        }
        relation = SOURCE_TABLE;
        positioned = "(SELECT rowid AS __pos, * FROM " + SOURCE_TABLE + ")";
      } else {
        relation = "read_parquet(" + path + ")";
        positioned =
            "(SELECT file_row_number AS __pos, * FROM read_parquet("
                + path
                + ", file_row_number=true))";
        for (String c : layout.numericColumns()) {
          if (!isCastableToDouble(parquetTypes.get(c))) {
            CellProblem p = findNonNumeric(positioned, List.of(c));
            if (p != null) {
              throw p.exception();
            }
          }
        }
      }
    }

    private static boolean isCastableToDouble(String type) {
      String t = type == null ? "" : type.toUpperCase(Locale.ROOT);
      return t.equals("DOUBLE")
          || t.equals("FLOAT")
          || t.equals("VARCHAR")
          || t.startsWith("DECIMAL")
          || t.matches("U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)")
          || t.equals("\"NULL\"")
          || t.equals("NULL");
    }

    /**
     * After DuckDB failed to type the file, finds the first cell of a numeric column that is not a
     * number; falls back to DuckDB's own message when there is none.
     */
    private TableFormatException nonNumericOr(SQLException e) {
      try {
        String rel = positioned;
        if (format.isCsv()) {
          try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + RAW_TABLE);
            st.execute(
                "CREATE TEMP TABLE "
                    + RAW_TABLE
                    + " AS SELECT * FROM "
                    + csv("header=true, " + columnTypes(true)));
          }
          rel = "(SELECT rowid AS __pos, * FROM " + RAW_TABLE + ")";
        }
        CellProblem p = findNonNumeric(rel, layout.numericColumns());
        if (p != null) {
          TableFormatException t = p.exception();
          t.initCause(e);
          return t;
        }
      } catch (SQLException ignored) {
        // The file cannot even be read as text; DuckDB's message on the typed read says why.
      }
      return DuckDb.problem(e).exception(file, e);
    }

    /** The first (row, column) among {@code columns} whose cell is present but not a number. */
    private CellProblem findNonNumeric(String rel, List<String> columns) throws SQLException {
      if (columns.isEmpty()) {
        return null;
      }
      StringBuilder which = new StringBuilder("CASE");
      StringBuilder value = new StringBuilder("CASE");
      StringBuilder any = new StringBuilder();
      for (String c : columns) {
        String text = "CAST(" + DuckDb.ident(c) + " AS VARCHAR)";
        String bad = "(" + text + " IS NOT NULL AND TRY_CAST(" + text + " AS DOUBLE) IS NULL)";
        which.append(" WHEN ").append(bad).append(" THEN ").append(DuckDb.literal(c));
        value.append(" WHEN ").append(bad).append(" THEN ").append(text);
        any.append(any.length() == 0 ? "" : " OR ").append(bad);
      }
      String sql =
          "SELECT __pos, "
              + which
              + " END, "
              + value
              + " END FROM "
              + rel
              + " WHERE "
              + any
              + " ORDER BY __pos LIMIT 1";
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        if (!rs.next()) {
          return null;
        }
        return new CellProblem(
            rs.getLong(1) + 1, rs.getString(2), "not a number: '" + rs.getString(3) + "'");
      }
    }

    private long count() throws SQLException {
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM " + relation)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    private void createClassTypes() throws SQLException {
      if (spec.classCount() == 0) {
        return;
      }
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TYPE " + CLASS_TYPE + " AS ENUM (" + enumValues(spec.classes()) + ")");
        if (ColumnLayout.indexSpellingAllowed(spec.classes())) {
          List<String> indices = new ArrayList<>();
          for (int k = 0; k < spec.classCount(); k++) {
            indices.add(Integer.toString(k));
          }
          st.execute("CREATE TYPE " + INDEX_TYPE + " AS ENUM (" + enumValues(indices) + ")");
        }
      }
    }

    private static String enumValues(List<String> values) {
      StringBuilder sb = new StringBuilder();
      for (String v : values) {
        sb.append(sb.length() == 0 ? "" : ", ").append(DuckDb.literal(v));
      }
      return sb.toString();
    }

    /**
     * A class cell as an index: −1 when empty, −2 when not a class. The ENUM casts are hash
     * lookups, so this costs the same for 3 classes or 3,000.
     */
    private String classIndex(String column) {
      String v = "CAST(" + DuckDb.ident(column) + " AS VARCHAR)";
      String byIndex =
          ColumnLayout.indexSpellingAllowed(spec.classes())
              ? ", CAST(enum_code(TRY_CAST(" + v + " AS " + INDEX_TYPE + ")) AS INTEGER)"
              : "";
      return "CAST(CASE WHEN "
          + v
          + " IS NULL OR "
          + v
          + " = '' THEN -1 ELSE coalesce(CAST(enum_code(TRY_CAST("
          + v
          + " AS "
          + CLASS_TYPE
          + ")) AS INTEGER)"
          + byIndex
          + ", -2) END AS INTEGER)";
    }

    /**
     * An availability cell as 1 or 0: −1 when empty, −2 when neither 0/1 nor true/false. Works on
     * any column type (a Parquet BOOLEAN prints as true/false, a number as its digits).
     */
    private String availabilityFlag(String column) {
      String v = "CAST(" + DuckDb.ident(column) + " AS VARCHAR)";
      String word = "lower(trim(" + v + "))";
      String number = "TRY_CAST(" + v + " AS DOUBLE)";
      return "CAST(CASE WHEN "
          + v
          + " IS NULL OR trim("
          + v
          + ") = '' THEN -1 WHEN "
          + word
          + " = 'true' OR "
          + number
          + " = 1 THEN 1 WHEN "
          + word
          + " = 'false' OR "
          + number
          + " = 0 THEN 0 ELSE -2 END AS INTEGER)";
    }

    private DeferralTable scan(int n) throws SQLException {
      Scan s = new Scan(n);
      try {
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery(s.sql)) {
          s.fill(rs);
        } catch (SQLException e) {
          throw nonNumericOr(e);
        }
      } catch (CellProblem p) {
        throw p.exception();
      }
      return s.build();
    }

    /** The raw text of one cell, for a message. */
    private String rawCell(String column, long row) {
      String sql =
          "SELECT CAST("
              + DuckDb.ident(column)
              + " AS VARCHAR) FROM "
              + positioned
              + " WHERE __pos = "
              + (row - 1);
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        return rs.next() ? rs.getString(1) : "?";
      } catch (SQLException e) {
        return "?";
      }
    }

    /** A bad cell found during the scan; thrown inside the loop and turned into a message after. */
    private final class CellProblem extends RuntimeException {
      private static final long serialVersionUID = 1L;
      private final long row;
      private final String column;
      private final String detail;

      /** Builds the detail from the cell's raw text, looked up only once the scan has stopped. */
      private final transient UnaryOperator<String> fromRaw;

      CellProblem(long row, String column, String detail) {
        this(row, column, detail, null);
      }

      private CellProblem(long row, String column, String detail, UnaryOperator<String> fromRaw) {
        super(detail, null, false, false);
        this.row = row;
        this.column = column;
        this.detail = detail;
        this.fromRaw = fromRaw;
      }

      TableFormatException exception() {
        String d = fromRaw == null ? detail : fromRaw.apply(rawCell(column, row));
        return new TableFormatException(file, row, column, d);
      }
    }

    /** A present class cell that names no class. */
    private CellProblem badClass(long row, String column) {
      return new CellProblem(
          row, column, null, raw -> "class '" + raw + "' is not one of " + spec.classes());
    }

    /** A present availability cell that is neither 0/1 nor true/false. */
    private CellProblem badAvailability(long row, String column) {
      return new CellProblem(
          row,
          column,
          null,
          raw -> "'" + raw + "' is not an availability; 0 or 1 expected (or true/false)");
    }

    /** The select list, the arrays it fills and the one pass that fills them. */
    private final class Scan {
      final String sql;
      final int n;
      final int d;
      final int labelCol;
      final int targetCol;
      final int weightCol;
      final int firstFeatureCol;
      final int idCol;
      final int groupCol;
      final int textCol;
      final AgentLayout[] agents;
      final int[][] agentCols;
      final int[] labels;
      final double[] targets;
      final double[] weights;
      final double[] features;
      final int[][] predictedClass;
      final double[][] predictedValue;
      final double[][] probabilities;
      final double[][] costs;
      final String[] ids;
      final String[] groups;
      final String[] text;
      final String[] availabilityAgents;
      final int[] availabilityCols;
      final boolean[][] availability;
      final List<String> columnOfIndex = new ArrayList<>();

      Scan(int n) {
        this.n = n;
        this.d = layout.features.size();
        int k = spec.classCount();
        List<String> select = new ArrayList<>();
        labelCol = layout.label == null ? 0 : add(select, classIndex(layout.label), layout.label);
        targetCol = layout.target == null ? 0 : add(select, dbl(layout.target), layout.target);
        weightCol = layout.weight == null ? 0 : add(select, dbl(layout.weight), layout.weight);
        firstFeatureCol = select.size() + 1;
        for (String f : layout.features) {
          add(select, dbl(f), f);
        }
        // In cases mode a declared agent may have no column; it is then not part of the table.
        agents =
            layout.agents.values().stream()
                .filter(AgentLayout::hasAnyColumn)
                .toArray(AgentLayout[]::new);
        agentCols = new int[agents.length][4];
        predictedClass = new int[agents.length][];
        predictedValue = new double[agents.length][];
        probabilities = new double[agents.length][];
        costs = new double[agents.length][];
        for (int a = 0; a < agents.length; a++) {
          AgentLayout g = agents[a];
          if (g.predictedClass != null) {
            agentCols[a][0] = add(select, classIndex(g.predictedClass), g.predictedClass);
            predictedClass[a] = new int[n];
          }
          if (g.predictedValue != null) {
            agentCols[a][1] = add(select, dbl(g.predictedValue), g.predictedValue);
            predictedValue[a] = new double[n];
          }
          if (g.probabilities != null) {
            agentCols[a][2] = select.size() + 1;
            for (String p : g.probabilities) {
              add(select, dbl(p), p);
            }
            probabilities[a] = new double[n * k];
          }
          if (g.cost != null) {
            agentCols[a][3] = add(select, dbl(g.cost), g.cost);
            costs[a] = new double[n];
          }
        }
        idCol = layout.id == null ? 0 : add(select, str(layout.id), layout.id);
        groupCol = layout.group == null ? 0 : add(select, str(layout.group), layout.group);
        textCol = layout.text == null ? 0 : add(select, str(layout.text), layout.text);
        availabilityAgents = layout.availability.keySet().toArray(new String[0]);
        availabilityCols = new int[availabilityAgents.length];
        availability = new boolean[availabilityAgents.length][n];
        for (int a = 0; a < availabilityAgents.length; a++) {
          String c = layout.availability.get(availabilityAgents[a]);
          availabilityCols[a] = add(select, availabilityFlag(c), c);
        }
        labels = labelCol == 0 ? null : new int[n];
        targets = targetCol == 0 ? null : new double[n];
        weights = weightCol == 0 ? null : new double[n];
        features = new double[n * d];
        ids = idCol == 0 ? null : new String[n];
        groups = groupCol == 0 ? null : new String[n];
        text = textCol == 0 ? null : new String[n];
        sql =
            select.isEmpty()
                ? "SELECT 0 FROM " + relation
                : "SELECT " + String.join(", ", select) + " FROM " + relation;
      }

      private int add(List<String> select, String expr, String column) {
        select.add(expr);
        columnOfIndex.add(column);
        return select.size();
      }

      private String dbl(String c) {
        return "CAST(" + DuckDb.ident(c) + " AS DOUBLE)";
      }

      private String str(String c) {
        return "CAST(" + DuckDb.ident(c) + " AS VARCHAR)";
      }

      private String column(int index) {
        return columnOfIndex.get(index - 1);
      }

      void fill(ResultSet rs) throws SQLException {
        int k = spec.classCount();
        int i = 0;
        while (rs.next()) {
          if (i == n) {
            throw new TableFormatException(file, 0, null, "the file grew while it was read");
          }
          long row = i + 1L;
          if (labelCol > 0) {
            int v = rs.getInt(labelCol);
            if (v < 0) {
              throw v == -1
                  ? new CellProblem(
                      row, layout.label, "empty class label; every row needs its true class")
                  : badClass(row, layout.label);
            }
            labels[i] = v;
          }
          if (targetCol > 0) {
            targets[i] = required(rs, targetCol, row, "target");
          }
          if (weightCol > 0) {
            double w = required(rs, weightCol, row, "weight");
            if (w < 0) {
              throw new CellProblem(row, layout.weight, "weight must be >= 0, got " + w);
            }
            weights[i] = w;
          }
          int base = i * d;
          for (int j = 0; j < d; j++) {
            double v = rs.getDouble(firstFeatureCol + j);
            if (!Double.isFinite(v)) {
              v = required(rs, firstFeatureCol + j, row, "feature");
            }
            features[base + j] = v;
          }
          for (int a = 0; a < agents.length; a++) {
            int[] cols = agentCols[a];
            if (cols[0] > 0) {
              int v = rs.getInt(cols[0]);
              if (v == -2) {
                throw badClass(row, column(cols[0]));
              }
              predictedClass[a][i] = v;
            }
            if (cols[1] > 0) {
              predictedValue[a][i] = optional(rs, cols[1], row);
            }
            if (cols[2] > 0) {
              readProbabilities(rs, cols[2], probabilities[a], i, k, row);
            }
            if (cols[3] > 0) {
              double c = optional(rs, cols[3], row);
              if (c < 0) {
                throw new CellProblem(row, column(cols[3]), "cost must be >= 0, got " + c);
              }
              costs[a][i] = c;
            }
          }
          if (idCol > 0) {
            ids[i] = requiredText(rs, idCol, row, "id");
          }
          if (groupCol > 0) {
            groups[i] = requiredText(rs, groupCol, row, "group");
          }
          if (textCol > 0) {
            String t = rs.getString(textCol);
            text[i] = t == null ? "" : t;
          }
          for (int a = 0; a < availabilityCols.length; a++) {
            int v = rs.getInt(availabilityCols[a]);
            if (v < 0) {
              String c = column(availabilityCols[a]);
              throw v == -1
                  ? new CellProblem(
                      row,
                      c,
                      "empty availability cell; 0 or 1 expected (1: the agent may be asked for"
                          + " this case, 0: not)")
                  : badAvailability(row, c);
            }
            availability[a][i] = v == 1;
          }
          i++;
        }
        if (i != n) {
          throw new TableFormatException(
              file, 0, null, "expected " + n + " rows, read " + i + "; the file changed");
        }
      }

      private double required(ResultSet rs, int col, long row, String what) throws SQLException {
        double v = rs.getDouble(col);
        if (Double.isFinite(v)) {
          return v;
        }
        if (rs.wasNull()) {
          throw new CellProblem(
              row,
              column(col),
              "empty " + what + " cell; nothing is imputed, every row needs a number here");
        }
        throw new CellProblem(row, column(col), "not a finite number: " + v);
      }

      private double optional(ResultSet rs, int col, long row) throws SQLException {
        double v = rs.getDouble(col);
        if (Double.isFinite(v) || rs.wasNull()) {
          return v;
        }
        throw new CellProblem(
            row,
            column(col),
            "not a finite number: "
                + v
                + " (leave the cell empty when the agent did not see the case)");
      }

      private void readProbabilities(ResultSet rs, int first, double[] out, int i, int k, long row)
          throws SQLException {
        int empty = 0;
        int base = i * k;
        for (int c = 0; c < k; c++) {
          double p = optional(rs, first + c, row);
          if (Double.isNaN(p)) {
            empty++;
          } else if (p < 0 || p > 1) {
            throw new CellProblem(
                row, column(first + c), "a probability must lie in [0, 1], got " + p);
          }
          out[base + c] = p;
        }
        if (empty != 0 && empty != k) {
          int c = 0;
          while (!Double.isNaN(out[base + c])) {
            c++;
          }
          throw new CellProblem(
              row,
              column(first + c),
              "empty while other probabilities of this agent on this row are given; an agent's"
                  + " probabilities are observed all together or not at all");
        }
      }

      private String requiredText(ResultSet rs, int col, long row, String what)
          throws SQLException {
        String s = rs.getString(col);
        if (s == null || s.isEmpty()) {
          throw new CellProblem(row, column(col), "empty " + what + " cell");
        }
        return s;
      }

      DeferralTable build() {
        DeferralTable.Builder b = DeferralTable.builder(file, n);
        List<String> names = new ArrayList<>();
        for (String f : layout.features) {
          names.add(f.substring(2));
        }
        b.features(names, features).labels(labels).targets(targets).weights(weights);
        b.ids(ids).groups(groups);
        int k = spec.classCount();
        for (int a = 0; a < agents.length; a++) {
          b.agent(
              agents[a].name,
              new AgentColumns(
                  n, predictedClass[a], predictedValue[a], probabilities[a], k, costs[a]));
        }
        if (text != null) {
          b.text(layout.text, text);
        }
        for (int a = 0; a < availabilityAgents.length; a++) {
          b.availability(availabilityAgents[a], availability[a]);
        }
        return b.build();
      }
    }
  }
}
