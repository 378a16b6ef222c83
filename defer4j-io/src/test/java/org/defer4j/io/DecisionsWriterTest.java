package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bulk decisions write against the cell-by-cell one ({@link DecisionsWriter#writeCells}) and
 * against the decisions themselves: every column name, type and value read back with DuckDB, from
 * CSV, gzipped CSV and Parquet, in one slice and in several.
 */
class DecisionsWriterTest {
  @TempDir Path dir;

  static final TaskSpec TASK =
      TaskSpec.classification(
          List.of("no", "yes", "a, \"b\"", "it's", "ünï\nline"),
          null,
          List.of(Agent.expert("alice", 0.1), Agent.expert("bob_2", 0), Agent.expert("C-3", 1)));

  static final AgentSet AGENTS = TASK.agents();

  /** Doubles whose decimal form is hard to round-trip, and the special values. */
  static final double[] HARD = {
    0.1,
    1.0 / 3,
    -0.0,
    0.0,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    9007199254740993.0,
    1e23,
    -6.02214076e23,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY
  };

  enum Prediction {
    NONE,
    CLASS,
    VALUE
  }

  /** Seeded decisions with the optional columns asked for. */
  static Decisions decisions(
      int n, long seed, boolean ids, boolean scores, boolean expected, Prediction prediction) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int a = AGENTS.size();
    int[] chosen = new int[n];
    boolean[] fallback = new boolean[n];
    for (int i = 0; i < n; i++) {
      chosen[i] = rnd.nextInt(a);
      fallback[i] = rnd.nextInt(5) == 0;
    }
    Decisions.Builder b = Decisions.builder(AGENTS, chosen).fallback(fallback);
    if (scores) {
      b.scores(doubles(n * a, rnd));
    }
    if (expected) {
      b.expectedCosts(doubles(n * a, rnd));
    }
    if (prediction == Prediction.CLASS) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = rnd.nextInt(TASK.classCount());
      }
      b.predictedClass(p);
    } else if (prediction == Prediction.VALUE) {
      b.predictedValue(doubles(n, rnd));
    }
    if (ids) {
      String[] odd = {"plain", "comma, here", "quote \"q\"", "line\nbreak", "ünï", " pad "};
      String[] s = new String[n];
      for (int i = 0; i < n; i++) {
        s[i] = i % 7 == 3 ? Integer.toString(i + 1) : "case-" + (n - i) + odd[i % odd.length];
      }
      b.ids(s);
    }
    return b.build();
  }

  private static double[] doubles(int m, SplittableRandom rnd) {
    double[] v = new double[m];
    for (int i = 0; i < m; i++) {
      v[i] =
          switch (rnd.nextInt(3)) {
            case 0 -> HARD[rnd.nextInt(HARD.length)];
            case 1 -> rnd.nextGaussian();
            default -> Double.longBitsToDouble(rnd.nextLong()) % 1e300;
          };
      if (!Double.isNaN(v[i]) && rnd.nextInt(4) == 0) {
        v[i] = Math.round(v[i] * 1000) / 1000.0;
      }
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void everyShapeMatchesTheCellByCellWriteAndTheDecisions(int slices) throws Exception {
    int n = 3_001;
    long seed = 1;
    for (boolean ids : new boolean[] {false, true}) {
      for (boolean scores : new boolean[] {false, true}) {
        for (boolean expected : new boolean[] {false, true}) {
          for (Prediction p : Prediction.values()) {
            Decisions d = decisions(n, seed++, ids, scores, expected, p);
            String what = ids + "/" + scores + "/" + expected + "/" + p + "/" + slices;
            for (String ext : new String[] {".csv", ".parquet"}) {
              Path fast = dir.resolve("fast" + ext);
              Path cells = dir.resolve("cells" + ext);
              DecisionsWriter.write(d, TASK, fast, slices);
              DecisionsWriter.writeCells(d, TASK, cells);
              if (ext.equals(".csv")) {
                assertThat(Files.readString(fast)).as(what).isEqualTo(Files.readString(cells));
              }
              assertThat(schema(fast)).as(what).isEqualTo(schema(cells));
              checkValues(fast, d, what);
            }
          }
        }
      }
    }
  }

  @Test
  void headerOfRouteDecisions() throws Exception {
    Decisions d = decisions(3, 7, false, true, true, Prediction.CLASS);
    Path f = dir.resolve("d.csv");
    DecisionsWriter.write(d, TASK, f);
    assertThat(Files.readAllLines(f, StandardCharsets.UTF_8).get(0))
        .isEqualTo(
            "id,agent,fallback,score.model,score.alice,score.bob_2,score.C-3,"
                + "expected_cost.model,expected_cost.alice,expected_cost.bob_2,expected_cost.C-3,"
                + "prediction");
  }

  @Test
  void rowsAcrossManySlicesChunksAndRowGroupsKeepTheirOrder() throws Exception {
    // More rows than a Parquet row group (122,880) and many appender chunks (2,048) per slice.
    int n = 300_017;
    Decisions d = decisions(n, 11, false, true, false, Prediction.VALUE);
    for (int slices : new int[] {1, 4}) {
      Path f = dir.resolve("big-" + slices + ".parquet");
      DecisionsWriter.write(d, TASK, f, slices);
      checkValues(f, d, "slices " + slices);
    }
    Path csv = dir.resolve("big.csv");
    DecisionsWriter.write(d, TASK, csv, 4);
    Path cells = dir.resolve("big-cells.csv");
    DecisionsWriter.writeCells(d, TASK, cells);
    assertThat(Files.mismatch(csv, cells)).isEqualTo(-1L);
  }

  @Test
  void defaultSlicingMatchesOneSlice() throws Exception {
    int n = 3 * DeferralTableWriter.MIN_SLICE_ROWS + 5;
    Decisions d = decisions(n, 13, true, true, true, Prediction.CLASS);
    Path auto = dir.resolve("auto.csv");
    Path one = dir.resolve("one.csv");
    DecisionsWriter.write(d, TASK, auto);
    DecisionsWriter.write(d, TASK, one, 1);
    assertThat(Files.mismatch(auto, one)).isEqualTo(-1L);
  }

  @Test
  void gzippedCsvHoldsTheSameText() throws Exception {
    Decisions d = decisions(2_000, 17, true, true, true, Prediction.CLASS);
    Path gz = dir.resolve("d.csv.gz");
    Path csv = dir.resolve("d.csv");
    DecisionsWriter.write(d, TASK, gz, 2);
    DecisionsWriter.writeCells(d, TASK, csv);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(csv));
    }
    checkValues(gz, d, "gzip");
  }

  @Test
  void emptyDecisions() throws Exception {
    Decisions d = decisions(0, 19, false, true, true, Prediction.CLASS);
    for (String ext : new String[] {".csv", ".parquet"}) {
      Path fast = dir.resolve("e" + ext);
      Path cells = dir.resolve("ec" + ext);
      DecisionsWriter.write(d, TASK, fast);
      DecisionsWriter.writeCells(d, TASK, cells);
      assertThat(schema(fast)).isEqualTo(schema(cells));
      checkValues(fast, d, ext);
    }
    assertThat(Files.readString(dir.resolve("e.csv")))
        .isEqualTo(Files.readString(dir.resolve("ec.csv")));
  }

  @Test
  void idsThatAreRowNumbers() {
    assertThat(DecisionsWriter.isDecimal("1", 1)).isTrue();
    assertThat(DecisionsWriter.isDecimal("1000000", 1_000_000)).isTrue();
    assertThat(DecisionsWriter.isDecimal("01", 1)).isFalse();
    assertThat(DecisionsWriter.isDecimal("10", 1)).isFalse();
    assertThat(DecisionsWriter.isDecimal("", 1)).isFalse();
    assertThat(DecisionsWriter.isDecimal(null, 1)).isFalse();
    assertThat(DecisionsWriter.isDecimal("2147483647", Integer.MAX_VALUE)).isTrue();
    assertThat(
            DecisionsWriter.idsAreRowNumbers(
                decisions(50, 1, false, false, false, Prediction.NONE)))
        .isTrue();
    assertThat(
            DecisionsWriter.idsAreRowNumbers(decisions(50, 1, true, false, false, Prediction.NONE)))
        .isFalse();
    String[] rowNumbers = {"1", "2", "3"};
    Decisions given = Decisions.builder(AGENTS, new int[] {0, 1, 2}).ids(rowNumbers).build();
    assertThat(DecisionsWriter.idsAreRowNumbers(given)).isTrue();
  }

  @Test
  void nullIdsStayNull() throws Exception {
    Decisions d =
        Decisions.builder(AGENTS, new int[] {0, 1, 2}).ids(new String[] {"a", null, "3"}).build();
    for (String ext : new String[] {".csv", ".parquet"}) {
      Path fast = dir.resolve("n" + ext);
      Path cells = dir.resolve("nc" + ext);
      DecisionsWriter.write(d, TASK, fast);
      DecisionsWriter.writeCells(d, TASK, cells);
      assertThat(rows(fast)).isEqualTo(rows(cells));
    }
  }

  @Test
  void badIndicesFailAsTheCellByCellWriteDoes() {
    Decisions agent = Decisions.builder(AGENTS, new int[] {0, 4, 1}).build();
    Path f = dir.resolve("bad.csv");
    assertThatThrownBy(() -> DecisionsWriter.writeCells(agent, TASK, f))
        .isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DecisionsWriter.write(agent, TASK, f))
        .isInstanceOf(ArrayIndexOutOfBoundsException.class)
        .hasMessageContaining("4");
    Decisions cls =
        Decisions.builder(AGENTS, new int[] {0, 1, 1}).predictedClass(new int[] {0, -1, 2}).build();
    assertThatThrownBy(() -> DecisionsWriter.writeCells(cls, TASK, f))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DecisionsWriter.write(cls, TASK, f))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(f).doesNotExist();
  }

  @Test
  void agentNamesThatDifferOnlyInCaseFailAsBefore() {
    TaskSpec task =
        TaskSpec.classification(
            List.of("x", "y"), null, List.of(Agent.expert("A", 0), Agent.expert("a", 0)));
    Decisions d = Decisions.builder(task.agents(), new int[] {0, 1}).scores(new double[6]).build();
    Path f = dir.resolve("case.csv");
    assertThatThrownBy(() -> DecisionsWriter.write(d, task, f))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(f).doesNotExist();
  }

  /** Column names and DuckDB types of a written file. */
  private static List<String> schema(Path file) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DuckDb.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + scan(file))) {
      while (rs.next()) {
        out.add(rs.getString("column_name") + " " + rs.getString("column_type"));
      }
    }
    return out;
  }

  /** Every cell as text (doubles by their bits), row by row. */
  private static List<String> rows(Path file) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DuckDb.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + scan(file))) {
      int m = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int k = 1; k <= m; k++) {
          Object v = rs.getObject(k);
          b.append(v instanceof Double x ? Long.toHexString(Double.doubleToRawLongBits(x)) : v)
              .append('|');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  private static String scan(Path file) {
    String f = DuckDb.literal(file.toString());
    return file.toString().endsWith(".parquet")
        ? "read_parquet(" + f + ")"
        : "read_csv(" + f + ", header = true, all_varchar = true, quote = '\"', escape = '\"')";
  }

  /** Reads the file back and checks every column name and value against the decisions. */
  private static void checkValues(Path file, Decisions d, String what) throws SQLException {
    boolean csv = !file.toString().endsWith(".parquet");
    String[] names = AGENTS.names();
    List<String> columns = new ArrayList<>(List.of("id", "agent", "fallback"));
    if (d.hasScores()) {
      for (String n : names) {
        columns.add("score." + n);
      }
    }
    if (d.hasExpectedCosts()) {
      for (String n : names) {
        columns.add("expected_cost." + n);
      }
    }
    if (d.hasPredictedClass() || d.hasPredictedValue()) {
      columns.add("prediction");
    }
    try (Connection c = DuckDb.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + scan(file))) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> got = new ArrayList<>();
      for (int k = 1; k <= md.getColumnCount(); k++) {
        got.add(md.getColumnName(k));
      }
      assertThat(got).as(what).isEqualTo(columns);
      int i = 0;
      while (rs.next()) {
        String at = what + " " + file.getFileName() + " row " + (i + 1);
        assertThat(rs.getString(1)).as(at).isEqualTo(d.id(i));
        assertThat(rs.getString(2)).as(at).isEqualTo(names[d.agent(i)]);
        assertThat(rs.getString(3)).as(at).isEqualTo(d.fellBack(i) ? "1" : "0");
        int k = 4;
        if (d.hasScores()) {
          for (int j = 0; j < names.length; j++) {
            checkDouble(rs, k++, d.score(i, j), csv, at);
          }
        }
        if (d.hasExpectedCosts()) {
          for (int j = 0; j < names.length; j++) {
            checkDouble(rs, k++, d.expectedCost(i, j), csv, at);
          }
        }
        if (d.hasPredictedClass()) {
          assertThat(rs.getString(k)).as(at).isEqualTo(TASK.classes().get(d.predictedClass(i)));
        } else if (d.hasPredictedValue()) {
          checkDouble(rs, k, d.predictedValue(i), csv, at);
        }
        i++;
      }
      assertThat(i).as(what).isEqualTo(d.rows());
    }
  }

  private static void checkDouble(ResultSet rs, int k, double expected, boolean csv, String at)
      throws SQLException {
    if (csv) {
      String s = rs.getString(k);
      if (Double.isNaN(expected)) {
        assertThat(s).as(at).isNull();
      } else {
        assertThat(s).as(at).isNotNull();
        double v =
            switch (s) {
              case "inf", "Infinity" -> Double.POSITIVE_INFINITY;
              case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
              default -> Double.parseDouble(s);
            };
        assertThat(Double.doubleToRawLongBits(v))
            .as(at + " " + s)
            .isEqualTo(Double.doubleToRawLongBits(expected));
      }
    } else {
      double v = rs.getDouble(k);
      if (Double.isNaN(expected)) {
        assertThat(rs.wasNull()).as(at).isTrue();
      } else {
        assertThat(rs.wasNull()).as(at).isFalse();
        assertThat(Double.doubleToRawLongBits(v))
            .as(at)
            .isEqualTo(Double.doubleToRawLongBits(expected));
      }
    }
  }
}
