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
      TuneCommand.class,
      FitModelCommand.class,
      FitMilpCommand.class,
      EvaluateCommand.class,
      MethodsCommand.class,
      CalibrationCommand.class,
      CalibrateCommand.class,
      StreamCommand.class,
      DemoCommand.class,
      DatasetsCommand.class,
      RoutingCurveCommand.class,
      RouteCommand.class,
      AssignCommand.class,
      OnlineCommand.class,
      AttackCommand.class,
      PostprocessCommand.class,
      ServeCommand.class,
      ExportCommand.class,
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
   * Runs the command line without exiting, for tests and embedding. Every failure prints one line,
   * "defer4j: " and the message ({@link #message}), and with {@code --verbose} (before or after the
   * sub-command) the stack trace.
   *
   * @return the exit code: 0 on success
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Defer4jCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> fail(err, ex, verbose(parseResult)));
    cl.setParameterExceptionHandler(
        (ex, strings) -> {
          err.println("defer4j: " + firstLine(ex.getMessage()));
          err.println("Run 'defer4j " + commandName(ex.getCommandLine()) + " --help' for usage.");
          err.flush();
          return EXIT_USAGE;
        });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // Not an Exception, so picocli lets it through; the heap is free again once it unwinds.
      return fail(err, e, java.util.Arrays.asList(args).contains("--verbose"));
    }
  }

  /**
   * Whether {@code --verbose} was given at any level. It is inherited by every sub-command, and
   * picocli records an option on the parse result of the command it followed, so each level of the
   * command line is asked.
   */
  static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static int fail(PrintWriter err, Throwable ex, boolean verbose) {
    err.println("defer4j: " + message(ex));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }

  /**
   * The one line a failure prints after "defer4j: ": file, row, column and reason, as the library
   * words them, and never a Java class name. A file that is missing or cannot be opened is named
   * with the reason, wherever in the chain of causes the file system said so.
   */
  static String message(Throwable ex) {
    if (ex instanceof OutOfMemoryError) {
      return "out of memory (the Java heap holds at most "
          + Runtime.getRuntime().maxMemory() / (1 << 20)
          + " MiB); use a smaller table or smaller options, or give Java more memory, e.g."
          + " DEFER4J_JAVA_OPTS=-Xmx16g";
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
        return fileProblem(f);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return "internal error (a bug in defer4j); run again with --verbose for the stack trace";
    }
    // An exception that wraps another without a message of its own reads "java.x.YException: ...".
    return firstLine(m).replaceFirst("^(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: ", "");
  }

  private static String fileProblem(java.nio.file.FileSystemException f) {
    String file = f.getFile();
    if (f instanceof java.nio.file.NoSuchFileException) {
      if (f.getReason() != null) {
        return file + ": " + f.getReason();
      }
      java.nio.file.Path parent = java.nio.file.Path.of(file).toAbsolutePath().getParent();
      if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
        return file + ": no such file (the folder " + parent + " does not exist)";
      }
      return file + ": no such file";
    }
    if (f instanceof java.nio.file.AccessDeniedException) {
      return file + ": permission denied";
    }
    if (f instanceof java.nio.file.NotDirectoryException) {
      return file + ": not a folder";
    }
    if (f instanceof java.nio.file.FileAlreadyExistsException) {
      return file + ": already exists";
    }
    String reason = f.getReason();
    return file + ": " + (reason == null ? "cannot be read or written" : reason);
  }

  private static String firstLine(String m) {
    return m == null ? "" : m.lines().findFirst().orElse(m);
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
