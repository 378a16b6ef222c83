package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden vectors in src/test/resources/golden-surrogates (copied from the project's shared
 * data; computed by PyTorch autograd in float64 from the formulas in their README). Every file is
 * checked, value and gradient, with |actual − expected| ≤ 1e-9 |expected| + 1e-9 · max(1, |loss|,
 * max|grad|): relative to the case's magnitude because some ν = 0 losses reach 1e48.
 */
class GoldenSurrogateTest {
  private static final String DIR = "/golden-surrogates/";
  private static final double RTOL = 1e-9;
  private static final double ATOL = 1e-9;

  /** Which catalogue surrogate each file tests; a new file without an entry fails the test. */
  private static final Map<String, String> SURROGATE =
      Map.ofEntries(
          Map.entry("ce_J1.json", "ce"),
          Map.entry("ce_J3.json", "ce"),
          Map.entry("ce_alpha0.5_J1.json", "ce:0.5"),
          Map.entry("ova_J1.json", "ova"),
          Map.entry("ova_J3.json", "ova"),
          Map.entry("realizable_J1.json", "realizable"),
          Map.entry("realizable_J3.json", "realizable"),
          Map.entry("asym_softmax_J1.json", "asym-softmax"),
          Map.entry("psi_log_J1.json", "psi:log"),
          Map.entry("psi_log_J3.json", "psi:log"),
          Map.entry("psi_mae_J1.json", "psi:mae"),
          Map.entry("psi_mae_J3.json", "psi:mae"),
          Map.entry("twostage_comp_nu0.json", "2s-comp:0"),
          Map.entry("twostage_comp_nu0.5.json", "2s-comp:0.5"),
          Map.entry("twostage_comp_nu1.json", "2s-comp:1"),
          Map.entry("twostage_comp_nu2.json", "2s-comp:2"),
          Map.entry("twostage_psi_log.json", "2s-psi:log"),
          Map.entry("twostage_psi_mae.json", "2s-psi:mae"));

  static Stream<String> files() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenSurrogateTest.class.getResource(DIR).toURI());
    try (Stream<Path> list = Files.list(dir)) {
      return list
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .collect(Collectors.toList())
          .stream();
    }
  }

  @Test
  void everyGoldenFileHasASurrogate() throws Exception {
    List<String> names = files().collect(Collectors.toList());
    assertThat(names).hasSize(18);
    assertThat(SURROGATE.keySet()).containsExactlyInAnyOrderElementsOf(names);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void matchesGoldenValuesAndGradients(String file) throws IOException {
    JsonNode root;
    try (InputStream in = GoldenSurrogateTest.class.getResourceAsStream(DIR + file)) {
      root = new ObjectMapper().readTree(in);
    }
    Surrogate s = Surrogates.byName(SURROGATE.get(file));
    JsonNode cases = root.get("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(21);
    for (int n = 0; n < cases.size(); n++) {
      JsonNode c = cases.get(n);
      double[] scores = doubles(c.get("scores"));
      Target target;
      if (c.has("expert_pred")) {
        JsonNode preds = c.get("expert_pred");
        int[] p = new int[preds.size()];
        for (int j = 0; j < p.length; j++) {
          p[j] = preds.get(j).asInt();
        }
        target = Target.fromExpertPredictions(c.get("y").asInt(), p);
      } else {
        target = Target.ofCosts(doubles(c.get("costs")));
      }
      double expectedLoss = c.get("loss").asDouble();
      double[] expectedGrad = doubles(c.get("grad"));
      double scale = Math.max(1.0, Math.abs(expectedLoss));
      for (double g : expectedGrad) {
        scale = Math.max(scale, Math.abs(g));
      }
      double[] grad = new double[scores.length];
      double loss = s.evaluate(scores, target, grad);
      String where = file + " case " + n;
      assertThat(Math.abs(loss - expectedLoss))
          .as("%s loss %s vs %s", where, loss, expectedLoss)
          .isLessThanOrEqualTo(RTOL * Math.abs(expectedLoss) + ATOL * scale);
      for (int i = 0; i < grad.length; i++) {
        assertThat(Math.abs(grad[i] - expectedGrad[i]))
            .as("%s grad[%d] %s vs %s", where, i, grad[i], expectedGrad[i])
            .isLessThanOrEqualTo(RTOL * Math.abs(expectedGrad[i]) + ATOL * scale);
      }
    }
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }
}
