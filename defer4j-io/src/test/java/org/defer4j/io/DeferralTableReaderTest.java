package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.defer4j.io.TestTables.csv;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeferralTableReaderTest {
  @TempDir Path dir;

  static final TaskSpec HATE =
      TaskSpecIo.parse(
          """
          task: classification
          classes: [hate, offensive, neither]
          model: densenet
          experts:
            - name: alice
              fee: 0.1
            - bob
          text: tweet
          """,
          "task.yaml");

  /** Every column role once; row 3 spells its label as the index 2 and leaves cells empty. */
  static final String[] FULL = {
    "id,group,weight,y,t,x.len,x.caps,m.densenet.p.hate,m.densenet.p.offensive,"
        + "m.densenet.p.neither,m.alice.y,m.bob.y,m.bob.t,cost.bob,tweet",
    "a1,g1,1.0,hate,0.5,12,0.25,0.7,0.2,0.1,hate,,,,\"you, \"\"people\"\"\"",
    "a2,g2,2.5,offensive,1.5,40,0,0.1,0.8,0.1,,offensive,1.25,0,",
    "a3,g1,0,2,-3e-5,7,1,,,,neither,hate,2,0.75,plain"
  };

  @ParameterizedTest
  @ValueSource(strings = {"t.csv", "t.csv.gz", "t.parquet"})
  void readsEveryColumnRole(String name) {
    Path plain = csv(dir, "plain.csv", FULL);
    Path file =
        switch (name) {
          case "t.csv" -> plain;
          case "t.csv.gz" -> TestTables.gzip(plain, dir.resolve(name));
          default -> TestTables.toParquet(plain, dir.resolve(name));
        };
    DeferralTable t = DeferralTableReader.read(file, HATE);
    // Expected values are the cells of FULL above; empty m.* / cost.* cells are unobserved.
    assertThat(t.source()).isEqualTo(file.toString());
    assertThat(t.rows()).isEqualTo(3);
    assertThat(t.labels()).containsExactly(0, 1, 2);
    assertThat(t.targets()).containsExactly(0.5, 1.5, -3e-5);
    assertThat(t.featureNames()).containsExactly("len", "caps");
    assertThat(t.featureBlock()).containsExactly(12, 0.25, 40, 0, 7, 1);
    assertThat(new double[] {t.weight(0), t.weight(1), t.weight(2)}).containsExactly(1, 2.5, 0);
    assertThat(new String[] {t.id(0), t.id(1), t.id(2)}).containsExactly("a1", "a2", "a3");
    assertThat(new String[] {t.group(0), t.group(1), t.group(2)}).containsExactly("g1", "g2", "g1");
    assertThat(t.agents().keySet()).containsExactly("densenet", "alice", "bob");
    AgentColumns net = t.agent("densenet");
    assertThat(net.probabilities()).containsExactly(0.7, 0.2, 0.1, 0.1, 0.8, 0.1, NAN, NAN, NAN);
    assertThat(net.hasPredictedClass()).isFalse();
    assertThat(net.predictedClass(0)).isEqualTo(0);
    assertThat(net.observed(2)).isFalse();
    assertThat(t.agent("alice").predictedClasses()).containsExactly(0, -1, 2);
    AgentColumns bob = t.agent("bob");
    assertThat(bob.predictedClasses()).containsExactly(-1, 1, 0);
    assertThat(bob.predictedValues()).containsExactly(NAN, 1.25, 2);
    assertThat(bob.costs()).containsExactly(NAN, 0, 0.75);
    assertThat(t.text().get("tweet")).containsExactly("you, \"people\"", "", "plain");
  }

  private static final double NAN = Double.NaN;

  @Test
  void integerClassesReadFromIntegerTypedParquet() {
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: 3\nexperts: [e]\n", "s");
    Path f = dir.resolve("ints.parquet");
    TestTables.sql(
        "COPY (SELECT i % 3 AS y, i * 0.5 AS \"x.v\", CASE WHEN i = 1 THEN NULL ELSE (i + 1) % 3"
            + " END AS \"m.e.y\" FROM range(5) t(i)) TO '"
            + f
            + "' (FORMAT parquet)");
    DeferralTable t = DeferralTableReader.read(f, spec);
    // y = i mod 3 and m.e.y = (i+1) mod 3 with row i = 1 left NULL, for i = 0..4.
    assertThat(t.labels()).containsExactly(0, 1, 2, 0, 1);
    assertThat(t.featureBlock()).containsExactly(0, 0.5, 1, 1.5, 2);
    assertThat(t.agent("e").predictedClasses()).containsExactly(1, -1, 0, 1, 2);
  }

  @Test
  void integerSpelledClassNamesAreNeverReadAsIndices() {
    // With classes [1, 2, 3], "3" is the class named 3 (index 2) and "0" is no class at all.
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: [1, 2, 3]\n", "s");
    DeferralTable t = DeferralTableReader.read(csv(dir, "a.csv", "y,x.a", "3,1", "1,2"), spec);
    assertThat(t.labels()).containsExactly(2, 0);
    Path bad = csv(dir, "b.csv", "y,x.a", "3,1", "0,2");
    assertThatThrownBy(() -> DeferralTableReader.read(bad, spec))
        .hasMessage(bad + ": row 2, column y: class '0' is not one of [1, 2, 3]");
  }

  @Test
  void probabilityColumnsMayNameClassesByIndex() {
    TaskSpec spec =
        TaskSpecIo.parse("task: classification\nclasses: [cat, dog]\nmodel: net\n", "s");
    Path f = csv(dir, "p.csv", "y,m.net.p.1,m.net.p.0", "dog,0.75,0.25");
    DeferralTable t = DeferralTableReader.read(f, spec);
    // Column m.net.p.1 is class index 1 (dog), so the stored row is [p(cat), p(dog)].
    assertThat(t.agent("net").probabilities()).containsExactly(0.25, 0.75);
    assertThat(t.agent("net").predictedClass(0)).isEqualTo(1);
  }

  @Test
  void regressionAndCostTasksNeedNoLabels() {
    TaskSpec reg = TaskSpecIo.parse("task: regression\nexperts: [e]\n", "s");
    DeferralTable r =
        DeferralTableReader.read(csv(dir, "r.csv", "t,x.a,m.e.t", "1.5,1,2", "-2,0,"), reg);
    assertThat(r.hasLabels()).isFalse();
    assertThat(r.targets()).containsExactly(1.5, -2);
    assertThat(r.agent("e").predictedValues()).containsExactly(2, NAN);

    TaskSpec costs = TaskSpecIo.parse("task: costs\nexperts: [small, large]\n", "s");
    DeferralTable c =
        DeferralTableReader.read(
            csv(dir, "c.csv", "id,cost.small,cost.large", "q1,1,0", "q2,,0.5"), costs);
    assertThat(c.featureCount()).isZero();
    assertThat(c.agent("small").costs()).containsExactly(1, NAN);
    assertThat(c.agent("large").costs()).containsExactly(0, 0.5);
  }

  @Test
  void windowsLineEndsByteOrderMarkAndQuotedHeaderNames() throws Exception {
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: [a, b]\nexperts: [e]\n", "s");
    Path f = dir.resolve("win.csv");
    Files.writeString(
        f, "\uFEFFy,\"x.width, cm\",\"x.say \"\"hi\"\"\",m.e.y\r\nb,1.5,2,a\r\na,-1,0,\r\n");
    DeferralTable t = DeferralTableReader.read(f, spec);
    // The BOM is not part of the first name; quoted names keep their comma and quotes; the
    // last column holds no stray carriage return ("a" is a class, the empty cell unobserved).
    assertThat(t.featureNames()).containsExactly("width, cm", "say \"hi\"");
    assertThat(t.labels()).containsExactly(1, 0);
    assertThat(t.featureBlock()).containsExactly(1.5, 2, -1, 0);
    assertThat(t.agent("e").predictedClasses()).containsExactly(0, -1);
    Path gz = TestTables.gzip(f, dir.resolve("win.csv.gz"));
    TestTables.assertSameTable(DeferralTableReader.read(gz, spec), t);
  }

  @Test
  void headerOnlyFileIsRefused() {
    // A table with no rows is refused where it is read, so that no command reports n = 0.
    Path h = csv(dir, "h.csv", "y,x.a,m.alice.y,m.bob.y,m.densenet.y,tweet");
    assertThatThrownBy(() -> DeferralTableReader.read(h, HATE))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(h + ": the table has no rows");
  }

  @Test
  void designExampleMessageForAnUnknownClass() {
    // The message quoted in STYLE.md: 16 good rows, then a cat on row 17.
    TaskSpec spec =
        TaskSpecIo.parse(
            "task: classification\nclasses: [hate, offensive, neither]\nexperts: [alice]\n", "s");
    List<String> lines = new ArrayList<>(List.of("y,x.a,m.alice.y"));
    for (int i = 0; i < 16; i++) {
      lines.add("hate," + i + ",offensive");
    }
    lines.add("neither,16,cat");
    Path f = csv(dir, "tweets.csv", lines.toArray(String[]::new));
    for (Path file : List.of(f, TestTables.toParquet(f, dir.resolve("tweets.parquet")))) {
      assertThatThrownBy(() -> DeferralTableReader.read(file, spec))
          .isInstanceOf(TableFormatException.class)
          .hasMessage(
              file
                  + ": row 17, column m.alice.y: class 'cat' is not one of [hate, offensive,"
                  + " neither]")
          .satisfies(e -> assertLocated(e, file, 17, "m.alice.y"));
    }
  }

  // ---------------------------------------------------------------- cell errors, both formats

  static final TaskSpec CELLS =
      TaskSpecIo.parse(
          "task: classification\nclasses: [hate, offensive, neither]\nexperts: [alice, bob]\n",
          "s");

  static final String CELL_HEADER =
      "y,t,weight,x.a,x.b,m.alice.y,m.alice.p.hate,m.alice.p.offensive,m.alice.p.neither,"
          + "cost.alice,m.bob.y,m.bob.t,cost.bob,id,group";
  static final String CELL_ROW = "hate,1.5,1,0.5,2,hate,0.6,0.3,0.1,0.2,offensive,3,0,r1,g";

  static Stream<Arguments> badCells() {
    return Stream.of(
        Arguments.of("y", "", "empty class label; every row needs its true class"),
        Arguments.of("y", "cat", "class 'cat' is not one of [hate, offensive, neither]"),
        Arguments.of("y", "3", "class '3' is not one of [hate, offensive, neither]"),
        Arguments.of("m.alice.y", "Hate", "class 'Hate' is not one of [hate, offensive, neither]"),
        Arguments.of("x.a", "abc", "not a number: 'abc'"),
        Arguments.of("x.b", "NaN", "not a finite number: NaN"),
        Arguments.of("x.a", "inf", "not a finite number: Infinity"),
        Arguments.of("x.a", "", "empty feature cell"),
        Arguments.of("t", "", "empty target cell"),
        Arguments.of("t", "-Infinity", "not a finite number: -Infinity"),
        Arguments.of("t", "1.5.2", "not a number: '1.5.2'"),
        Arguments.of("weight", "-1", "weight must be >= 0, got -1.0"),
        Arguments.of("weight", "NaN", "not a finite number: NaN"),
        Arguments.of("weight", "", "empty weight cell"),
        Arguments.of("cost.alice", "-0.5", "cost must be >= 0, got -0.5"),
        Arguments.of("cost.alice", "NaN", "not a finite number: NaN (leave the cell empty"),
        Arguments.of("cost.bob", "x", "not a number: 'x'"),
        Arguments.of("m.alice.p.hate", "1.2", "a probability must lie in [0, 1], got 1.2"),
        Arguments.of("m.alice.p.offensive", "-0.1", "a probability must lie in [0, 1], got -0.1"),
        Arguments.of("m.alice.p.neither", "", "empty while other probabilities of this agent"),
        Arguments.of("m.alice.p.hate", "inf", "not a finite number: Infinity"),
        Arguments.of("m.alice.p.hate", "high", "not a number: 'high'"),
        Arguments.of("m.bob.t", "nan", "not a finite number: NaN"),
        Arguments.of("m.bob.t", "two", "not a number: 'two'"),
        Arguments.of("id", "", "empty id cell"),
        Arguments.of("group", "", "empty group cell"));
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @MethodSource("badCells")
  void badCellIsNamedByRowAndColumnInCsv(String column, String value, String detail) {
    Path f = cellTable(column, value, "cells.csv");
    assertThatThrownBy(() -> DeferralTableReader.read(f, CELLS))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(f + ": row 2, column " + column + ": " + detail)
        .satisfies(e -> assertLocated(e, f, 2, column));
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @MethodSource("badCells")
  void badCellIsNamedByRowAndColumnInParquet(String column, String value, String detail) {
    Path f = TestTables.toParquet(cellTable(column, value, "cells.csv"), dir.resolve("c.parquet"));
    assertThatThrownBy(() -> DeferralTableReader.read(f, CELLS))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(f + ": row 2, column " + column + ": " + detail)
        .satisfies(e -> assertLocated(e, f, 2, column));
  }

  /** Three good rows with the cell of {@code column} on row 2 replaced by {@code value}. */
  private Path cellTable(String column, String value, String name) {
    int c = Arrays.asList(CELL_HEADER.split(",")).indexOf(column);
    assertThat(c).as(column).isNotNegative();
    String[] cells = CELL_ROW.split(",");
    cells[c] = value;
    return csv(dir, name, CELL_HEADER, CELL_ROW, String.join(",", cells), CELL_ROW);
  }

  @Test
  void rowNumbersStayExactDeepIntoLargeFiles() {
    // 30,000 rows span many DuckDB vectors (2,048 rows) and its CSV sniffing sample (20,480 rows).
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: [a, b]\n", "s");
    List<String> lines = new ArrayList<>(List.of("y,x.u,x.v"));
    for (int i = 1; i <= 30_000; i++) {
      String u = i == 25_001 ? "oops" : Integer.toString(i);
      String v = i == 29_999 ? "NaN" : "0.5";
      lines.add((i % 2 == 0 ? "a" : "b") + "," + u + "," + v);
    }
    Path bad = csv(dir, "big.csv", lines.toArray(String[]::new));
    assertThatThrownBy(() -> DeferralTableReader.read(bad, spec))
        .hasMessage(bad + ": row 25001, column x.u: not a number: 'oops'");
    lines.set(25_001, "b,25001,0.5");
    Path nan = csv(dir, "big2.csv", lines.toArray(String[]::new));
    assertThatThrownBy(() -> DeferralTableReader.read(nan, spec))
        .hasMessage(nan + ": row 29999, column x.v: not a finite number: NaN");
    lines.set(29_999, "b,29999,0.5");
    lines.set(27_000, "c,27000,0.5");
    Path pq =
        TestTables.toParquet(
            csv(dir, "big3.csv", lines.toArray(String[]::new)), dir.resolve("b.parquet"));
    assertThatThrownBy(() -> DeferralTableReader.read(pq, spec))
        .hasMessage(pq + ": row 27000, column y: class 'c' is not one of [a, b]");
  }

  // ---------------------------------------------------------------- column errors

  static Stream<Arguments> badColumns() {
    String h = CELL_HEADER;
    return Stream.of(
        Arguments.of(h.replace("y,t,", "t,"), "y", "missing column; a classification task needs"),
        Arguments.of(
            h + ",m.carol.y",
            "m.carol.y",
            "agent 'carol' is not declared in the task spec; declared agents: [alice, bob]"),
        Arguments.of(h + ",cost.carol", "cost.carol", "agent 'carol' is not declared"),
        Arguments.of(
            h.replace(",m.bob.y,m.bob.t,cost.bob", ""),
            "m.bob.*",
            "agent 'bob' is declared in the task spec but the table has no m.bob.* or cost.bob"
                + " column"),
        Arguments.of(h + ",colour", "colour", "unknown column; accepted columns are y, t,"),
        Arguments.of(h + ",Y", "Y", "the column clashes with column y"),
        Arguments.of(h + ",x.", "x.", "a feature column needs a name after 'x.'"),
        Arguments.of(h + ",m.alice.z", "m.alice.z", "expected m.<agent>.y, m.<agent>.t or"),
        Arguments.of(h + ",m.alice", "m.alice", "expected m.<agent>.y, m.<agent>.t or"),
        Arguments.of(
            h.replace(",m.alice.p.neither", ""),
            "m.alice.p.neither",
            "missing column; the m.alice.p.* columns must give all 3 classes"),
        Arguments.of(
            h + ",m.bob.p.cat",
            "m.bob.p.cat",
            "class 'cat' is not one of [hate, offensive, neither]"),
        Arguments.of(
            h + ",m.alice.p.0",
            "m.alice.p.0",
            "gives class 'hate' like column m.alice.p.hate does"),
        Arguments.of(h + ",x.a", "x.a", "the column appears twice in the header"),
        Arguments.of(h + ",X.A", "X.A", "the column clashes with column x.a"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badColumns")
  void badColumnIsNamed(String header, String column, String detail) {
    Path f = csv(dir, "cols.csv", header);
    assertThatThrownBy(() -> DeferralTableReader.read(f, CELLS))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(f + ": column " + column + ": " + detail)
        .satisfies(e -> assertLocated(e, f, 0, column));
  }

  @Test
  void columnErrorsAlsoNamedInParquet() {
    Path f = dir.resolve("cols.parquet");
    TestTables.sql(
        "COPY (SELECT 'hate' AS y, 1.0 AS \"x.a\", 'hate' AS \"m.alice.y\", 'hate' AS"
            + " \"m.carol.y\") TO '"
            + f
            + "' (FORMAT parquet)");
    assertThatThrownBy(() -> DeferralTableReader.read(f, CELLS))
        .hasMessageStartingWith(f + ": column m.carol.y: agent 'carol' is not declared");
  }

  @Test
  void taskSpecificColumnRules() {
    TaskSpec reg = TaskSpecIo.parse("task: regression\n", "s");
    Path noT = csv(dir, "a.csv", "x.a", "1");
    assertThatThrownBy(() -> DeferralTableReader.read(noT, reg))
        .hasMessage(
            noT
                + ": column t: missing column; a regression task needs the true target t of every"
                + " row");
    Path withY = csv(dir, "b.csv", "t,y", "1,a");
    assertThatThrownBy(() -> DeferralTableReader.read(withY, reg))
        .hasMessageStartingWith(
            withY + ": column y: the regression task declares no classes, so a y column cannot");
    Path noText = csv(dir, "c.csv", "y,m.densenet.y,m.alice.y,m.bob.y", "hate,hate,hate,hate");
    assertThatThrownBy(() -> DeferralTableReader.read(noText, HATE))
        .hasMessage(
            noText + ": column tweet: missing column; the task spec names it as the text column");
    TaskSpec multi =
        new TaskSpec(
            TaskKind.MULTITASK, List.of("a", "b"), null, List.of(Agent.expert("e", 0)), null, null);
    Path mt = csv(dir, "d.csv", "y,x.a,m.e.y", "a,1,b");
    assertThatThrownBy(() -> DeferralTableReader.read(mt, multi))
        .hasMessageStartingWith(mt + ": column t: missing column; a multitask task");
  }

  // ---------------------------------------------------------------- file errors

  @Test
  void fileLevelProblems() throws Exception {
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> DeferralTableReader.read(empty, CELLS))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(empty + ": the file is empty; expected a header")
        .satisfies(e -> assertLocated(e, empty, 0, null));
    Path junk = dir.resolve("junk.parquet");
    Files.writeString(junk, "this is not parquet");
    assertThatThrownBy(() -> DeferralTableReader.read(junk, CELLS))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(junk + ": cannot read the table: ")
        .satisfies(e -> assertLocated(e, junk, 0, null));
    assertThatThrownBy(() -> DeferralTableReader.read(dir.resolve("t.xlsx"), CELLS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "t.xlsx: unknown table format; expected a name ending in .csv,"
                + " .csv.gz or .parquet");
    assertThatThrownBy(() -> DeferralTableReader.read(dir.resolve("absent.csv"), CELLS))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent.csv");
  }

  @Test
  void malformedCsvRecordsAreReportedAtTheirDataRow() {
    // DuckDB says "Line: 3" (it counts the header); the record is the second data row.
    Path ragged = csv(dir, "ragged.csv", "y,x.a", "a,1", "b,2,3", "a,4");
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: [a, b]\n", "s");
    assertThatThrownBy(() -> DeferralTableReader.read(ragged, spec))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(ragged + ": row 2: 3 values where the header has 2 columns")
        .satisfies(e -> assertLocated(e, ragged, 2, null));
    Path open = csv(dir, "open.csv", "y,x.a", "a,1", "\"b,2", "a,4");
    assertThatThrownBy(() -> DeferralTableReader.read(open, spec))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(open + ": row 2: a quoted value is not closed");
  }

  static void assertLocated(Throwable e, Path file, long row, String column) {
    TableFormatException t = (TableFormatException) e;
    assertThat(t.file()).isEqualTo(file.toString());
    assertThat(t.row()).isEqualTo(row);
    assertThat(t.column()).isEqualTo(column);
  }
}
