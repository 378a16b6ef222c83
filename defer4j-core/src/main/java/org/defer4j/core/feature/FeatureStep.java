package org.defer4j.core.feature;

import java.util.List;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;

/**
 * One derived block of scorer inputs that a {@link FeaturePipeline} appends after the named {@code
 * x.*} features: the frozen model's class probabilities ({@link ModelProbabilities}), a text
 * column's hashed TF-IDF features (in defer4j-io), or a kind that an edge module registers with
 * {@link FeatureSteps}. A step is fitted by a trainer and applied by the policy, so no caller
 * re-implements it. Implementations are immutable and thread-safe.
 */
public interface FeatureStep {

  /** The registered kind, e.g. {@code model-probabilities}; {@link FeatureSteps} decodes by it. */
  String kind();

  /** The names of the inputs this step produces, in order. */
  List<String> names();

  /**
   * Writes this step's inputs for every case of a table.
   *
   * @param cases the cases
   * @param out row-major n × width block
   * @param width the block's row width
   * @param offset the first column of this step's inputs
   * @throws IllegalArgumentException naming the table, row and column when an input is missing
   */
  void apply(DeferralTable cases, double[] out, int width, int offset);

  /**
   * Writes this step's inputs for one case given by name (see {@link
   * FeaturePipeline#transform(Map)} for the keys).
   *
   * @throws IllegalArgumentException naming the missing key
   */
  void apply(Map<String, ?> features, double[] out, int offset);

  /**
   * Whether the pipeline's standardisation rescales this step's inputs. Text TF-IDF vectors are
   * already normalised per case and sparse; centring and scaling them by column amplifies rare
   * terms, so such a step keeps its values (mean 0, scale 1 in the fitted standardisation).
   */
  default boolean standardized() {
    return true;
  }

  /** JSON-compatible state (maps, lists, strings, numbers, booleans) that the codec decodes. */
  Map<String, Object> state();
}
