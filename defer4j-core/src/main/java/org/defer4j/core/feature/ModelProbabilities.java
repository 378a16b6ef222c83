package org.defer4j.core.feature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;

/**
 * The frozen model's class probabilities p_h(k | x), k = 0..K−1, as rejector inputs (two-stage
 * deferral, {@code train --model-probabilities}), named {@code <model>.p.<class>}. Read from the
 * table's {@code m.<model>.p.<class>} columns, or from the same keys of a single case.
 */
public final class ModelProbabilities implements FeatureStep {
  /** The registered kind. */
  public static final String KIND = "model-probabilities";

  private final String model;
  private final List<String> classes;
  private final List<String> names;

  /**
   * @param model the frozen model's agent name
   * @param classes the task's classes in index order
   */
  public ModelProbabilities(String model, List<String> classes) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model probabilities need the frozen model's name");
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("model probabilities need the task's classes");
    }
    this.model = model;
    this.classes = List.copyOf(classes);
    List<String> n = new ArrayList<>();
    for (String c : classes) {
      n.add(model + ".p." + c);
    }
    this.names = List.copyOf(n);
  }

  static ModelProbabilities fromState(Map<String, Object> state) {
    Object classes = state.get("classes");
    if (!(state.get("model") instanceof String m) || !(classes instanceof List<?> list)) {
      throw new IllegalArgumentException("model-probabilities step needs 'model' and 'classes'");
    }
    List<String> c = new ArrayList<>();
    list.forEach(o -> c.add(String.valueOf(o)));
    return new ModelProbabilities(m, c);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> names() {
    return names;
  }

  /** The frozen model's agent name. */
  public String model() {
    return model;
  }

  @Override
  public void apply(DeferralTable cases, double[] out, int width, int offset) {
    AgentColumns m = columns(cases, model, classes.size());
    int k = classes.size();
    for (int i = 0; i < cases.rows(); i++) {
      for (int c = 0; c < k; c++) {
        double p = m.probability(i, c);
        if (Double.isNaN(p)) {
          throw new IllegalArgumentException(
              cases.source()
                  + ": row "
                  + (i + 1)
                  + ", column m."
                  + model
                  + ".p."
                  + classes.get(c)
                  + ": empty, but the policy reads the frozen model's probabilities");
        }
        out[i * width + offset + c] = p;
      }
    }
  }

  @Override
  public void apply(Map<String, ?> features, double[] out, int offset) {
    for (int c = 0; c < classes.size(); c++) {
      out[offset + c] = probability(features, model, classes.get(c));
    }
  }

  /**
   * The frozen model's confidence max_k p(k | x) on every case (0 where the model did not see the
   * case: its cost is unavailable there, so the policy cannot choose it anyway).
   */
  public static double[] confidence(DeferralTable cases, String model, int classes) {
    AgentColumns m = columns(cases, model, classes);
    double[] out = new double[cases.rows()];
    for (int i = 0; i < out.length; i++) {
      double p = m.maxProbability(i);
      out[i] = Double.isNaN(p) ? 0.0 : p;
    }
    return out;
  }

  /** The frozen model's confidence max_k p(k | x) of one case given by name. */
  public static double confidence(Map<String, ?> features, String model, List<String> classes) {
    double best = Double.NEGATIVE_INFINITY;
    for (String c : classes) {
      best = Math.max(best, probability(features, model, c));
    }
    return best;
  }

  static double probability(Map<String, ?> features, String model, String cls) {
    String key = "m." + model + ".p." + cls;
    Object v = features.get(key);
    if (v == null) {
      v = features.get(model + ".p." + cls);
    }
    if (!(v instanceof Number num)) {
      throw new IllegalArgumentException(
          v == null
              ? "missing input '" + key + "' (the frozen model's probability of class " + cls + ")"
              : "input '" + key + "' must be a number, got " + v);
    }
    return num.doubleValue();
  }

  /**
   * The frozen model's probability columns in a table.
   *
   * @throws IllegalArgumentException when the table has none or has another number of classes
   */
  static AgentColumns columns(DeferralTable cases, String model, int classes) {
    if (!cases.agents().containsKey(model) || !cases.agent(model).hasProbabilities()) {
      throw new IllegalArgumentException(
          cases.source()
              + ": the policy reads the frozen model's probabilities, but the table has no m."
              + model
              + ".p.<class> columns");
    }
    AgentColumns m = cases.agent(model);
    if (m.probabilityClasses() != classes) {
      throw new IllegalArgumentException(
          cases.source()
              + ": the model has "
              + m.probabilityClasses()
              + " probability columns, the task has "
              + classes
              + " classes");
    }
    return m;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("model", model);
    s.put("classes", classes);
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelProbabilities m && m.model.equals(model) && m.classes.equals(classes);
  }

  @Override
  public int hashCode() {
    return model.hashCode() * 31 + classes.hashCode();
  }
}
