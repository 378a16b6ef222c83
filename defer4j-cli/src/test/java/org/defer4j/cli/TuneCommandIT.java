package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defer4j.cli.CommandLineIT.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune} / {@code train --tune} and the training warnings end to end on the bundled attrition
 * tables (882 training rows, 18 features, synthetic expert hr). Measured with this code: {@code
 * ova} with the former defaults (Adam lr 0.001, 30 epochs, patience 5) keeps epoch 1 of 6 and
 * reaches validation cost 0.4252 against 0.1463 for hr alone; with the current defaults 0.0850.
 */
class TuneCommandIT {
  private static final Path DATA =
      Path.of(System.getProperty("defer4j.root", ".")).resolve("datasets");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FORMER_DEFAULTS = {
    "--lr", "0.001", "--epochs", "30", "--patience", "5"
  };

  private static Run attrition(String command, String method, Path out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                command,
                "--data",
                DATA.resolve("attrition-train.csv").toString(),
                "--val",
                DATA.resolve("attrition-val.csv").toString(),
                "--task",
                DATA.resolve("attrition.yaml").toString(),
                "--method",
                method,
                "--quiet",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return CommandLineIT.run(args.toArray(String[]::new));
  }

  private static double validationCost(String out) {
    Matcher m = Pattern.compile("validation: accuracy=\\S+ +cost=([0-9.]+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theFormerDefaultsWarnAndTheCurrentOnesDoNot(@TempDir Path tmp) {
    Run former = attrition("train", "ova", tmp.resolve("a.json"), FORMER_DEFAULTS);
    assertThat(former.exit()).as(former.err()).isZero();
    assertThat(validationCost(former.out())).isEqualTo(0.4252);
    assertThat(former.out())
        .contains(
            "warning: validation cost 0.4252 is worse than expert hr alone (0.1463)",
            "warning: training kept epoch 1 of 6 run (at most 30): the learning rate 0.001 may be"
                + " too small");
    Run current = attrition("train", "ova", tmp.resolve("b.json"));
    assertThat(current.exit()).as(current.err()).isZero();
    assertThat(validationCost(current.out())).isLessThan(0.1463);
    assertThat(current.out()).doesNotContain("warning:");
    // rows x epochs run / seconds of fitting, printed beside the time
    assertThat(current.out())
        .containsPattern("trained in [0-9.]+ s \\([0-9,]+ samples/s: [0-9,]+ rows x epochs run / ");
  }

  @Test
  void tuningFromThePoorFormerDefaultsFindsAMuchCheaperPolicy(@TempDir Path tmp)
      throws IOException {
    Path table = tmp.resolve("trials.csv");
    Path policy = tmp.resolve("t.json");
    Path json = tmp.resolve("m.json");
    List<String> opts = new java.util.ArrayList<>(List.of(FORMER_DEFAULTS));
    opts.addAll(
        List.of(
            "--tune-trials",
            "6",
            "--tune-seed",
            "3",
            "--tune-threads",
            "2",
            "--tune-table",
            table.toString(),
            "--json",
            json.toString()));
    Run t = attrition("tune", "ova", policy, opts.toArray(String[]::new));
    assertThat(t.exit()).as(t.err()).isZero();
    List<String> rows = Files.readAllLines(table);
    assertThat(rows).hasSize(7);
    assertThat(rows.get(1)).startsWith("0,ova,0.001,0,30,5,0,6,1,0.425170,");
    double tuned = validationCost(t.out());
    // Trial 0 is the former defaults (0.4252); the winner of 6 trials is at least 0.25 cheaper.
    assertThat(tuned).isLessThan(0.4252 - 0.25);
    assertThat(t.out()).contains("best: trial ").doesNotContain("worse than expert hr alone");
    JsonNode prov = JSON.readTree(json.toFile()).get("provenance");
    assertThat(prov.get("options").get("tune_trials").asText()).isEqualTo("6");
    assertThat(prov.get("options").get("tune_table").asText()).isEqualTo(Files.readString(table));

    // train --tune is the same search: the same table, whatever the thread count.
    Path table1 = tmp.resolve("trials1.csv");
    List<String> again = new java.util.ArrayList<>(List.of(FORMER_DEFAULTS));
    again.addAll(
        List.of(
            "--tune",
            "--tune-trials",
            "6",
            "--tune-seed",
            "3",
            "--tune-threads",
            "1",
            "--tune-table",
            table1.toString()));
    Run t1 = attrition("train", "ova", tmp.resolve("t1.json"), again.toArray(String[]::new));
    assertThat(t1.exit()).as(t1.err()).isZero();
    assertThat(withoutSeconds(Files.readAllLines(table1))).isEqualTo(withoutSeconds(rows));
  }

  /** Every trial of {@code --tune} trains in the precision given, and the winner records it. */
  @Test
  void tuningKeepsTheGivenPrecision(@TempDir Path tmp) throws java.io.IOException {
    Path out = tmp.resolve("f32.json");
    Run r =
        attrition(
            "train",
            "ova",
            out,
            "--tune",
            "--tune-trials",
            "3",
            "--precision",
            "float32",
            "--epochs",
            "20");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(JSON.readTree(out.toFile()).toString()).contains("\"precision\":\"float32\"");
  }

  @Test
  void tuningNeedsAValidationTable(@TempDir Path tmp) {
    Run r =
        CommandLineIT.run(
            "train",
            "--data",
            DATA.resolve("attrition-train.csv").toString(),
            "--task",
            DATA.resolve("attrition.yaml").toString(),
            "--method",
            "ova",
            "--tune",
            "--out",
            tmp.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(r.err().strip())
        .isEqualTo("defer4j: --tune scores every trial on a validation table: give --val");
  }

  /** The CSV without its seconds column (the 12th), which is wall time. */
  private static List<String> withoutSeconds(List<String> rows) {
    return rows.stream().map(l -> l.replaceAll("^((?:[^,]*,){11})[^,]*", "$1")).toList();
  }
}
