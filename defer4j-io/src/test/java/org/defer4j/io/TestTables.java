package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.defer4j.core.data.DeferralTable;

/** Files and comparisons shared by the table tests. */
final class TestTables {
  private TestTables() {}

  /** Writes CSV lines (joined with '\n', trailing newline) to {@code dir/name}. */
  static Path csv(Path dir, String name, String... lines) {
    Path f = dir.resolve(name);
    try {
      Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  /** Gzips a file to {@code target}. */
  static Path gzip(Path source, Path target) {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
      Files.copy(source, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /**
   * Converts a CSV file to Parquet with DuckDB's own type detection (as a user's pipeline would):
   * numeric columns become DOUBLE or BIGINT, text columns VARCHAR, empty cells NULL.
   */
  static Path toParquet(Path csv, Path target) {
    sql(
        "COPY (SELECT * FROM read_csv('"
            + csv
            + "', header=true, delim=',', quote='\"', escape='\"')) TO '"
            + target
            + "' (FORMAT parquet)");
    return target;
  }

  /** Runs SQL statements in a fresh in-memory DuckDB. */
  static void sql(String... statements) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts two tables hold the same cells, doubles compared bit for bit. */
  static void assertSameTable(DeferralTable actual, DeferralTable expected) {
    assertThat(actual.rows()).isEqualTo(expected.rows());
    assertThat(actual.featureNames()).isEqualTo(expected.featureNames());
    assertThat(actual.featureBlock()).isEqualTo(expected.featureBlock());
    assertThat(actual.labels()).isEqualTo(expected.labels());
    assertThat(actual.targets()).isEqualTo(expected.targets());
    assertThat(actual.hasWeights()).isEqualTo(expected.hasWeights());
    assertThat(actual.hasIds()).isEqualTo(expected.hasIds());
    assertThat(actual.hasGroups()).isEqualTo(expected.hasGroups());
    for (int i = 0; i < expected.rows(); i++) {
      assertThat(Double.doubleToRawLongBits(actual.weight(i)))
          .isEqualTo(Double.doubleToRawLongBits(expected.weight(i)));
      assertThat(actual.id(i)).isEqualTo(expected.id(i));
      assertThat(actual.group(i)).isEqualTo(expected.group(i));
    }
    assertThat(actual.agents().keySet())
        .containsExactlyInAnyOrderElementsOf(expected.agents().keySet());
    expected.agents().forEach((name, cols) -> assertThat(actual.agent(name)).isEqualTo(cols));
    assertThat(actual.availability().keySet())
        .containsExactlyElementsOf(expected.availability().keySet());
    expected
        .availability()
        .forEach((name, col) -> assertThat(actual.availability().get(name)).isEqualTo(col));
    assertThat(actual.text().keySet()).isEqualTo(expected.text().keySet());
    for (Map.Entry<String, String[]> e : expected.text().entrySet()) {
      assertThat(actual.text().get(e.getKey())).containsExactly(e.getValue());
    }
  }
}
