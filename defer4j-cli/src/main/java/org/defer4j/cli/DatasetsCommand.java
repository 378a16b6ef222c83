package org.defer4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.defer4j.cli.datasets.BundledDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Derives the bundled deferral tables in {@code datasets/} from the raw public data. */
@Command(
    name = "datasets",
    mixinStandardHelpOptions = true,
    description = {
      "Derive the bundled deferral tables (datasets/) from the raw public data sets.",
      "Reads ../shared/data by default; the licence notes are copied next to the tables."
    })
final class DatasetsCommand implements Callable<Integer> {
  @Option(
      names = "--source",
      defaultValue = "../shared/data",
      description = "Folder of the raw data sets (default: ${DEFAULT-VALUE}).")
  Path source;

  @Option(
      names = "--out",
      defaultValue = "datasets",
      description = "Folder to write the tables to (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    BundledDatasets.deriveAll(source, out, System.err);
    return 0;
  }
}
