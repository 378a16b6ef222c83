package org.defer4j.cli.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables with a protected attribute (attrition, flchain) are what their derivation writes from
 * the raw data: rebuilt into a temporary folder, every file equals the bundled one byte for byte,
 * and the flchain split has the sizes and the group balance of the raw study (4,350 women and 3,524
 * men, counted in shared/data/survival/survival_flchain.csv).
 */
class GroupTablesTest {
  private static final Path BUNDLED =
      Path.of(System.getProperty("defer4j.root", ".")).resolve("datasets");

  private static Path raw(String folder) {
    String root = System.getProperty("defer4j.shared.data");
    Assumptions.assumeTrue(root != null, "system property defer4j.shared.data is not set");
    Path dir = Path.of(root).resolve(folder);
    Assumptions.assumeTrue(Files.isDirectory(dir), "no raw data at " + dir);
    return dir;
  }

  @Test
  void attritionAndFlchainRebuildByteForByte(@TempDir Path out) throws Exception {
    PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Attrition.write(raw("modeldata"), out, log);
    FlChain.write(raw("survival"), out, log);
    for (String f :
        List.of(
            "attrition-train.csv",
            "attrition-val.csv",
            "attrition-test.csv",
            "attrition.yaml",
            "flchain-train.csv",
            "flchain-val.csv",
            "flchain-test.csv",
            "flchain.yaml")) {
      assertThat(Files.mismatch(out.resolve(f), BUNDLED.resolve(f))).as(f).isEqualTo(-1L);
    }
    long women = 0;
    long rows = 0;
    for (String split : List.of("train", "val", "test")) {
      List<String> lines = Files.readAllLines(out.resolve("flchain-" + split + ".csv"));
      assertThat(lines.get(0))
          .startsWith("y,group,x.age,")
          .doesNotContain("futime")
          .doesNotContain("chapter")
          .endsWith(",m.clinician.y");
      rows += lines.size() - 1;
      women += lines.stream().skip(1).filter(l -> l.split(",")[1].equals("F")).count();
      assertThat(lines.size() - 1).isEqualTo(split.equals("train") ? 4724 : 1575);
    }
    assertThat(rows).isEqualTo(7874);
    assertThat(women).isEqualTo(4350);
  }
}
