package org.defer4j.io.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureStep;
import org.defer4j.core.feature.FeatureSteps;

/**
 * A task's raw text column as hashed TF-IDF inputs ({@link FittedTextFeaturizer}), a step of a
 * policy's feature pipeline: the policy featurises the text of the cases it decides itself, so
 * {@code route}, the server and Spark pass raw text. Named {@code <prefix>_0000 ...}. Registered
 * with {@link FeatureSteps} as {@value #KIND} through {@code META-INF/services}.
 */
public final class TextFeatureStep implements FeatureStep {
  /** The registered kind. */
  public static final String KIND = "text-tfidf";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String column;
  private final String prefix;
  private final FittedTextFeaturizer featurizer;
  private final List<String> names;

  /**
   * @param column the raw text column of the cases
   * @param prefix the inputs' name prefix
   * @param featurizer the featurizer fitted on the training texts
   */
  public TextFeatureStep(String column, String prefix, FittedTextFeaturizer featurizer) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("a text step needs the text column's name");
    }
    this.column = column;
    this.prefix = prefix;
    this.featurizer = featurizer;
    this.names = featurizer.featureNames(prefix);
  }

  /** The text column. */
  public String column() {
    return column;
  }

  /** The featurizer. */
  public FittedTextFeaturizer featurizer() {
    return featurizer;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> names() {
    return names;
  }

  /** TF-IDF vectors are normalised per case already; see {@link FeatureStep#standardized()}. */
  @Override
  public boolean standardized() {
    return false;
  }

  @Override
  public void apply(DeferralTable cases, double[] out, int width, int offset) {
    String[] texts = TextFeatures.column(cases, column);
    double[] row = new double[names.size()];
    for (int i = 0; i < texts.length; i++) {
      featurizer.transform(texts[i], row);
      System.arraycopy(row, 0, out, i * width + offset, row.length);
    }
  }

  @Override
  public void apply(Map<String, ?> features, double[] out, int offset) {
    Object v = features.get(column);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException("input '" + column + "' must be text, got " + v);
    }
    if (v == null && !features.containsKey(column)) {
      throw new IllegalArgumentException("missing input '" + column + "' (the text column)");
    }
    double[] row = featurizer.transform((String) v);
    System.arraycopy(row, 0, out, offset, row.length);
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("column", column);
    s.put("prefix", prefix);
    @SuppressWarnings("unchecked")
    Map<String, Object> f = JSON.convertValue(featurizer.state(), Map.class);
    s.put("featurizer", f);
    return s;
  }

  /** Restores a step from {@link #state()}. */
  static TextFeatureStep fromState(Map<String, Object> state) {
    Object f = state.get("featurizer");
    if (!(state.get("column") instanceof String c) || f == null) {
      throw new IllegalArgumentException("text step needs 'column' and 'featurizer'");
    }
    Object p = state.get("prefix");
    TextFeaturizerState s = JSON.convertValue(f, TextFeaturizerState.class);
    return new TextFeatureStep(
        c,
        p == null ? FittedTextFeaturizer.DEFAULT_PREFIX : p.toString(),
        FittedTextFeaturizer.fromState(s));
  }

  /** The {@link FeatureSteps.Codec} found through {@code META-INF/services}. */
  public static final class Codec implements FeatureSteps.Codec {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public FeatureStep decode(Map<String, Object> state) {
      return fromState(state);
    }
  }
}
