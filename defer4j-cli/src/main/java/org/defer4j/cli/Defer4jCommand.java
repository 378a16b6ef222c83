package org.defer4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code defer4j} command. Each sub-command is one job of a deferral workflow: evaluate a
 * policy, check calibration, run the demo. Errors print one line and exit non-zero; {@code
 * --verbose} adds the stack trace.
 */
@Command(
    name = "defer4j",
    mixinStandardHelpOptions = true,
    versionProvider = Defer4jCommand.Version.class,
    description = "Learning to defer: decide per case whether the model acts or which expert does.",
    subcommands = {
      TrainCommand.class,
      FitModelCommand.class,
      EvaluateCommand.class,
      MethodsCommand.class,
      CalibrationCommand.class,
      DemoCommand.class,
      DatasetsCommand.class,
      RoutingCurveCommand.class,
      RouteCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Defer4jCommand implements Runnable {
  /** Exit code of a run that failed on bad input or a failed job. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a command line that could not be parsed. */
  public static final int EXIT_USAGE = 2;

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    if (java.util.Arrays.asList(args).contains("--verbose")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @return the exit code: 0 on success
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Defer4jCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean verbose = parseResult.hasMatchedOption("--verbose");
          Throwable root = ex;
          String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          err.println("defer4j: " + message.lines().findFirst().orElse(message));
          if (verbose) {
            root.printStackTrace(err);
          }
          err.flush();
          return EXIT_FAILURE;
        });
    cl.setParameterExceptionHandler(
        (ex, strings) -> {
          err.println("defer4j: " + ex.getMessage());
          err.println("Run 'defer4j " + commandName(ex.getCommandLine()) + " --help' for usage.");
          err.flush();
          return EXIT_USAGE;
        });
    return cl.execute(args);
  }

  private static String commandName(CommandLine cl) {
    String full = cl.getCommandSpec().qualifiedName(" ");
    return full.startsWith("defer4j") ? full.substring("defer4j".length()).trim() : full;
  }

  /** The version from the jar manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Defer4jCommand.class.getPackage().getImplementationVersion();
      return new String[] {"defer4j " + (v == null ? "dev" : v)};
    }
  }
}
