package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.defer4j.cli.examples.ApiExample;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example is {@link ApiExample}, line for line, and it runs: it routes the
 * HateSpeech test table with a policy trained here, and the single-case decision of the first case
 * equals its batch decision.
 */
class ReadmeExampleTest {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));

  static List<String> between(List<String> lines, String start, String end) {
    int a = -1;
    int b = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(start)) {
        a = i + 1;
      } else if (lines.get(i).contains(end) && a >= 0) {
        b = i;
        break;
      }
    }
    assertThat(a).as("marker " + start).isPositive();
    assertThat(b).as("marker " + end).isGreaterThan(a);
    return lines.subList(a, b).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("```"))
        .toList();
  }

  @Test
  void theReadmeSnippetIsTheCompiledExample() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    List<String> example =
        Files.readAllLines(
            ROOT.resolve("defer4j-cli/src/test/java/org/defer4j/cli/examples/ApiExample.java"));
    assertThat(between(readme, "<!-- java-api:start -->", "<!-- java-api:end -->"))
        .containsExactlyElementsOf(between(example, "// README:start", "// README:end"));
  }

  @Test
  void theExampleRoutesTheHateSpeechTestTable(@TempDir Path tmp) throws Exception {
    Path data = ROOT.resolve("datasets");
    Path policy = tmp.resolve("ova.json");
    CommandLineIT.trainHateSpeech("ova", policy, "--epochs", "2");
    Object[] r =
        ApiExample.run(policy.toString(), data.resolve("hatespeech-test.parquet").toString());
    Decisions batch = (Decisions) r[0];
    Decision one = (Decision) r[1];
    assertThat(batch.rows()).isGreaterThan(1_000);
    assertThat(one.agent()).isEqualTo(batch.get(0).agent());
    assertThat(one.scores()).containsExactly(batch.get(0).scores());
    assertThat(one.expectedCost("annotator")).isBetween(0.0, 1.0);
  }
}
