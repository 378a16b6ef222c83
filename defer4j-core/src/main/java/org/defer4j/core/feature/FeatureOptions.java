package org.defer4j.core.feature;

import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * How a trainer builds the feature pipeline of the policy it fits: every {@code x.*} feature of the
 * training table by name, the frozen model's probabilities when asked (two-stage), extra derived
 * blocks (text features), and standardisation — on by default, because unscaled inputs slow or
 * stall gradient training on real tables.
 *
 * @param standardize fit a standardisation on the training inputs
 * @param modelProbabilities append the frozen model's class probabilities (two-stage only)
 * @param extraSteps further derived blocks, appended last (copied)
 */
public record FeatureOptions(
    boolean standardize, boolean modelProbabilities, List<FeatureStep> extraSteps) {

  /** Copies the steps. */
  public FeatureOptions {
    extraSteps = List.copyOf(extraSteps);
  }

  /** Standardised {@code x.*} features, nothing else. */
  public static FeatureOptions defaults() {
    return new FeatureOptions(true, false, List.of());
  }

  /** The features as they are, not standardised. */
  public static FeatureOptions raw() {
    return new FeatureOptions(false, false, List.of());
  }

  /** With or without standardisation. */
  public FeatureOptions withStandardize(boolean s) {
    return new FeatureOptions(s, modelProbabilities, extraSteps);
  }

  /** With the frozen model's probabilities as inputs. */
  public FeatureOptions withModelProbabilities(boolean m) {
    return new FeatureOptions(standardize, m, extraSteps);
  }

  /** With one more derived block. */
  public FeatureOptions withStep(FeatureStep step) {
    List<FeatureStep> all = new ArrayList<>(extraSteps);
    all.add(step);
    return new FeatureOptions(standardize, modelProbabilities, all);
  }

  /**
   * The pipeline fitted on a training table.
   *
   * @throws IllegalArgumentException when the frozen model's probabilities are asked for but the
   *     task names no frozen model, or the table lacks an input
   */
  public FeaturePipeline fit(TaskSpec task, DeferralTable train) {
    List<FeatureStep> steps = new ArrayList<>();
    if (modelProbabilities) {
      if (!task.hasFrozenModel()) {
        throw new IllegalArgumentException(
            "model probability features need a frozen model; the task names none");
      }
      steps.add(new ModelProbabilities(task.model(), task.classes()));
    }
    steps.addAll(extraSteps);
    FeaturePipeline p = FeaturePipeline.of(train.featureNames(), steps);
    return standardize && p.dimension() > 0 ? p.standardizedOn(train) : p;
  }
}
