package org.defer4j.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;

/** The bundled RouteLLM GSM8K test prompts and their costs, for routing the demo policy. */
final class Prompts {
  static final Path ROOT = Path.of(System.getProperty("defer4j.root", "../"));

  /** One prompt with the error costs of Mixtral and GPT-4. */
  record Prompt(String id, String text, double mixtral, double gpt4) {}

  private Prompts() {}

  static LearnedPolicy demo() throws Exception {
    return PolicyArtifact.fromBytes(Router.demoPolicyBytes(), "demo");
  }

  static List<Prompt> gsm8k() throws Exception {
    DeferralTable t =
        DeferralTableReader.read(
            ROOT.resolve("datasets/routellm-gsm8k-test.parquet"), demo().task());
    String[] text = t.text().get("prompt");
    List<Prompt> out = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      out.add(new Prompt(t.id(i), text[i], t.agent("mixtral").cost(i), t.agent("gpt4").cost(i)));
    }
    return out;
  }
}
