package org.defer4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.metric.Oracle;
import org.defer4j.core.metric.TaskCheck;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CompareConfidence;
import org.defer4j.core.policy.ConfidenceThreshold;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ModelConfidence;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.CompareConfidenceTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.io.PolicyArtifact;

/**
 * The policies an {@code evaluate} run compares, resolved from their command-line spellings under
 * ONE task — the {@code --task} given — and decided on the evaluated table.
 *
 * <ul>
 *   <li>A trained policy: {@code NAME=PATH}, or a bare path named after its file; recognised by
 *       content. A policy trained for other agents, classes or task kind is refused; one trained
 *       under other fees or weights is evaluated under the given task, and the run notes it.
 *   <li>{@code model}: on a two-stage task the frozen model alone; on a one-stage task the
 *       classifier of a trained policy — {@code model:NAME}, or plain {@code model} when exactly
 *       one trained policy is listed — and refused when there is none.
 *   <li>{@code oracle}: each case to its cheapest available agent (a hindsight reference).
 *   <li>{@code expert:NAME}, {@code random:SHARE[:NAME]}, {@code threshold:TAU[:NAME]}, {@code
 *       threshold:auto[:NAME]} (τ tuned on {@code --val}).
 * </ul>
 *
 * Baselines on a one-stage task see the model named by {@code model:NAME} (or the only trained
 * policy), whatever the order of the policies; without one, the model is unavailable to them. Names
 * are unique in every output.
 */
final class PolicySet {
  /** The spelling of the compare-confidence baseline. */
  static final String COMPARE_CONFIDENCE = "compare-confidence";

  /** What an evaluated entry is. */
  enum Kind {
    LEARNED,
    BASELINE,
    REFERENCE
  }

  /**
   * One evaluated policy.
   *
   * @param name unique name
   * @param kind learned, baseline or reference
   * @param decisions its decisions on the table
   * @param margins the learned policy's rejection margins, else null
   * @param costs the cost matrix its decisions are scored against
   * @param policy the learned policy, else null
   */
  record Item(
      String name,
      Kind kind,
      Decisions decisions,
      double[] margins,
      CostMatrix costs,
      LearnedPolicy policy) {}

  private final List<Item> items;

  private PolicySet(List<Item> items) {
    this.items = List.copyOf(items);
  }

  List<Item> items() {
    return items;
  }

  /**
   * Resolves and decides every policy.
   *
   * @param specs the {@code --policy} values, in order
   * @param task the evaluation task
   * @param table the labelled table
   * @param validation the validation table, read on first use (threshold:auto), or null
   * @param seed the seed of random policies
   * @throws IllegalArgumentException naming the spelling and what is wrong
   */
  static PolicySet resolve(
      List<String> specs,
      TaskSpec task,
      DeferralTable table,
      Supplier<DeferralTable> validation,
      Supplier<DeferralTable> train,
      long seed)
      throws IOException {
    Availability observed = Availability.observed(task, table);
    Map<String, Item> learned = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (String raw : specs) {
      String spec = raw.trim();
      Path file = policyFile(spec);
      if (file == null) {
        continue;
      }
      String name =
          spec.contains("=") ? spec.substring(0, spec.indexOf('=')).trim() : baseName(file);
      unique(names, name);
      LearnedPolicy p = PolicyArtifact.load(file).withName(name);
      TaskCheck.check(file.toString(), p.task(), task);
      // The main comparison is of single-agent decisions; committees are scored apart (--k).
      Decisions d = p.withCommittee(null).decide(table, observed);
      learned.put(
          name,
          new Item(
              name,
              Kind.LEARNED,
              d,
              LearnedPolicy.margins(d),
              Evaluation.costs(task, table, d),
              p));
    }
    Item modelSource = null;
    if (!task.hasFrozenModel()) {
      List<Item> withModel =
          learned.values().stream().filter(i -> i.policy().learnsModel()).toList();
      for (String raw : specs) {
        String s = raw.trim();
        if (s.startsWith("model:")) {
          Item m = learned.get(s.substring("model:".length()));
          if (m == null) {
            throw new IllegalArgumentException(
                "policy '"
                    + s
                    + "': no trained policy named '"
                    + s.substring(6)
                    + "'; trained"
                    + " policies: "
                    + learned.keySet());
          }
          if (modelSource != null && modelSource != m) {
            throw new IllegalArgumentException(
                "give one model:NAME: baselines on a one-stage task share one model");
          }
          modelSource = m;
        }
      }
      if (modelSource == null && withModel.size() == 1) {
        modelSource = withModel.get(0);
      }
    }
    CostMatrix base = modelSource == null ? new CostModel(task).costs(table) : modelSource.costs();
    Availability baseAvailable = observed;
    if (!task.hasFrozenModel() && modelSource == null) {
      List<String> experts = task.experts().stream().map(Agent::name).toList();
      baseAvailable = observed.restrictTo(experts);
    }
    List<Item> out = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      Path file = policyFile(spec);
      if (file != null) {
        String name =
            spec.contains("=") ? spec.substring(0, spec.indexOf('=')).trim() : baseName(file);
        out.add(learned.get(name));
        continue;
      }
      boolean isModel = spec.equals("model") || spec.startsWith("model:");
      if (!task.hasFrozenModel() && (isModel || spec.equals(Oracle.NAME)) && modelSource == null) {
        throw new IllegalArgumentException(
            "policy '"
                + spec
                + "': on a one-stage task (no 'model:' in the task) the model is a trained"
                + " policy's classifier; list one trained policy, or name it with model:NAME"
                + (learned.size() > 1 ? " (trained policies: " + learned.keySet() + ")" : ""));
      }
      if (!task.hasFrozenModel() && spec.equals("model") && learned.size() > 1) {
        spec = "model:" + modelSource.name();
      }
      String name = spec;
      unique(names, name);
      if (spec.equals(Oracle.NAME)) {
        out.add(new Item(name, Kind.REFERENCE, Oracle.decisions(base), null, base, null));
      } else if (isModel) {
        out.add(
            new Item(
                name,
                Kind.BASELINE,
                Policies.model().decide(table, baseAvailable),
                null,
                base,
                null));
      } else if (spec.equals(COMPARE_CONFIDENCE)) {
        if (train == null) {
          throw new IllegalArgumentException(
              "policy '"
                  + spec
                  + "' fits its expert-correctness classifiers on data: give --train");
        }
        if (!task.hasFrozenModel() && modelSource == null) {
          throw new IllegalArgumentException(
              "policy '"
                  + spec
                  + "' compares with the model's confidence; on a one-stage task list a trained"
                  + " policy whose classifier is the model (model:NAME)");
        }
        ModelConfidence source =
            task.hasFrozenModel()
                ? ModelConfidence.frozenModel()
                : ModelConfidence.classifier(modelSource.policy());
        CompareConfidence cc =
            CompareConfidenceTrainer.fit(task, train.get(), source, TrainOptions.defaults());
        Decisions d = cc.decide(table, baseAvailable);
        out.add(new Item(name, Kind.BASELINE, d, null, Evaluation.costs(task, table, d), null));
      } else if (spec.equals("threshold:auto") || spec.startsWith("threshold:auto:")) {
        if (validation == null) {
          throw new IllegalArgumentException(
              "policy '" + spec + "' tunes tau on a validation table: give --val");
        }
        String expert = spec.equals("threshold:auto") ? null : spec.substring(15);
        DeferralTable val = validation.get();
        ConfidenceThreshold tuned =
            ConfidenceThreshold.tune(val, new CostModel(task).costs(val), expert);
        out.add(
            new Item(name, Kind.BASELINE, tuned.decide(table, baseAvailable), null, base, null));
      } else {
        out.add(
            new Item(
                name,
                Kind.BASELINE,
                Policies.parse(spec, task, seed).decide(table, baseAvailable),
                null,
                base,
                null));
      }
    }
    return new PolicySet(out);
  }

  /** The policy file a spelling names ({@code NAME=PATH} or a path), or null for a baseline. */
  static Path policyFile(String spec) {
    int eq = spec.indexOf('=');
    if (eq > 0) {
      Path p = Path.of(spec.substring(eq + 1).trim());
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(p + ": no such policy file");
      }
      return p;
    }
    if (spec.endsWith(".json") && !Files.exists(Path.of(spec))) {
      throw new IllegalArgumentException(spec + ": no such policy file");
    }
    return PolicyArtifact.isPolicy(Path.of(spec)) ? Path.of(spec) : null;
  }

  private static String baseName(Path file) {
    return file.getFileName().toString().replaceFirst("\\.json$", "");
  }

  private static void unique(Set<String> names, String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a policy name must not be empty (NAME=PATH)");
    }
    if (!names.add(name)) {
      throw new IllegalArgumentException(
          "two policies are named '" + name + "'; name them apart with NAME=PATH");
    }
  }
}
