package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.defer4j.io.TestTables.assertSameTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeferralTableWriterTest {
  @TempDir Path dir;

  static final TaskSpec SPEC =
      new TaskSpec(
          TaskKind.MULTITASK,
          List.of("no", "yes", "a, \"b\"", "7"),
          "net",
          List.of(Agent.expert("alice", 0.1), Agent.expert("bob", 0)),
          null,
          "note");

  /** Doubles whose decimal form is hard to round-trip: extremes, subnormals, long mantissas. */
  static final double[] HARD = {
    0.1,
    1.0 / 3,
    -0.0,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    9007199254740993.0,
    1e23,
    2e22,
    123456789.12345679,
    -6.02214076e23,
    4.9406564584124654e-324
  };

  /**
   * A seeded table with every part: features mixing hard doubles and random bit patterns, labels,
   * targets, weights, ids and groups with CSV-hostile characters, agents with unobserved cells, and
   * availability for two agents.
   */
  static DeferralTable randomTable(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int d = 5;
    int k = SPEC.classCount();
    double[] f = new double[n * d];
    for (int i = 0; i < f.length; i++) {
      f[i] = i % 3 == 0 ? HARD[rnd.nextInt(HARD.length)] : randomFinite(rnd);
    }
    int[] labels = new int[n];
    double[] targets = new double[n];
    double[] weights = new double[n];
    String[] ids = new String[n];
    String[] groups = new String[n];
    String[] notes = new String[n];
    String[] odd = {"plain", "comma, here", "quote \"q\"", "line\nbreak", "ünï", "", " pad "};
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextInt(k);
      targets[i] = randomFinite(rnd);
      weights[i] = rnd.nextDouble() * 3;
      ids[i] = "id-" + i + odd[i % odd.length].strip();
      groups[i] = i % 2 == 0 ? "g,1" : "g\"2";
      notes[i] = odd[rnd.nextInt(odd.length)];
    }
    DeferralTable.Builder b =
        DeferralTable.builder("random", n)
            .features(List.of("a", "b b", "c.d", "é", "E2"), f)
            .labels(labels)
            .targets(targets)
            .weights(weights)
            .ids(ids)
            .groups(groups)
            .text("note", notes);
    double[] probs = new double[n * k];
    int[] netClass = new int[n];
    int[] alice = new int[n];
    double[] bobValue = new double[n];
    double[] bobCost = new double[n];
    for (int i = 0; i < n; i++) {
      boolean seen = rnd.nextDouble() < 0.8;
      double sum = 0;
      for (int c = 0; c < k; c++) {
        probs[i * k + c] = seen ? rnd.nextDouble() : Double.NaN;
        sum += probs[i * k + c];
      }
      for (int c = 0; c < k && seen; c++) {
        probs[i * k + c] /= sum;
      }
      netClass[i] = rnd.nextDouble() < 0.1 ? AgentColumns.UNOBSERVED : rnd.nextInt(k);
      alice[i] = rnd.nextDouble() < 0.5 ? AgentColumns.UNOBSERVED : rnd.nextInt(k);
      bobValue[i] = rnd.nextDouble() < 0.3 ? Double.NaN : randomFinite(rnd);
      bobCost[i] = rnd.nextDouble() < 0.3 ? Double.NaN : rnd.nextDouble();
    }
    b.agent("net", new AgentColumns(n, netClass, null, probs, k, null));
    b.agent("alice", new AgentColumns(n, alice, null, null, 0, null));
    b.agent("bob", new AgentColumns(n, null, bobValue, null, 0, bobCost));
    boolean[] aliceFree = new boolean[n];
    boolean[] netUp = new boolean[n];
    for (int i = 0; i < n; i++) {
      aliceFree[i] = rnd.nextBoolean();
      netUp[i] = rnd.nextDouble() < 0.9;
    }
    b.availability("alice", aliceFree).availability("net", netUp);
    return b.build();
  }

  private static double randomFinite(SplittableRandom rnd) {
    while (true) {
      double v = Double.longBitsToDouble(rnd.nextLong());
      if (Double.isFinite(v)) {
        return v;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"t.csv", "t.csv.gz", "t.parquet"})
  void roundTripsEveryCellExactly(String name) {
    DeferralTable table = randomTable(2_000, 42);
    Path f = dir.resolve(name);
    DeferralTableWriter.write(table, SPEC, f);
    // Same table after write + read: doubles bit for bit (bar NaN payloads, which mean
    // "unobserved"), strings char for char.
    assertSameTable(DeferralTableReader.read(f, SPEC), table);
  }

  @Test
  void writesClassNamesAndEmptyCellsInTheDocumentedLayout() throws Exception {
    TaskSpec spec =
        TaskSpecIo.parse(
            "task: classification\nclasses: [hate, offensive, neither]\nexperts: [alice]\n", "s");
    DeferralTable t =
        DeferralTable.builder("m", 2)
            .features(List.of("len"), new double[] {12, 0.5})
            .labels(new int[] {0, 2})
            .agent(
                "alice",
                new AgentColumns(
                    2, new int[] {-1, 1}, null, null, 0, new double[] {0.25, Double.NaN}))
            .build();
    Path f = dir.resolve("m.csv");
    DeferralTableWriter.write(t, spec, f);
    // Hand-written expectation of DESIGN.md §4's layout.
    assertThat(Files.readAllLines(f))
        .containsExactly(
            "y,x.len,m.alice.y,cost.alice", "hate,12.0,,0.25", "neither,0.5,offensive,");
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("t.parquet");
    Files.writeString(f, "old content");
    DeferralTable t = randomTable(10, 7);
    DeferralTableWriter.write(t, SPEC, f);
    assertSameTable(DeferralTableReader.read(f, SPEC), t);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void refusesTablesTheReaderWouldRefuse() {
    TaskSpec spec = TaskSpecIo.parse("task: classification\nclasses: [a, b]\nexperts: [e]\n", "s");
    Path f = dir.resolve("bad.csv");
    List<DeferralTable> bad = new ArrayList<>();
    bad.add(small(new int[] {0, 2}, new double[] {1, 2}, "e"));
    bad.add(small(new int[] {0, 1}, new double[] {1, Double.NaN}, "e"));
    bad.add(small(new int[] {0, 1}, new double[] {1, 2}, "stranger"));
    List<String> messages =
        List.of(
            "small: row 2, column y: class index 2 is outside [0, 2)",
            "small: row 2, column x.v: not a finite number: NaN",
            "small: agent 'e' is declared in the task spec but has no columns");
    for (int c = 0; c < bad.size(); c++) {
      DeferralTable t = bad.get(c);
      assertThatThrownBy(() -> DeferralTableWriter.write(t, spec, f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(messages.get(c));
      assertThat(f).doesNotExist();
    }
  }

  private static DeferralTable small(int[] labels, double[] x, String agent) {
    return DeferralTable.builder("small", 2)
        .features(List.of("v"), x)
        .labels(labels)
        .agent(agent, new AgentColumns(2, new int[] {0, -1}, null, null, 0, null))
        .build();
  }
}
