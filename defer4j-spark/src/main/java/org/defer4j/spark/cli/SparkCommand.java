package org.defer4j.spark.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code defer4j spark}: training, routing and evaluation as Spark jobs. The same main class runs
 * under {@code spark-submit --class org.defer4j.spark.cli.SparkCommand defer4j-spark.jar ...} on a
 * cluster and under the {@code defer4j} launcher in local mode. Errors print one line and exit
 * non-zero; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description =
        "Train, route and evaluate on Apache Spark (local mode here, or the master that"
            + " spark-submit gives).",
    subcommands = {
      SparkTrainCommand.class,
      SparkRouteCommand.class,
      SparkEvaluateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SparkCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the command line without exiting (tests, embedding); 0 on success. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    CommandLine cl = new CommandLine(new SparkCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          err.println("defer4j spark: " + message(ex));
          if (verbose) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cl.execute(args);
  }

  /** The innermost meaningful message of an error (Spark wraps executor failures). */
  static String message(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null
        && (t.getMessage() == null
            || t instanceof org.apache.spark.SparkException
            || t.getClass().getName().startsWith("org.apache.spark")
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** Options every sub-command shares: the master and the partitioning. */
  static final class SessionOptions {
    @Option(
        names = "--master",
        description =
            "Spark master (default: the one spark-submit sets, else local[*] on this machine).")
    String master;

    @Option(
        names = "--partitions",
        description = "Repartition the input into N partitions (default: as Spark reads it).")
    Integer partitions;

    @Option(names = "--verbose", description = "Print stack traces of errors and Spark's log.")
    boolean verbose;

    private boolean borrowed;

    SparkSession session(String app) {
      // A session that already runs (an embedding application, a test) is used and left running.
      borrowed = SparkSession.getDefaultSession().isDefined();
      SparkSession.Builder b = SparkSession.builder().appName(app);
      if (master != null) {
        b.master(master);
      } else if (System.getProperty("spark.master") == null) {
        b.master("local[*]");
        b.config("spark.ui.enabled", "false");
        b.config("spark.sql.shuffle.partitions", "4");
      }
      SparkSession s = b.getOrCreate();
      if (!borrowed) {
        s.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
      }
      return s;
    }

    /** Stops the session unless it was already running. */
    void release(SparkSession s) {
      if (!borrowed) {
        s.stop();
      }
    }
  }

  /** Formats a number as the single-JVM commands do (4 decimals). */
  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Formats a share as a percentage. */
  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /** Marker for sub-commands (keeps picocli's Callable contract). */
  interface Job extends Callable<Integer> {}
}
