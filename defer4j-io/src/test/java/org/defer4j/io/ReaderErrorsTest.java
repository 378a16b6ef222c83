package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.defer4j.io.TestTables.csv;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers' errors in defer4j's words: "FILE: row N: reason" with N the 1-based data row (the
 * header is not counted), as for a bad cell, and never DuckDB's vocabulary ("Line", "Error:",
 * "Binder", its advice) or a Java class name. The row numbers are counted by hand from the files
 * written here.
 */
class ReaderErrorsTest {
  @TempDir Path dir;

  static final TaskSpec SPEC =
      TaskSpecIo.parse("task: classification\nclasses: [a, b]\nexperts: [e]\n", "s");

  static void assertInOurWords(Throwable e) {
    assertThat(e.getMessage())
        .doesNotContain("Line")
        .doesNotContain("Error")
        .doesNotContain("Possible")
        .doesNotContain("java.")
        .doesNotContain("Exception");
  }

  static void assertAt(Throwable e, Path file, long row, String column) {
    TableFormatException t = (TableFormatException) e;
    assertThat(t.file()).isEqualTo(file.toString());
    assertThat(t.row()).isEqualTo(row);
    assertThat(t.column()).isEqualTo(column);
    assertInOurWords(e);
  }

  // ---------------------------------------------------------------- missing and empty files

  @Test
  void aMissingFileIsNamedWithTheReason() {
    Path absent = dir.resolve("absent.csv");
    assertThatThrownBy(() -> DeferralTableReader.read(absent, SPEC))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(absent + ": no such file")
        .hasCauseInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> DeferralTableReader.readCases(absent, SPEC))
        .hasMessage(absent + ": no such file");
    assertThatThrownBy(() -> ColumnQuery.read(absent, List.of("p")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(absent + ": no such file");
  }

  @Test
  void aHeaderOnlyTableHasNoRows() {
    Path h = csv(dir, "h.csv", "y,x.a,m.e.y");
    assertThatThrownBy(() -> DeferralTableReader.read(h, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(h + ": the table has no rows")
        .satisfies(e -> assertAt(e, h, 0, null));
    assertThatThrownBy(() -> DeferralTableReader.readCases(h, SPEC))
        .hasMessage(h + ": the table has no rows");
    Path parquet =
        TestTables.toParquet(csv(dir, "h2.csv", "y,x.a,m.e.y", "a,1,b"), dir.resolve("h.parquet"));
    Path emptyParquet = dir.resolve("empty.parquet");
    TestTables.sql(
        "COPY (SELECT * FROM read_parquet('"
            + parquet
            + "') WHERE false) TO '"
            + emptyParquet
            + "' (FORMAT parquet)");
    assertThatThrownBy(() -> DeferralTableReader.read(emptyParquet, SPEC))
        .hasMessage(emptyParquet + ": the table has no rows");
    Path p = csv(dir, "p.csv", "p,o");
    assertThatThrownBy(() -> ColumnQuery.read(p, List.of("p", "o")))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(p + ": the table has no rows");
  }

  // ---------------------------------------------------------------- CSV syntax

  @Test
  void raggedRowsAreReportedAtTheirDataRow() {
    Path shortRow = csv(dir, "short.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a", "a,3", "b,4,a");
    assertThatThrownBy(() -> DeferralTableReader.read(shortRow, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(shortRow + ": row 3: 2 values where the header has 3 columns")
        .satisfies(e -> assertAt(e, shortRow, 3, null));
    Path longRow = csv(dir, "long.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a,7");
    assertThatThrownBy(() -> DeferralTableReader.read(longRow, SPEC))
        .hasMessage(longRow + ": row 2: 4 values where the header has 3 columns")
        .satisfies(e -> assertAt(e, longRow, 2, null));
    Path gz = TestTables.gzip(shortRow, dir.resolve("short.csv.gz"));
    assertThatThrownBy(() -> DeferralTableReader.read(gz, SPEC))
        .hasMessage(gz + ": row 3: 2 values where the header has 3 columns");
  }

  @Test
  void aQuotedLineBreakDoesNotShiftTheRow() {
    // Row 1 spans three lines of the file; the short record is still data row 3.
    Path f =
        csv(
            dir,
            "multi.csv",
            "y,x.a,m.e.y,tweet",
            "a,1,b,\"one\nvalue on\nthree lines\"",
            "b,2,a,x",
            "a,3,b",
            "b,4,a,y");
    TaskSpec spec =
        TaskSpecIo.parse("task: classification\nclasses: [a, b]\nexperts: [e]\ntext: tweet\n", "s");
    assertThatThrownBy(() -> DeferralTableReader.read(f, spec))
        .hasMessage(f + ": row 3: 3 values where the header has 4 columns");
  }

  @Test
  void anUnterminatedQuoteIsReportedAtItsRow() {
    Path f = csv(dir, "open.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a", "\"a,3,b", "b,4,a");
    assertThatThrownBy(() -> DeferralTableReader.read(f, SPEC))
        .hasMessageStartingWith(f + ": row 3: a quoted value is not closed")
        .satisfies(e -> assertAt(e, f, 3, null));
    Path g = csv(dir, "stray.csv", "y,x.a,m.e.y", "a,\"1\"x,b");
    assertThatThrownBy(() -> DeferralTableReader.read(g, SPEC))
        .hasMessageStartingWith(g + ": row 1: a quoted value is not closed");
  }

  @Test
  void textThatIsNotUtf8IsReportedAtItsRow() throws Exception {
    Path f = dir.resolve("latin1.csv");
    Files.write(f, "y,x.a,m.e.y\na,1,b\nb,2,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> DeferralTableReader.read(f, SPEC))
        .hasMessage(f + ": row 2: the text is not UTF-8; save the file as UTF-8")
        .satisfies(e -> assertAt(e, f, 2, null));
  }

  @Test
  void syntaxErrorsAndCellErrorsCountRowsTheSameWay() {
    // The same record, row 3 by hand: once with a bad class, once with a value missing.
    Path cell = csv(dir, "cell.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a", "a,3,cat");
    Path ragged = csv(dir, "ragged.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a", "a,3");
    assertThatThrownBy(() -> DeferralTableReader.read(cell, SPEC))
        .satisfies(e -> assertThat(((TableFormatException) e).row()).isEqualTo(3));
    assertThatThrownBy(() -> DeferralTableReader.read(ragged, SPEC))
        .satisfies(e -> assertThat(((TableFormatException) e).row()).isEqualTo(3));
    Path p = csv(dir, "p.csv", "p,o", "0.5,1", "0.2,0", "x,1");
    assertThatThrownBy(() -> ColumnQuery.read(p, List.of("p", "o")))
        .hasMessage(p + ": row 3, column p: empty or not a finite number");
    Path q = csv(dir, "q.csv", "p,o", "0.5,1", "0.2,0", "0.1");
    assertThatThrownBy(() -> ColumnQuery.read(q, List.of("p", "o")))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(q + ": row 3: 1 value where the header has 2 columns")
        .satisfies(e -> assertAt(e, q, 3, null));
  }

  @Test
  void notAParquetFileSaysSo() throws Exception {
    Path junk = dir.resolve("junk.parquet");
    Files.writeString(junk, "this is not parquet");
    assertThatThrownBy(() -> DeferralTableReader.read(junk, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(junk + ": cannot read the table: not a Parquet file, or a truncated one")
        .satisfies(e -> assertAt(e, junk, 0, null));
  }

  // ---------------------------------------------------------------- expressions

  @Test
  void anUnknownColumnListsTheColumns() {
    Path f = csv(dir, "c.csv", "p,y", "0.5,1");
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("p", "foo + 1")))
        .isInstanceOfSatisfying(
            ColumnQuery.ExpressionException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.expression()).isEqualTo("foo + 1");
              assertThat(e.reason())
                  .isEqualTo("unknown column 'foo'; the columns of " + f + " are [p, y]");
              assertInOurWords(e);
            })
        .hasMessage(
            f
                + ": expression 'foo + 1': unknown column 'foo'; the columns of "
                + f
                + " are [p, y]");
  }

  @Test
  void badExpressionsAreExplainedInWords() {
    Path f = csv(dir, "c.csv", "p,y,name", "0.5,1,alice");
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("p +", "y")))
        .isInstanceOfSatisfying(
            ColumnQuery.ExpressionException.class,
            e -> {
              assertThat(e.index()).isZero();
              assertThat(e.reason()).startsWith("not a valid SQL expression: syntax error");
              assertInOurWords(e);
            });
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("p", "nofunc(y)")))
        .isInstanceOfSatisfying(
            ColumnQuery.ExpressionException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.reason()).isEqualTo("unknown function 'nofunc'");
            });
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("p", "y + 'x'")))
        .isInstanceOfSatisfying(
            ColumnQuery.ExpressionException.class,
            e -> assertThat(e.reason()).isEqualTo("cannot convert the text 'x' to a number"));
  }

  @Test
  void aColumnNameWithDotsIsAColumn() throws Exception {
    Path f = csv(dir, "m.csv", "m.alice.p.yes,y", "0.25,1", "0.75,0");
    double[][] v = ColumnQuery.read(f, List.of("m.alice.p.yes", "y"));
    assertThat(v[0]).containsExactly(0.25, 0.75);
    assertThat(ColumnQuery.read(f, List.of("\"m.alice.p.yes\" * 2", "y"))[0])
        .containsExactly(0.5, 1.5);
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("m.alice.p.yes * 2", "y")))
        .isInstanceOfSatisfying(
            ColumnQuery.ExpressionException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(
                        "SQL reads m.alice.p.yes as a table and a column; quote a column name"
                            + " that has a dot: \"m.alice.p.yes\""));
  }

  @Test
  void aLateTextCellInANumericColumnIsLocated() {
    // DuckDB infers the column's type from its first rows; the text comes after them.
    List<String> lines = new ArrayList<>(List.of("p,o"));
    for (int i = 0; i < 30_000; i++) {
      lines.add("0.5,1");
    }
    lines.add("abc,1");
    Path f = csv(dir, "late.csv", lines.toArray(String[]::new));
    assertThatThrownBy(() -> ColumnQuery.read(f, List.of("p", "o")))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(f + ": row 30001, column p: not a number: 'abc'")
        .satisfies(e -> assertAt(e, f, 30_001, "p"));
  }
}
