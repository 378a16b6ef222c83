package org.defer4j.cli.datasets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;

/**
 * Derives the deferral tables bundled in {@code datasets/} from the raw public data sets (the
 * {@code shared/data} folder): the code that produced every bundled file, so that anyone can
 * rebuild them and check what was done to the raw data.
 */
public final class BundledDatasets {
  private BundledDatasets() {}

  /**
   * Writes every bundled table, its task spec and its licence note into {@code out}.
   *
   * @param source the raw data folder
   * @param out the destination folder (created when missing)
   * @param log where progress lines go
   */
  public static void deriveAll(Path source, Path out, PrintStream log)
      throws IOException, SQLException {
    if (!Files.isDirectory(source)) {
      throw new IOException("raw data folder " + source + " does not exist");
    }
    Files.createDirectories(out);
    Path routellm = source.resolve("routellm");
    TaskSpec routeTask = RouteLlm.task();
    write(RouteLlm.mmlu(routellm), routeTask, out, "routellm-mmlu", log);
    write(RouteLlm.gsm8k(routellm), routeTask, out, "routellm-gsm8k", log);
    Files.copy(
        routellm.resolve("LICENSE_Apache-2.0.txt"),
        out.resolve("LICENSE-routellm-Apache-2.0.txt"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(
      DeferralTable table, TaskSpec spec, Path out, String name, PrintStream log)
      throws IOException {
    DeferralTableWriter.write(table, spec, out.resolve(name + ".csv"));
    TaskSpecIo.write(spec, out.resolve(name + ".yaml"));
    log.printf("wrote %s/%s.csv (%d rows) and %s.yaml%n", out, name, table.rows(), name);
  }
}
