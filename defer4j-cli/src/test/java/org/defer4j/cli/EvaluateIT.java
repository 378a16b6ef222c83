package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.defer4j.cli.CommandLineIT.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} under one task: the fees of the task given win over the ones a policy was
 * trained with; figures do not depend on the order of the policies; a one-stage "model" or "oracle"
 * needs a trained policy's classifier; policy names are unique. Each case failed before the
 * evaluation read its task from the command line alone.
 */
class EvaluateIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  @TempDir static Path dir;
  private static Path ova;
  private static Path ce;
  private static Path dearTask;

  @BeforeAll
  static void train() throws IOException {
    ova = dir.resolve("ova.json");
    ce = dir.resolve("ce.json");
    CommandLineIT.trainHateSpeech("ova", ova, "--epochs", "3");
    CommandLineIT.trainHateSpeech("ce", ce, "--epochs", "3");
    dearTask = dir.resolve("dear.yaml");
    Files.writeString(
        dearTask,
        Files.readString(DATA.resolve("hatespeech.yaml")).replace("fee: 0.0", "fee: 0.3"));
    assertThat(Files.readString(dearTask)).contains("fee: 0.3");
  }

  private static Map<String, JsonNode> evaluate(Path task, String... policies) throws IOException {
    Path json = dir.resolve("e" + System.nanoTime() + ".json");
    String[] args = new String[6 + 2 * policies.length];
    args[0] = "evaluate";
    args[1] = "--data";
    args[2] = DATA.resolve("hatespeech-test.parquet").toString();
    args[3] = "--task";
    args[4] = task.toString();
    for (int i = 0; i < policies.length; i++) {
      args[5 + 2 * i] = "--policy";
      args[6 + 2 * i] = policies[i];
    }
    args[args.length - 1] = "--json=" + json;
    Run r = CommandLineIT.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, JsonNode> out = new HashMap<>();
    JsonNode root = JSON.readTree(json.toFile());
    JsonNode list = root.has("policies") ? root.get("policies") : JSON.createArrayNode().add(root);
    list.forEach(p -> out.put(p.get("policy").asText(), p));
    return out;
  }

  @Test
  void theTaskGivenSetsTheFees() throws IOException {
    Map<String, JsonNode> cheap =
        evaluate(DATA.resolve("hatespeech.yaml"), "expert:annotator", ova.toString());
    Map<String, JsonNode> dear = evaluate(dearTask, "expert:annotator", ova.toString());
    Map<String, JsonNode> alone = evaluate(dearTask, "expert:annotator");
    // The expert alone costs its error rate plus the fee on every case: +0.3 exactly.
    double e0 = cheap.get("expert:annotator").get("system_cost").asDouble();
    assertThat(dear.get("expert:annotator").get("system_cost").asDouble())
        .isCloseTo(e0 + 0.3, within(1e-12));
    assertThat(alone.get("expert:annotator").get("system_cost").asDouble())
        .isCloseTo(e0 + 0.3, within(1e-12));
    // The trained policy defers the same cases (its decisions do not read fees) and pays 0.3
    // more on each deferred case: Δcost = 0.3 × (1 − coverage).
    double c0 = cheap.get("ova").get("system_cost").asDouble();
    double coverage = cheap.get("ova").get("coverage").asDouble();
    assertThat(dear.get("ova").get("coverage").asDouble()).isEqualTo(coverage);
    assertThat(dear.get("ova").get("system_cost").asDouble())
        .isCloseTo(c0 + 0.3 * (1 - coverage), within(1e-12));
    assertThat(dear.get("ova").get("system_accuracy").asDouble())
        .isEqualTo(cheap.get("ova").get("system_accuracy").asDouble());
  }

  @Test
  void theOrderOfThePoliciesChangesNothing() throws IOException {
    Map<String, JsonNode> a =
        evaluate(
            DATA.resolve("hatespeech.yaml"),
            ova.toString(),
            ce.toString(),
            "model:ce",
            "oracle",
            "expert:annotator");
    Map<String, JsonNode> b =
        evaluate(
            DATA.resolve("hatespeech.yaml"),
            "expert:annotator",
            "oracle",
            "model:ce",
            ce.toString(),
            ova.toString());
    for (String name : a.keySet()) {
      for (String field : new String[] {"system_cost", "system_accuracy", "coverage"}) {
        assertThat(b.get(name).get(field).asDouble())
            .as(name + " " + field)
            .isEqualTo(a.get(name).get(field).asDouble());
      }
    }
    assertThat(a.get("model:ce").get("coverage").asDouble()).isEqualTo(1.0);
    assertThat(a.get("oracle").get("system_cost").asDouble())
        .isLessThan(a.get("ova").get("system_cost").asDouble());
  }

  @Test
  void oneStageBaselinesNeedATrainedClassifierAndNamesAreUnique() {
    for (String p : new String[] {"model", "oracle"}) {
      Run r =
          CommandLineIT.run(
              "evaluate",
              "--data",
              DATA.resolve("hatespeech-test.parquet").toString(),
              "--task",
              DATA.resolve("hatespeech.yaml").toString(),
              "--policy",
              p);
      assertThat(r.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
      assertThat(r.err()).contains("one-stage task").contains("model:NAME");
    }
    Run twice =
        CommandLineIT.run(
            "evaluate",
            "--data",
            DATA.resolve("hatespeech-test.parquet").toString(),
            "--task",
            DATA.resolve("hatespeech.yaml").toString(),
            "--policy",
            "a=" + ova,
            "--policy",
            "a=" + ce);
    assertThat(twice.exit()).isEqualTo(Defer4jCommand.EXIT_FAILURE);
    assertThat(twice.err()).contains("two policies are named 'a'");
  }
}
