package org.defer4j.io.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * Turns a deferral table's raw text column (the task spec's {@code text:} key, {@link
 * TaskSpec#textColumn()}) into {@code x.*} features. Fit on the training table only, then append
 * the same fitted featurizer to the training, validation and test tables and to routed cases:
 *
 * <pre>{@code
 * FittedTextFeaturizer f = TextFeatures.fit(train, "tweet", TextFeaturizer.withDefaults());
 * DeferralTable trainX = TextFeatures.append(train, f, "tweet");
 * DeferralTable testX = TextFeatures.append(test, f, "tweet");
 * }</pre>
 */
public final class TextFeatures {
  private TextFeatures() {}

  /**
   * The raw text column {@code column} of {@code table}.
   *
   * @throws IllegalArgumentException naming the table and its text columns when there is none
   */
  public static String[] column(DeferralTable table, String column) {
    String[] texts = table.text().get(column);
    if (texts == null) {
      throw new IllegalArgumentException(
          table.source()
              + ": no text column '"
              + column
              + "'; text columns present: "
              + table.text().keySet());
    }
    return texts;
  }

  /**
   * Fits {@code featurizer}'s IDF on the text column {@code column} of {@code train}.
   *
   * @throws IllegalArgumentException when the column is missing or the table has no rows
   */
  public static FittedTextFeaturizer fit(
      DeferralTable train, String column, TextFeaturizer featurizer) {
    String[] texts = column(train, column);
    if (texts.length == 0) {
      throw new IllegalArgumentException(
          train.source() + ": cannot fit text features on an empty table");
    }
    return featurizer.fit(texts);
  }

  /**
   * {@link #append(DeferralTable, FittedTextFeaturizer, String, String)} with the names {@code
   * text_0000 ...}.
   */
  public static DeferralTable append(
      DeferralTable table, FittedTextFeaturizer featurizer, String column) {
    return append(table, featurizer, column, FittedTextFeaturizer.DEFAULT_PREFIX);
  }

  /**
   * A new table whose features are {@code table}'s features followed by the d text features of
   * column {@code column}, named {@code <prefix>_0000 ...}; every other column (labels, targets,
   * agents, ids, groups, weights and all raw text columns, the featurised one included) is carried
   * over unchanged. {@code table} is not modified.
   *
   * @throws IllegalArgumentException when the column is missing or a new feature name is already
   *     taken
   */
  public static DeferralTable append(
      DeferralTable table, FittedTextFeaturizer featurizer, String column, String prefix) {
    String[] texts = column(table, column);
    List<String> textNames = featurizer.featureNames(prefix);
    Set<String> existing = new HashSet<>(table.featureNames());
    for (String name : textNames) {
      if (existing.contains(name)) {
        throw new IllegalArgumentException(
            table.source()
                + ": feature x."
                + name
                + " already exists; featurise column '"
                + column
                + "' with another prefix");
      }
    }
    int n = table.rows();
    int d0 = table.featureCount();
    int dt = featurizer.dimension();
    int width = d0 + dt;
    if ((long) n * width > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          table.source() + ": " + n + " rows × " + width + " features do not fit in one array");
    }
    double[] block = new double[n * width];
    double[] old = table.featureBlock();
    double[] row = new double[dt];
    for (int i = 0; i < n; i++) {
      System.arraycopy(old, i * d0, block, i * width, d0);
      featurizer.transform(texts[i], row);
      System.arraycopy(row, 0, block, i * width + d0, dt);
    }
    List<String> names = new ArrayList<>(width);
    names.addAll(table.featureNames());
    names.addAll(textNames);

    DeferralTable.Builder b = DeferralTable.builder(table.source(), n).features(names, block);
    if (table.hasLabels()) {
      b.labels(table.labels());
    }
    if (table.hasTargets()) {
      b.targets(table.targets());
    }
    if (table.hasIds()) {
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        ids[i] = table.id(i);
      }
      b.ids(ids);
    }
    if (table.hasGroups()) {
      String[] groups = new String[n];
      for (int i = 0; i < n; i++) {
        groups[i] = table.group(i);
      }
      b.groups(groups);
    }
    if (table.hasWeights()) {
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        weights[i] = table.weight(i);
      }
      b.weights(weights);
    }
    // AgentColumns are immutable, so sharing them is safe.
    table.agents().forEach(b::agent);
    table.text().forEach((name, values) -> b.text(name, values.clone()));
    return b.build();
  }
}
