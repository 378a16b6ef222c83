package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.defer4j.io.TestTables.assertSameTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferral tables built from the Palmer penguins data (CC0, /work/shared/data/penguins): species as
 * the class, island as the group, the four body measures as features, and seeded synthetic experts
 * as in the L2D literature.
 */
class PenguinsTest {
  static final Path PENGUINS = Path.of("/work/shared/data/penguins/penguins.csv");

  static final TaskSpec SPEC =
      TaskSpecIo.parse(
          """
          task: classification
          classes: [Adelie, Chinstrap, Gentoo]
          experts:
            - name: adelie_expert
              fee: 0.05
            - name: crowd
          """,
          "penguins.yaml");

  @TempDir Path dir;

  private Path deferralCsv(String where) {
    Path out = dir.resolve("penguins.csv");
    TestTables.sql(
        "COPY (SELECT species AS y, island AS \"group\", bill_length_mm AS \"x.bill_length_mm\","
            + " bill_depth_mm AS \"x.bill_depth_mm\", flipper_length_mm AS"
            + " \"x.flipper_length_mm\", body_mass_g AS \"x.body_mass_g\" FROM read_csv('"
            + PENGUINS
            + "', header=true, all_varchar=true) "
            + where
            + ") TO '"
            + out
            + "' (HEADER)");
    return out;
  }

  @Test
  void rejectsTheMissingMeasurementsOfTheRawFile() {
    assumeThat(Files.exists(PENGUINS)).as("penguins data in /work/shared/data").isTrue();
    // Data row 4 of penguins.csv (Adelie, Torgersen) has NA for all four measures.
    TaskSpec noExperts =
        TaskSpecIo.parse("task: classification\nclasses: [Adelie, Chinstrap, Gentoo]\n", "s");
    Path f = deferralCsv("");
    assertThatThrownBy(() -> DeferralTableReader.read(f, noExperts))
        .isInstanceOf(TableFormatException.class)
        .hasMessage(f + ": row 4, column x.bill_length_mm: not a number: 'NA'");
  }

  @Test
  void cleanedTableWithSyntheticExpertsRoundTrips() {
    assumeThat(Files.exists(PENGUINS)).as("penguins data in /work/shared/data").isTrue();
    TaskSpec noExperts =
        TaskSpecIo.parse("task: classification\nclasses: [Adelie, Chinstrap, Gentoo]\n", "s");
    DeferralTable base =
        DeferralTableReader.read(deferralCsv("WHERE bill_length_mm <> 'NA'"), noExperts);
    // 344 penguins less the two rows without measures (one Adelie, one Gentoo); class counts
    // 152/68/124 of the published data set less those two.
    assertThat(base.rows()).isEqualTo(342);
    int[] counts = new int[3];
    for (int y : base.labels()) {
      counts[y]++;
    }
    assertThat(counts).containsExactly(151, 68, 123);
    // First data row of penguins.csv: Adelie, Torgersen, 39.1, 18.7, 181, 3750.
    assertThat(base.label(0)).isZero();
    assertThat(base.group(0)).isEqualTo("Torgersen");
    assertThat(base.featureRow(0)).containsExactly(39.1, 18.7, 181, 3750);

    // Experts: one correct on Adelie and uniform elsewhere; a crowd worker right 70% of the time
    // who saw only 60% of the birds (seeded, as the literature's simulators).
    SplittableRandom rnd = new SplittableRandom(2024);
    int n = base.rows();
    int[] adelie = new int[n];
    int[] crowd = new int[n];
    double[] crowdCost = new double[n];
    for (int i = 0; i < n; i++) {
      int y = base.label(i);
      adelie[i] = y == 0 ? 0 : rnd.nextInt(3);
      boolean seen = rnd.nextDouble() < 0.6;
      crowd[i] = !seen ? AgentColumns.UNOBSERVED : rnd.nextDouble() < 0.7 ? y : rnd.nextInt(3);
      crowdCost[i] = !seen ? Double.NaN : crowd[i] == y ? 0 : 1;
    }
    DeferralTable.Builder b =
        DeferralTable.builder("penguins", n)
            .features(base.featureNames(), base.featureBlock().clone())
            .labels(base.labels());
    String[] groups = new String[n];
    for (int i = 0; i < n; i++) {
      groups[i] = base.group(i);
    }
    DeferralTable table =
        b.groups(groups)
            .agent("adelie_expert", new AgentColumns(n, adelie, null, null, 0, null))
            .agent("crowd", new AgentColumns(n, crowd, null, null, 0, crowdCost))
            .build();
    for (String name : List.of("penguins-deferral.csv", "penguins-deferral.parquet")) {
      Path f = dir.resolve(name);
      DeferralTableWriter.write(table, SPEC, f);
      assertSameTable(DeferralTableReader.read(f, SPEC), table);
    }
  }
}
