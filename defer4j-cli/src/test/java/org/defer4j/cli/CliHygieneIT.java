package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One error style on every path of the command line: "defer4j: FILE: row N, column C: reason" in
 * one line (rows 1-based, the header not counted), never a Java class name or a SQL engine's
 * message; a usage error for an option out of its range; nothing on stderr for a run that succeeds;
 * no progress bar outside a terminal. End to end through {@link Defer4jCommand#execute} (and, for
 * what the process itself prints, the {@code main} of a child JVM). The tables are written here, so
 * every row number below is counted by hand.
 */
class CliHygieneIT {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  @TempDir static Path dir;

  static Path task;
  static Path table;
  static Path twoStageTask;
  static Path header;
  static Path policy;

  record Run(int exit, String out, String err, String systemErr) {}

  /** Runs the command in this JVM; {@code systemErr} is what went to System.err meanwhile. */
  static synchronized Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream p = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setErr(p);
      code = Defer4jCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    } finally {
      System.setErr(saved);
    }
    return new Run(code, out.toString(), err.toString(), captured.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void tables() throws IOException {
    task = dir.resolve("task.yaml");
    Files.writeString(task, "task: classification\nclasses: [a, b]\nexperts: [e]\n");
    twoStageTask = dir.resolve("two.yaml");
    Files.writeString(
        twoStageTask, "task: classification\nclasses: [a, b]\nmodel: m\nexperts: [e]\n");
    List<String> lines = new ArrayList<>(List.of("y,x.a,m.e.y"));
    for (int i = 0; i < 60; i++) {
      lines.add((i % 2 == 0 ? "a" : "b") + "," + (i % 7) + "," + (i % 3 == 0 ? "b" : "a"));
    }
    table = write("t.csv", lines.toArray(String[]::new));
    header = write("header.csv", "y,x.a,m.e.y");
    policy = dir.resolve("p.json");
    Run t =
        run(
            "train",
            "--data",
            table.toString(),
            "--task",
            task.toString(),
            "--method",
            "ce",
            "--epochs",
            "2",
            "--quiet",
            "--out",
            policy.toString());
    assertThat(t.exit()).as(t.err()).isZero();
  }

  static Path write(String name, String... lines) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  /** The run failed with exactly one line, this one, and no class name or SQL vocabulary. */
  static void assertOneLine(Run r, int exit, String line) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err().strip()).isEqualTo(line);
    assertThat(r.err())
        .doesNotContain("Exception")
        .doesNotContain("java.")
        .doesNotContain("Error:")
        .doesNotContain("Line");
  }

  // ---------------------------------------------------------------- missing files

  @Test
  void aMissingFileIsNamedWithTheReason() {
    String nope = dir.resolve("nope.csv").toString();
    String noTask = dir.resolve("nope.yaml").toString();
    assertOneLine(
        run("evaluate", "--data", nope, "--task", task.toString(), "--policy", "model"),
        1,
        "defer4j: " + nope + ": no such file");
    assertOneLine(
        run("evaluate", "--data", table.toString(), "--task", noTask, "--policy", "model"),
        1,
        "defer4j: " + noTask + ": no such file");
    assertOneLine(
        run(
            "train",
            "--data",
            nope,
            "--task",
            task.toString(),
            "--method",
            "ce",
            "--out",
            dir.resolve("x.json").toString()),
        1,
        "defer4j: " + nope + ": no such file");
    assertOneLine(
        run("calibration", "--data", nope, "--prob", "p", "--outcome", "o"),
        1,
        "defer4j: " + nope + ": no such file");
    assertOneLine(
        run(
            "route",
            "--policy",
            policy.toString(),
            "--data",
            nope,
            "--out",
            dir.resolve("d.csv").toString()),
        1,
        "defer4j: " + nope + ": no such file");
    String noPolicy = dir.resolve("nope.json").toString();
    Run r =
        run(
            "routing-curve",
            "--data",
            table.toString(),
            "--task",
            task.toString(),
            "--policy",
            noPolicy);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("defer4j: " + noPolicy + ": no such")
        .doesNotContain("java.");
  }

  // ---------------------------------------------------------------- CSV syntax

  @Test
  void csvSyntaxErrorsNameTheDataRow() throws IOException {
    // Row 3 (the fourth line of the file) has two values.
    Path ragged = write("ragged.csv", "y,x.a,m.e.y", "a,1,b", "b,2,a", "a,3", "b,4,a");
    assertOneLine(
        run(
            "evaluate",
            "--data",
            ragged.toString(),
            "--task",
            task.toString(),
            "--policy",
            "model"),
        1,
        "defer4j: " + ragged + ": row 3: 2 values where the header has 3 columns");
    assertOneLine(
        run("calibration", "--data", ragged.toString(), "--prob", "x.a", "--outcome", "x.a"),
        1,
        "defer4j: " + ragged + ": row 3: 2 values where the header has 3 columns");
    Path open = write("open.csv", "y,x.a,m.e.y", "a,1,b", "\"b,2,a", "a,3,b");
    Run r =
        run("evaluate", "--data", open.toString(), "--task", task.toString(), "--policy", "model");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).startsWith("defer4j: " + open + ": row 2: a quoted value is not closed");
  }

  @Test
  void rowsAreCountedTheSameWayInEveryMessage() throws IOException {
    // Row 2 by hand in each file: a bad cell, a ragged record, a bad probability.
    Path cell = write("cell.csv", "y,x.a,m.e.y", "a,1,b", "b,2,cat", "a,3,b");
    Path ragged = write("ragged2.csv", "y,x.a,m.e.y", "a,1,b", "b,2", "a,3,b");
    Path prob = write("prob.csv", "p,o", "0.5,1", "1.5,0", "0.2,1");
    assertThat(
            run(
                    "evaluate",
                    "--data",
                    cell.toString(),
                    "--task",
                    task.toString(),
                    "--policy",
                    "model")
                .err())
        .startsWith("defer4j: " + cell + ": row 2, column m.e.y: ");
    assertThat(
            run(
                    "evaluate",
                    "--data",
                    ragged.toString(),
                    "--task",
                    task.toString(),
                    "--policy",
                    "model")
                .err())
        .startsWith("defer4j: " + ragged + ": row 2: ");
    assertThat(run("calibration", "--data", prob.toString(), "--prob", "p", "--outcome", "o").err())
        .startsWith("defer4j: " + prob + ": row 2, ");
  }

  // ---------------------------------------------------------------- calibration expressions

  @Test
  void calibrationExplainsABadExpressionByOption() throws IOException {
    Path f = write("c.csv", "p,o", "0.5,1", "0.2,0");
    assertOneLine(
        run("calibration", "--data", f.toString(), "--prob", "foo", "--outcome", "o"),
        1,
        "defer4j: calibration: --prob 'foo': unknown column 'foo'; the columns of "
            + f
            + " are [p, o]");
    Run syntax = run("calibration", "--data", f.toString(), "--prob", "p", "--outcome", "o +");
    assertThat(syntax.exit()).isEqualTo(1);
    assertThat(syntax.err().strip())
        .startsWith("defer4j: calibration: --outcome 'o +': not a valid SQL expression")
        .doesNotContain("Parser Error");
    Run ok =
        run("calibration", "--data", f.toString(), "--prob", "least(1, p * 2)", "--outcome", "o");
    assertThat(ok.exit()).as(ok.err()).isZero();
  }

  // ---------------------------------------------------------------- --verbose

  @Test
  void verboseIsAcceptedBeforeAndAfterTheSubcommand() {
    String nope = dir.resolve("nope.csv").toString();
    String[] base = {"calibration", "--data", nope, "--prob", "p", "--outcome", "o"};
    Run plain = run(base);
    assertThat(plain.err().strip().lines().count()).isEqualTo(1);
    List<String> after = new ArrayList<>(List.of(base));
    after.add("--verbose");
    List<String> before = new ArrayList<>(List.of("--verbose"));
    before.addAll(List.of(base));
    for (List<String> args : List.of(after, before)) {
      Run r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err())
          .as(String.join(" ", args))
          .startsWith("defer4j: " + nope + ": no such file")
          .contains("\tat ");
    }
  }

  // ---------------------------------------------------------------- stderr stays clean

  @Test
  void helpAndACleanEvaluateWriteNothingToStderr() {
    List<String[]> runs = new ArrayList<>();
    runs.add(new String[] {});
    runs.add(new String[] {"--help"});
    runs.add(new String[] {"--version"});
    for (String name : new CommandLine(new Defer4jCommand()).getSubcommands().keySet()) {
      runs.add(new String[] {name, "--help"});
    }
    runs.add(cleanEvaluate());
    for (String[] args : runs) {
      Run r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.err()).as(String.join(" ", args)).isEmpty();
      assertThat(r.systemErr()).as(String.join(" ", args)).isEmpty();
    }
  }

  private static String[] cleanEvaluate() {
    return new String[] {
      "evaluate",
      "--data",
      DATA.resolve("routellm-gsm8k.csv").toString(),
      "--task",
      DATA.resolve("routellm-gsm8k.yaml").toString(),
      "--policy",
      "model",
      "--policy",
      "expert:gpt4"
    };
  }

  /**
   * picocli's own warnings go to the System.err of the moment picocli was first loaded, which in a
   * shared test JVM is not the one {@link #run} captures: a child JVM sees them.
   */
  @Test
  void theProcessWritesNothingToStderr() throws Exception {
    for (String[] args : List.of(new String[] {"--help"}, cleanEvaluate())) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Defer4jCommand.class.getName());
      cmd.addAll(List.of(args));
      Path errFile = dir.resolve("stderr.txt");
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(errFile.toFile())
              .start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
      assertThat(Files.readString(errFile)).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void noProgressBarOutsideATerminal() {
    // Tests run without a console, as CI and pipes do: no --quiet, and still no bar.
    Run r =
        run(
            "train",
            "--data",
            table.toString(),
            "--task",
            task.toString(),
            "--method",
            "ce",
            "--epochs",
            "3",
            "--out",
            dir.resolve("bar.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.systemErr()).isEmpty();
    assertThat(r.err()).isEmpty();
    assertThat(Terminal.showsProgress(false)).isEqualTo(System.console() != null);
    assertThat(Terminal.showsProgress(true)).isFalse();
  }

  // ---------------------------------------------------------------- option bounds

  @Test
  void optionsThatSizeMemoryHaveBounds() {
    String t = task.toString();
    String d = table.toString();
    String out = dir.resolve("never.json").toString();
    assertOneLineUsage(
        run("calibration", "--data", d, "--prob", "x.a", "--outcome", "x.a", "--bins", "100000000"),
        "--bins must be in [1, 10000], got 100000000",
        "calibration");
    assertOneLineUsage(
        run("calibration", "--data", d, "--prob", "x.a", "--outcome", "x.a", "--bins", "0"),
        "--bins must be in [1, 10000], got 0",
        "calibration");
    String[] train = {"train", "--data", d, "--task", t, "--method", "ce", "--out", out};
    assertOneLineUsage(
        run(concat(train, "--text-dim", "100000000")),
        "--text-dim must be in [1, 65536], got 100000000",
        "train");
    assertOneLineUsage(
        run(concat(train, "--batch", "0")), "--batch must be in [1, 1048576], got 0", "train");
    assertOneLineUsage(
        run(concat(train, "--epochs", "2000000000")),
        "--epochs must be in [1, 100000], got 2000000000",
        "train");
    assertOneLineUsage(
        run(concat(train, "--model", "mlp:64,1000000")),
        "--model mlp:64,1000000: hidden size 1000000 must be in [1, 8192]",
        "train");
    assertOneLineUsage(
        run(concat(train, "--lr", "-1")), "--lr must be a finite number > 0, got -1", "train");
    assertOneLineUsage(
        run(concat(train, "--triage-budget", "2")),
        "--triage-budget must be in (0, 1], got 2",
        "train");
    String[] fit = {"fit-model", "--data", d, "--task", twoStageTask.toString(), "--out-data", out};
    assertOneLineUsage(
        run(concat(fit, "--batch", "100000000")),
        "--batch must be in [1, 1048576], got 100000000",
        "fit-model");
    assertOneLineUsage(
        run(concat(fit, "--model", "mlp:100000")),
        "--model mlp:100000: hidden size 100000 must be in [1, 8192]",
        "fit-model");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }

  static void assertOneLineUsage(Run r, String message, String command) {
    assertThat(r.exit()).as(r.err()).isEqualTo(Defer4jCommand.EXIT_USAGE);
    assertThat(r.err().strip().lines())
        .containsExactly("defer4j: " + message, "Run 'defer4j " + command + " --help' for usage.");
  }

  static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  // ---------------------------------------------------------------- empty tables

  @Test
  void aHeaderOnlyTableIsRefusedByEveryCommand() throws IOException {
    String h = header.toString();
    String expected = "defer4j: " + h + ": the table has no rows";
    String t = task.toString();
    assertOneLine(
        run(
            "evaluate",
            "--data",
            h,
            "--task",
            t,
            "--policy",
            "model",
            "--report",
            dir.resolve("e.html").toString()),
        1,
        expected);
    assertOneLine(
        run(
            "train",
            "--data",
            h,
            "--task",
            t,
            "--method",
            "ce",
            "--out",
            dir.resolve("e.json").toString()),
        1,
        expected);
    assertOneLine(
        run(
            "fit-model",
            "--data",
            write("fm.csv", "y,x.a,m.e.y").toString(),
            "--task",
            twoStageTask.toString(),
            "--out-data",
            dir.resolve("fm-out.csv").toString()),
        1,
        "defer4j: " + dir.resolve("fm.csv") + ": the table has no rows");
    assertOneLine(
        run("routing-curve", "--data", h, "--task", t, "--policy", policy.toString()), 1, expected);
    assertOneLine(
        run(
            "route",
            "--policy",
            policy.toString(),
            "--data",
            h,
            "--out",
            dir.resolve("r.csv").toString()),
        1,
        expected);
    Path p = write("cal-header.csv", "p,o");
    assertOneLine(
        run(
            "calibration",
            "--data",
            p.toString(),
            "--prob",
            "p",
            "--outcome",
            "o",
            "--report",
            dir.resolve("c.html").toString()),
        1,
        "defer4j: " + p + ": the table has no rows");
  }
}
