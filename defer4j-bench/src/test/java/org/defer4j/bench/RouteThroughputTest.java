package org.defer4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the route benchmark, so that its main cannot rot unnoticed. */
class RouteThroughputTest {
  @Test
  void casesTableHasIdsAndFeaturesButNoOutcomes() {
    DeferralTable t = RouteThroughput.casesTable(10, 3, new SplittableRandom(1));
    assertThat(t.rows()).isEqualTo(10);
    assertThat(t.featureNames()).containsExactly("f0", "f1", "f2");
    assertThat(t.id(0)).isEqualTo("c0000001");
    assertThat(t.hasLabels()).isFalse();
    assertThat(t.agents()).isEmpty();
  }

  @Test
  void routesASmallTableEndToEnd(@TempDir Path dir) throws Exception {
    RouteThroughput.main(new String[] {"-dir", dir.toString(), "-rows", "3000", "-runs", "1"});
    assertThat(dir.resolve("cases-3000x32-seed2026.parquet")).exists();
    assertThat(dir.resolve("policy-ova.json")).exists();
    // The decisions file is removed after the run; the inputs are kept for the next run.
    assertThat(Files.exists(dir.resolve("decisions.parquet"))).isFalse();
  }
}
