package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the CSV path of {@link DeferralTableReader}: the fuzzer's bytes are a {@code .csv} file
 * for a two-class task with a frozen model {@code m} and an expert {@code e}. A read either returns
 * a table consistent with the task or throws {@link TableFormatException} (the documented error for
 * a file that breaks the data contract); any other exception is a finding. Regression mode replays
 * {@code DeferralTableReaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class DeferralTableReaderFuzzTest {
  static final TaskSpec TASK =
      TaskSpec.classification(List.of("neg", "pos"), "m", List.of(Agent.expert("e", 0.1)));

  static Path dir;
  static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    // Jazzer's SQL-injection sanitizer reports the DuckDB error that read_csv raises on a cell
    // that is not a number, which is how the reader is meant to find such cells (it turns the
    // error into a TableFormatException). The SQL text holds only constants, the temp file's
    // path and the header's names, the last two quoted by DuckDb.literal; seeds with quotes in
    // the header keep that quoting under test.
    System.setProperty(
        "jazzer.disabled_hooks", "com.code_intelligence.jazzer.sanitizers.SqlInjection");
    dir = Files.createTempDirectory("defer4j-csv-fuzz");
    file = dir.resolve("fuzz.csv");
  }

  @AfterAll
  static void removeFile() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "12s")
  void readCsv(byte[] data) throws IOException {
    Files.write(file, data);
    DeferralTable t;
    try {
      t = DeferralTableReader.read(file, TASK);
    } catch (TableFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(t.rows()).isPositive();
    assertThat(t.hasLabels()).isTrue();
    for (int i = 0; i < t.rows(); i++) {
      assertThat(t.label(i)).isBetween(0, 1);
      for (int j = 0; j < t.featureCount(); j++) {
        assertThat(Double.isFinite(t.feature(i, j))).isTrue();
      }
    }
  }
}
