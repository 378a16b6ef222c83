package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.server.Exporter;
import org.defer4j.server.ServerConfig;
import org.defer4j.server.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the router's decisions joined with their outcomes as a deferral table. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write the router's stored decisions joined with their outcomes as a deferral table (one"
          + " row per decision, its decision id as id), so that 'train' and 'calibrate' use"
          + " production traffic: x.* inputs, the text column, y/t, m.<agent>.*, cost.<agent>"
          + " and avail.<agent>.",
      "By default only decisions with an outcome that gives what the task needs are written;"
          + " --all writes every decision as a cases table."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", description = "The server's data directory (SQLite store).")
  Path dataDir;

  @Option(names = "--jdbc-url", description = "A PostgreSQL store's JDBC URL.")
  String jdbcUrl;

  @Option(names = "--config", description = "The server's configuration file.")
  Path config;

  @Option(
      names = "--out",
      required = true,
      description = "Where to write (.csv, .csv.gz, .parquet).")
  Path out;

  @Option(
      names = "--task",
      description = "Task spec of the table (default: the task of the store's active policy).")
  Path task;

  @Option(
      names = "--all",
      description = "Every decision, with or without an outcome (a cases table).")
  boolean all;

  @Option(names = "--since", description = "Only decisions made at or after this ISO-8601 instant.")
  String since;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    ServerConfig.Builder b = ServerConfig.load(config, System.getenv());
    if (dataDir != null) {
      b.dataDir(dataDir);
    }
    if (jdbcUrl != null) {
      b.jdbcUrl(jdbcUrl);
    }
    ServerConfig cfg = b.build();
    if (cfg.jdbcUrl() == null && !Files.isRegularFile(cfg.dataDir().resolve("defer4j.db"))) {
      throw new IllegalArgumentException(
          cfg.dataDir() + ": no router store here (defer4j.db); give the server's --data-dir");
    }
    long from = 0;
    if (since != null) {
      try {
        from = Instant.parse(since).toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--since must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, got " + since);
      }
    }
    try (Store store = Store.open(cfg.storeOptions(), Clock.systemUTC())) {
      TaskSpec spec = task != null ? TaskSpecIo.read(task) : Exporter.activeTask(store);
      Exporter.Summary s = Exporter.export(store, spec, out, all, from);
      w.printf(
          "exported %d rows to %s (%d decisions read; %d without an outcome%s; %d of policies over"
              + " other agents); features %s%s%n",
          s.rows(),
          out,
          s.decisions(),
          s.pending(),
          all ? "" : " left out",
          s.otherAgents(),
          s.features(),
          s.droppedFeatures().isEmpty()
              ? ""
              : "; left out (missing in some decisions): " + s.droppedFeatures());
    }
    w.flush();
    return 0;
  }
}
