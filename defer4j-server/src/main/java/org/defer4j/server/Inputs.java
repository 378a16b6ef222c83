package org.defer4j.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;

/**
 * Turns a {@link RouteCase} into the named inputs a policy reads ({@code LearnedPolicy.decide(Map,
 * ...)}): the named features, the raw text under the task's text column, the frozen model's output
 * as {@code m.<model>.p.<class>}, {@code m.<model>.y} and {@code m.<model>.t}; and checks that
 * every input the policy needs is there and has the right type.
 *
 * <p>One feature is derived from the text when it is missing: {@code prompt_length} = log₂(1 + code
 * points) − 8, the definition of the bundled RouteLLM tables, so that LLM routers trained on them
 * route raw prompts (and chat requests) as they were trained.
 */
final class Inputs {
  /** The feature derived from the text when a policy reads it and the request lacks it. */
  static final String PROMPT_LENGTH = "prompt_length";

  private Inputs() {}

  static Map<String, Object> assemble(LearnedPolicy p, RouteCase c, String where) {
    TaskSpec task = p.task();
    Map<String, Object> input = new LinkedHashMap<>(c.features());
    String prefix = where.isEmpty() ? "" : where + ".";
    String text = c.text();
    String col = task.textColumn();
    if (text != null) {
      if (col == null) {
        throw ApiException.badRequest(
            prefix
                + "text: the active policy has no text featurizer; send its features by name"
                + " (it reads "
                + p.features().columns()
                + ")");
      }
      if (input.containsKey(col)) {
        throw ApiException.badRequest(
            prefix + "text: the text is given twice (as text and as features." + col + ")");
      }
      input.put(col, text);
    } else if (col != null) {
      Object v = input.get(col);
      if (v == null) {
        throw ApiException.badRequest(
            prefix
                + "text is required: the active policy reads raw text (send \"text\" or"
                + " features."
                + col
                + ")");
      }
      if (!(v instanceof String)) {
        throw ApiException.badRequest(prefix + "features." + col + " must be text");
      }
      text = (String) v;
    }
    if (c.model() != null) {
      if (!task.hasFrozenModel()) {
        throw ApiException.badRequest(
            prefix + "model: the active policy routes without a frozen model's output");
      }
      String m = task.model();
      RouteCase.ModelOutput o = c.model();
      if (o.probabilities() != null) {
        for (Map.Entry<String, Double> e : o.probabilities().entrySet()) {
          if (!task.classes().contains(e.getKey())) {
            throw ApiException.badRequest(
                prefix
                    + "model.p: '"
                    + e.getKey()
                    + "' is not a class; the classes are "
                    + task.classes());
          }
          input.put("m." + m + ".p." + e.getKey(), e.getValue());
        }
      }
      if (o.label() != null) {
        if (!task.classes().isEmpty() && !task.classes().contains(o.label())) {
          throw ApiException.badRequest(
              prefix
                  + "model.y: '"
                  + o.label()
                  + "' is not a class; the classes are "
                  + task.classes());
        }
        input.put("m." + m + ".y", o.label());
      }
      if (o.value() != null) {
        input.put("m." + m + ".t", o.value());
      }
    }
    for (String name : p.features().columns()) {
      Object v = input.containsKey(name) ? input.get(name) : input.get("x." + name);
      if (v == null) {
        if (name.equals(PROMPT_LENGTH) && text != null) {
          input.put(name, promptLength(text));
          continue;
        }
        throw ApiException.badRequest(
            prefix
                + "features: missing feature '"
                + name
                + "' (the active policy reads "
                + p.features().columns()
                + ")");
      }
      if (!(v instanceof Number)) {
        throw ApiException.badRequest(
            prefix + "features." + name + " must be a number, got " + Json.kind(Router.nodeOf(v)));
      }
    }
    return input;
  }

  /** log₂(1 + code points) − 8, as the bundled RouteLLM tables define it. */
  static double promptLength(String prompt) {
    return Math.log1p(prompt.codePointCount(0, prompt.length())) / Math.log(2) - 8;
  }
}
