package org.defer4j.cli.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;

/**
 * The Java API example of the README, compiled and run by {@code ReadmeExampleTest}: the lines
 * between the README markers are the README's snippet, character for character.
 */
public final class ApiExample {
  private ApiExample() {}

  /**
   * Routes the cases of a table with a trained policy, then the table's first case on its own.
   *
   * @param args the policy file and a cases table
   * @return the batch decisions and the single-case decision
   */
  public static Object[] run(String... args) throws Exception {
    // README:start
    // A trained policy (from `defer4j train`): immutable and safe to share between threads.
    LearnedPolicy policy = PolicyArtifact.load(Path.of(args[0]));

    // A batch: a cases table needs only x.* features (any column order), id and avail.* columns.
    DeferralTable cases = DeferralTableReader.readCases(Path.of(args[1]), policy.task());
    Decisions batch = policy.decide(cases, Availability.fromTable(policy.agents(), cases));
    System.out.println(batch.rows() + " cases, first to " + batch.get(0).agent());

    // One case, given by named features, with the agents that may be asked right now.
    Map<String, Object> features = new HashMap<>();
    for (int j = 0; j < cases.featureCount(); j++) {
      features.put(cases.featureNames().get(j), cases.feature(0, j));
    }
    Decision one = policy.decide(features, List.of("model", "annotator"));
    System.out.printf(
        "%s (annotator score %.3f, expected cost %.3f; model: %s)%n",
        one.agent(), one.score("annotator"), one.expectedCost("annotator"), one.reason("model"));
    // README:end
    return new Object[] {batch, one};
  }
}
