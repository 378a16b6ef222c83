package org.defer4j.core.feature;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;

/**
 * The scorer inputs of a policy, built from a case the same way in training, in the CLI, in the
 * server and on Spark (Tribuo's transform-with-the-model): the named {@code x.*} features, matched
 * by name in whatever column order the table has; then the blocks of the {@link FeatureStep}s (the
 * frozen model's probabilities, text features); then, when fitted, the {@link Standardization} of
 * all of them with statistics from the training table.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeaturePipeline {
  private final List<String> columns;
  private final List<FeatureStep> steps;
  private final Standardization standardization;
  private final List<String> names;
  private final Map<String, Integer> columnIndex;

  private FeaturePipeline(
      List<String> columns, List<FeatureStep> steps, Standardization standardization) {
    this.columns = List.copyOf(columns);
    this.steps = List.copyOf(steps);
    List<String> all = new ArrayList<>(columns);
    for (FeatureStep s : steps) {
      all.addAll(s.names());
    }
    this.names = List.copyOf(all);
    this.columnIndex = new HashMap<>();
    for (int j = 0; j < columns.size(); j++) {
      if (columnIndex.put(columns.get(j), j) != null) {
        throw new IllegalArgumentException("feature '" + columns.get(j) + "' is listed twice");
      }
    }
    if (standardization != null && standardization.dimension() != names.size()) {
      throw new IllegalArgumentException(
          "the standardisation has "
              + standardization.dimension()
              + " inputs, the pipeline "
              + names.size());
    }
    this.standardization = standardization;
  }

  /**
   * A pipeline reading the named features and then the steps' blocks, without standardisation.
   *
   * @param columns feature names without the {@code x.} prefix, in scorer input order
   * @param steps derived blocks appended after them
   */
  public static FeaturePipeline of(List<String> columns, List<FeatureStep> steps) {
    return new FeaturePipeline(columns, steps, null);
  }

  /** This pipeline with the given standardisation (null: none). */
  public FeaturePipeline withStandardization(Standardization s) {
    return new FeaturePipeline(columns, steps, s);
  }

  /**
   * This pipeline with a standardisation fitted on a training table's assembled inputs.
   *
   * @throws IllegalArgumentException when the table lacks an input or has no rows
   */
  public FeaturePipeline standardizedOn(DeferralTable train) {
    Standardization s = Standardization.fit(assemble(train), names.size());
    double[] mean = s.mean();
    double[] scale = s.scale();
    int offset = columns.size();
    for (FeatureStep step : steps) {
      int k = step.names().size();
      if (!step.standardized()) {
        java.util.Arrays.fill(mean, offset, offset + k, 0.0);
        java.util.Arrays.fill(scale, offset, offset + k, 1.0);
      }
      offset += k;
    }
    return withStandardization(new Standardization(mean, scale));
  }

  /** The named features read from {@code x.*}, in input order. */
  public List<String> columns() {
    return columns;
  }

  /** The derived blocks. */
  public List<FeatureStep> steps() {
    return steps;
  }

  /** The standardisation, or null. */
  public Standardization standardization() {
    return standardization;
  }

  /** Every input's name, in scorer input order. */
  public List<String> names() {
    return names;
  }

  /** Number of scorer inputs d. */
  public int dimension() {
    return names.size();
  }

  /**
   * The scorer inputs of every case, row-major n × d: a new array, except when there is nothing to
   * do — the pipeline reads the table's features as they are (the same names in the same order, no
   * steps, no standardisation) — where it is the table's own {@link DeferralTable#featureBlock()},
   * which, like the table, must not be modified (scorers only read their inputs).
   *
   * @throws IllegalArgumentException naming the table and the missing column when the table lacks a
   *     feature the pipeline reads
   */
  public double[] transform(DeferralTable cases) {
    int[] source = sourceColumns(cases);
    if (standardization == null && steps.isEmpty() && isIdentity(source, cases)) {
      return cases.featureBlock();
    }
    // One pass over the named features: gathered and standardised together.
    double[] out = gather(cases, source, standardization);
    if (standardization != null && source.length < names.size()) {
      standardization.applyInPlace(out, source.length, names.size());
    }
    return out;
  }

  /**
   * The scorer inputs of one case given by name: feature keys {@code name} or {@code x.name}
   * (numbers), the frozen model's probabilities as {@code m.<model>.p.<class>}, a text column by
   * its name (a string).
   *
   * @throws IllegalArgumentException naming a missing or non-numeric input
   */
  public double[] transform(Map<String, ?> features) {
    double[] out = new double[names.size()];
    transform(features, out);
    return out;
  }

  /** {@link #transform(Map)} into a caller's array of length d. */
  public void transform(Map<String, ?> features, double[] out) {
    int d = columns.size();
    for (int j = 0; j < d; j++) {
      String name = columns.get(j);
      Object v = features.get(name);
      if (v == null) {
        v = features.get("x." + name);
      }
      if (!(v instanceof Number num)) {
        throw new IllegalArgumentException(
            v == null
                ? "missing feature '" + name + "'"
                : "feature '" + name + "' must be a number, got " + v);
      }
      double x = num.doubleValue();
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("feature '" + name + "' must be finite, got " + x);
      }
      out[j] = x;
    }
    int offset = d;
    for (FeatureStep s : steps) {
      s.apply(features, out, offset);
      offset += s.names().size();
    }
    if (standardization != null) {
      standardization.applyInPlace(out);
    }
  }

  /** The inputs before standardisation (a new array). */
  private double[] assemble(DeferralTable cases) {
    return gather(cases, sourceColumns(cases), null);
  }

  /**
   * A new n × d block: the named features read from {@code source} columns, standardised by {@code
   * s} when not null, then the steps' blocks as they give them.
   */
  private double[] gather(DeferralTable cases, int[] source, Standardization s) {
    int n = cases.rows();
    int width = names.size();
    int dIn = cases.featureCount();
    double[] x = cases.featureBlock();
    double[] out = new double[n * width];
    int d = source.length;
    if (s != null) {
      s.gatherInto(x, dIn, source, isIdentity(source, cases), n, out, width);
    } else if (d == dIn && d == width && isIdentity(source, cases)) {
      System.arraycopy(x, 0, out, 0, n * d);
    } else {
      for (int i = 0; i < n; i++) {
        int from = i * dIn;
        int to = i * width;
        for (int j = 0; j < d; j++) {
          out[to + j] = x[from + source[j]];
        }
      }
    }
    int offset = d;
    for (FeatureStep step : steps) {
      step.apply(cases, out, width, offset);
      offset += step.names().size();
    }
    return out;
  }

  /** Whether the named features are all the table's, in the table's order. */
  private static boolean isIdentity(int[] source, DeferralTable cases) {
    if (source.length != cases.featureCount()) {
      return false;
    }
    for (int j = 0; j < source.length; j++) {
      if (source[j] != j) {
        return false;
      }
    }
    return true;
  }

  private int[] sourceColumns(DeferralTable cases) {
    List<String> have = cases.featureNames();
    Map<String, Integer> at = new HashMap<>();
    for (int j = 0; j < have.size(); j++) {
      at.put(have.get(j), j);
    }
    int[] source = new int[columns.size()];
    List<String> missing = new ArrayList<>();
    for (int j = 0; j < source.length; j++) {
      Integer k = at.get(columns.get(j));
      if (k == null) {
        missing.add("x." + columns.get(j));
      } else {
        source[j] = k;
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          cases.source()
              + ": missing feature column"
              + (missing.size() == 1 ? " " : "s ")
              + abbreviate(missing)
              + " that the policy reads");
    }
    return source;
  }

  /** Whether a feature is one the pipeline reads by name. */
  public boolean readsColumn(String name) {
    return columnIndex.containsKey(name);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + ", … (" + names.size() + " in all)";
  }

  @Override
  public String toString() {
    return "FeaturePipeline["
        + columns.size()
        + " columns, steps "
        + steps.stream().map(FeatureStep::kind).toList()
        + (standardization == null ? ", raw" : ", standardised")
        + "]";
  }
}
