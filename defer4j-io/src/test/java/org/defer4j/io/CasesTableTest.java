package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.defer4j.io.TestTables.assertSameTable;
import static org.defer4j.io.TestTables.csv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases tables (what a router reads: no outcomes) and {@code avail.<agent>} columns. */
class CasesTableTest {
  @TempDir Path dir;

  static final TaskSpec SPEC =
      TaskSpecIo.parse(
          """
          task: classification
          classes: [hate, offensive, neither]
          model: densenet
          experts:
            - name: alice
              fee: 0.1
            - bob
          """,
          "task.yaml");

  private static final double NAN = Double.NaN;

  @ParameterizedTest
  @ValueSource(strings = {"c.csv", "c.parquet"})
  void casesWithOnlyFeaturesAndIds(String name) {
    Path f = file(name, "id,x.len,x.caps", "a1,12,0.25", "a2,40,0");
    DeferralTable t = DeferralTableReader.readCases(f, SPEC);
    assertThat(t.rows()).isEqualTo(2);
    assertThat(t.hasLabels()).isFalse();
    assertThat(t.hasTargets()).isFalse();
    assertThat(t.featureNames()).containsExactly("len", "caps");
    assertThat(t.featureBlock()).containsExactly(12, 0.25, 40, 0);
    assertThat(new String[] {t.id(0), t.id(1)}).containsExactly("a1", "a2");
    // Declared agents without columns are not part of the table.
    assertThat(t.agents()).isEmpty();
    assertThat(t.hasAvailability()).isFalse();
    assertThat(t.available("alice", 1)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"c.csv", "c.parquet"})
  void casesWithTheFrozenModelsProbabilities(String name) {
    Path f =
        file(
            name,
            "id,x.len,m.densenet.p.hate,m.densenet.p.offensive,m.densenet.p.neither",
            "a1,12,0.7,0.2,0.1",
            "a2,40,0.1,0.8,0.1");
    DeferralTable t = DeferralTableReader.readCases(f, SPEC);
    assertThat(t.agents().keySet()).containsExactly("densenet");
    AgentColumns net = t.agent("densenet");
    assertThat(net.probabilities()).containsExactly(0.7, 0.2, 0.1, 0.1, 0.8, 0.1);
    assertThat(t.hasLabels()).isFalse();
  }

  @Test
  void presentColumnsAreStillValidatedInCasesMode() {
    Path partial = csv(dir, "p.csv", "x.len,m.densenet.p.hate,m.densenet.p.offensive", "1,0.5,0.5");
    assertThatThrownBy(() -> DeferralTableReader.readCases(partial, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessageStartingWith(
            partial + ": column m.densenet.p.neither: missing column; the m.densenet.p.* columns");
    Path badLabel = csv(dir, "y.csv", "y,x.len", "hate,1", "cat,2");
    assertThatThrownBy(() -> DeferralTableReader.readCases(badLabel, SPEC))
        .hasMessage(
            badLabel + ": row 2, column y: class 'cat' is not one of [hate, offensive, neither]");
    Path stranger = csv(dir, "s.csv", "x.len,m.carol.y", "1,hate");
    assertThatThrownBy(() -> DeferralTableReader.readCases(stranger, SPEC))
        .hasMessageStartingWith(stranger + ": column m.carol.y: agent 'carol' is not declared");
  }

  @Test
  void casesModeStillNeedsTheTextColumn() {
    TaskSpec text = TaskSpecIo.parse("task: classification\nclasses: [a, b]\ntext: tweet\n", "s");
    Path f = csv(dir, "t.csv", "id,x.len", "a1,1");
    assertThatThrownBy(() -> DeferralTableReader.readCases(f, text))
        .hasMessage(
            f + ": column tweet: missing column; the task spec names it as the text column");
    DeferralTable t =
        DeferralTableReader.readCases(csv(dir, "u.csv", "id,tweet", "a1,hello"), text);
    assertThat(t.text().get("tweet")).containsExactly("hello");
  }

  @Test
  void regressionCasesNeedNoTarget() {
    TaskSpec reg = TaskSpecIo.parse("task: regression\nexperts: [e]\n", "s");
    DeferralTable t = DeferralTableReader.readCases(csv(dir, "r.csv", "x.a", "1", "2"), reg);
    assertThat(t.hasTargets()).isFalse();
    assertThat(t.featureBlock()).containsExactly(1, 2);
  }

  @Test
  void labelledFileReadAsCasesKeepsItsLabels() {
    Path f =
        csv(
            dir,
            "l.csv",
            "id,y,x.len,m.densenet.y,m.alice.y,m.bob.y,cost.bob",
            "a1,hate,12,hate,offensive,,0.5",
            "a2,neither,40,neither,,hate,");
    DeferralTable cases = DeferralTableReader.readCases(f, SPEC);
    assertThat(cases.labels()).containsExactly(0, 2);
    assertSameTable(cases, DeferralTableReader.read(f, SPEC));
  }

  @Test
  void labelledReadStillRefusesATableWithoutY() {
    Path f = csv(dir, "n.csv", "id,x.len,m.densenet.y,m.alice.y,m.bob.y", "a1,1,hate,hate,hate");
    assertThatThrownBy(() -> DeferralTableReader.read(f, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(
            f
                + ": column y: missing column; a classification task needs the true class y of"
                + " every row");
    Path noAgents = csv(dir, "m.csv", "y,x.len", "hate,1");
    assertThatThrownBy(() -> DeferralTableReader.read(noAgents, SPEC))
        .hasMessageStartingWith(
            noAgents + ": column m.densenet.*: agent 'densenet' is declared in the task spec");
  }

  // ---------------------------------------------------------------- availability

  @ParameterizedTest
  @ValueSource(strings = {"a.csv", "a.parquet"})
  void availabilityReadsZeroOneAndTrueFalse(String name) {
    Path f =
        file(name, "id,x.len,avail.alice,avail.bob", "a1,1,1,true", "a2,2,0,FALSE", "a3,3,1,False");
    DeferralTable t = DeferralTableReader.readCases(f, SPEC);
    assertThat(t.hasAvailability()).isTrue();
    assertThat(t.availability().keySet()).containsExactly("alice", "bob");
    assertThat(t.availability().get("alice")).containsExactly(true, false, true);
    assertThat(t.availability().get("bob")).containsExactly(true, false, false);
    assertThat(t.available("alice", 1)).isFalse();
    assertThat(t.available("densenet", 1)).isTrue();
  }

  @Test
  void availabilityFromTypedParquetColumns() {
    // A pandas or Spark pipeline writes BOOLEAN or integer columns rather than text.
    Path f = dir.resolve("typed.parquet");
    TestTables.sql(
        "COPY (SELECT i * 1.0 AS \"x.v\", i % 2 = 0 AS \"avail.alice\", CAST(i % 3 = 0 AS"
            + " INTEGER) AS \"avail.bob\", CAST(i < 2 AS DOUBLE) AS \"avail.densenet\" FROM"
            + " range(4) t(i)) TO '"
            + f
            + "' (FORMAT parquet)");
    DeferralTable t = DeferralTableReader.readCases(f, SPEC);
    // Rows i = 0..3: alice = (i even), bob = (i mod 3 == 0), densenet = (i < 2).
    assertThat(t.availability().get("alice")).containsExactly(true, false, true, false);
    assertThat(t.availability().get("bob")).containsExactly(true, false, false, true);
    assertThat(t.availability().get("densenet")).containsExactly(true, true, false, false);
  }

  @Test
  void availabilityOfAnUndeclaredAgentIsRefused() {
    Path f = csv(dir, "u.csv", "x.len,avail.carol", "1,1");
    assertThatThrownBy(() -> DeferralTableReader.readCases(f, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(
            f
                + ": column avail.carol: agent 'carol' is not declared in the task spec; declared"
                + " agents: [densenet, alice, bob]")
        .satisfies(e -> DeferralTableReaderTest.assertLocated(e, f, 0, "avail.carol"));
    Path bare = csv(dir, "b.csv", "x.len,avail.", "1,1");
    assertThatThrownBy(() -> DeferralTableReader.readCases(bare, SPEC))
        .hasMessage(
            bare + ": column avail.: an availability column needs an agent name after 'avail.'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v.csv", "v.parquet"})
  void badAvailabilityCellsAreNamedByRowAndColumn(String name) {
    Path two = file(name, "x.len,avail.alice", "1,1", "2,0", "3,2");
    assertThatThrownBy(() -> DeferralTableReader.readCases(two, SPEC))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(
            two
                + ": row 3, column avail.alice: '2' is not an availability; 0 or 1 expected (or"
                + " true/false)")
        .satisfies(e -> DeferralTableReaderTest.assertLocated(e, two, 3, "avail.alice"));
  }

  @Test
  void emptyOrWordyAvailabilityCellsAreRefused() {
    Path empty = csv(dir, "e.csv", "x.len,avail.alice", "1,1", "2,");
    assertThatThrownBy(() -> DeferralTableReader.readCases(empty, SPEC))
        .hasMessage(
            empty
                + ": row 2, column avail.alice: empty availability cell; 0 or 1 expected (1: the"
                + " agent may be asked for this case, 0: not)");
    Path yes = csv(dir, "y.csv", "x.len,avail.alice", "1,yes");
    assertThatThrownBy(() -> DeferralTableReader.readCases(yes, SPEC))
        .hasMessageStartingWith(yes + ": row 1, column avail.alice: 'yes' is not an availability");
    // The labelled read checks availability the same way.
    Path labelled =
        csv(dir, "l.csv", "y,m.densenet.y,m.alice.y,m.bob.y,avail.bob", "hate,hate,hate,hate,0.5");
    assertThatThrownBy(() -> DeferralTableReader.read(labelled, SPEC))
        .hasMessageStartingWith(
            labelled + ": row 1, column avail.bob: '0.5' is not an availability");
  }

  @Test
  void unknownColumnMessageListsAvailability() {
    Path f = csv(dir, "k.csv", "x.len,colour", "1,red");
    assertThatThrownBy(() -> DeferralTableReader.readCases(f, SPEC))
        .hasMessageContaining("cost.<agent>, avail.<agent>, id, group, weight");
  }

  @ParameterizedTest
  @ValueSource(strings = {"w.parquet", "w.csv"})
  void writerRoundTripKeepsAvailability(String name) throws Exception {
    DeferralTable t =
        DeferralTable.builder("mem", 3)
            .features(List.of("len"), new double[] {1, 2, 3})
            .labels(new int[] {0, 1, 2})
            .agent("densenet", new AgentColumns(3, new int[] {0, 1, 1}, null, null, 0, null))
            .agent("alice", new AgentColumns(3, new int[] {-1, 1, 2}, null, null, 0, null))
            .agent("bob", new AgentColumns(3, null, null, null, 0, new double[] {0, NAN, 1}))
            .availability("alice", new boolean[] {true, false, true})
            .availability("bob", new boolean[] {false, false, true})
            .build();
    Path f = dir.resolve(name);
    DeferralTableWriter.write(t, SPEC, f);
    DeferralTable back = DeferralTableReader.read(f, SPEC);
    assertSameTable(back, t);
    assertThat(back.availability().keySet()).containsExactly("alice", "bob");
    assertThat(back.availability().get("alice")).containsExactly(true, false, true);
    assertThat(back.availability().get("bob")).containsExactly(false, false, true);
    assertSameTable(DeferralTableReader.readCases(f, SPEC), t);
    if (name.endsWith(".csv")) {
      // DESIGN.md §4 spells availability as 1 and 0.
      assertThat(Files.readAllLines(f).get(1)).endsWith(",1,0");
    }
  }

  @Test
  void writerRefusesAvailabilityOfAnUndeclaredAgent() {
    DeferralTable t =
        DeferralTable.builder("mem", 1)
            .labels(new int[] {0})
            .agent("densenet", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .agent("alice", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .agent("bob", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .availability("carol", new boolean[] {true})
            .build();
    assertThatThrownBy(() -> DeferralTableWriter.write(t, SPEC, dir.resolve("c.parquet")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mem: agent 'carol' has availability but is not declared in the task spec");
  }

  @Test
  void availabilityTravelsWithSelectWithFeaturesAndWithAgent() {
    boolean[] alice = {true, false, true};
    DeferralTable t =
        DeferralTable.builder("mem", 3)
            .features(List.of("len"), new double[] {1, 2, 3})
            .availability("alice", alice)
            .build();
    // The map holds copies: writing to them changes nothing in the table.
    t.availability().get("alice")[0] = false;
    assertThat(t.available("alice", 0)).isTrue();
    assertThatThrownBy(() -> t.availability().put("bob", new boolean[3]))
        .isInstanceOf(UnsupportedOperationException.class);

    DeferralTable picked = t.select(new int[] {2, 1});
    assertThat(picked.availability().get("alice")).containsExactly(true, false);
    DeferralTable refeatured = t.withFeatures(List.of("a", "b"), new double[6]);
    assertThat(refeatured.availability().get("alice")).containsExactly(true, false, true);
    DeferralTable withBob =
        t.withAgent("bob", new AgentColumns(3, new int[] {0, 1, 2}, null, null, 0, null));
    assertThat(withBob.availability().get("alice")).containsExactly(true, false, true);
    assertThat(withBob.hasLabels()).isFalse();

    assertThatThrownBy(() -> DeferralTable.builder("mem", 3).availability("alice", new boolean[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("availability of agent 'alice' has length 2, expected 3");
  }

  // ---------------------------------------------------------------- a bundled table

  @Test
  void bundledHateSpeechTestSetReadsTheSameAsCases() throws Exception {
    Path data = Path.of(System.getProperty("defer4j.root", "..")).resolve("datasets");
    Path table = data.resolve("hatespeech-test.parquet");
    Path yaml = data.resolve("hatespeech.yaml");
    assumeThat(Files.isRegularFile(table) && Files.isRegularFile(yaml))
        .as("bundled datasets/ not found under " + data.toAbsolutePath())
        .isTrue();
    TaskSpec spec = TaskSpecIo.parse(Files.readString(yaml), yaml.toString());
    DeferralTable labelled = DeferralTableReader.read(table, spec);
    DeferralTable cases = DeferralTableReader.readCases(table, spec);
    assertThat(cases.rows()).isEqualTo(labelled.rows()).isPositive();
    assertThat(cases.featureNames()).isEqualTo(labelled.featureNames());
    assertThat(cases.featureBlock()).isEqualTo(labelled.featureBlock());
    assertThat(cases.hasIds()).isEqualTo(labelled.hasIds());
    for (int i = 0; i < cases.rows(); i++) {
      assertThat(cases.id(i)).isEqualTo(labelled.id(i));
    }
    // The file is labelled, so the cases read keeps everything else too.
    assertSameTable(cases, labelled);
  }

  /** A small CSV, or the same cells as Parquet (DuckDB's own type detection) for .parquet. */
  private Path file(String name, String... lines) {
    if (name.endsWith(".csv")) {
      return csv(dir, name, lines);
    }
    Path plain = csv(dir, name.replace(".parquet", "") + "-source.csv", lines);
    return TestTables.toParquet(plain, dir.resolve(name));
  }
}
