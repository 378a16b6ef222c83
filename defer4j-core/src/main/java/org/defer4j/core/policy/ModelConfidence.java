package org.defer4j.core.policy;

import java.util.Arrays;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.task.TaskSpec;

/**
 * Where a baseline that compares confidences ({@link CompareConfidence}) reads the model's
 * confidence conf(x) = max_k P̂(y = k | x), its estimated probability of being right:
 *
 * <ul>
 *   <li>{@link #frozenModel()} (two-stage): the frozen model's recorded probabilities {@code
 *       m.<model>.p.*} of the task's {@code model:}; its answers {@code m.<model>.y} stay in the
 *       table, where evaluation reads them. A case whose probabilities are not recorded has
 *       confidence 0 (the model did not see it, so it is unavailable there in evaluation anyway).
 *   <li>{@link #classifier(LearnedPolicy)} (one-stage): the class probabilities of a trained
 *       one-stage policy's classifier head ({@link LearnedPolicy#classProbabilities}); the
 *       classifier's predicted class is the model's answer, carried by the decisions.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelConfidence {
  private static final ModelConfidence FROZEN = new ModelConfidence(null);

  private final LearnedPolicy classifier;

  private ModelConfidence(LearnedPolicy classifier) {
    this.classifier = classifier;
  }

  /** The frozen model's recorded probabilities {@code m.<model>.p.*} (two-stage tasks). */
  public static ModelConfidence frozenModel() {
    return FROZEN;
  }

  /**
   * The class probabilities of a one-stage policy's learned classifier (one-stage tasks).
   *
   * @param oneStage a trained policy whose head learns a classifier
   * @throws IllegalArgumentException when the policy's head learns no classifier ({@link
   *     ScoreHead#predictsClass()})
   */
  public static ModelConfidence classifier(LearnedPolicy oneStage) {
    if (oneStage == null) {
      throw new IllegalArgumentException("a classifier confidence needs a trained policy");
    }
    if (!oneStage.head().predictsClass()) {
      throw new IllegalArgumentException(
          "policy "
              + oneStage.name()
              + " (head "
              + oneStage.head().spec()
              + ") learns no classifier; the model's confidence needs a one-stage classifier head");
    }
    return new ModelConfidence(oneStage);
  }

  /** Whether the model is learned (one-stage), so that its answers come with the decisions. */
  public boolean learnsModel() {
    return classifier != null;
  }

  /** The one-stage policy whose classifier is the model, or null for the frozen model. */
  public LearnedPolicy classifierPolicy() {
    return classifier;
  }

  /** {@code frozen-model} or {@code classifier:<policy name>}. */
  public String name() {
    return classifier == null ? "frozen-model" : "classifier:" + classifier.name();
  }

  /**
   * Checks that this source fits a task: the frozen model needs the task's {@code model:}; a
   * classifier needs a one-stage task (no {@code model:}) with the classifier's classes.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public void checkFits(TaskSpec task) {
    if (classifier == null) {
      if (!task.hasFrozenModel()) {
        throw new IllegalArgumentException(
            "the frozen model's confidence needs a frozen model (the task's 'model:' key) with"
                + " probabilities m.<model>.p.*; for a one-stage task use"
                + " ModelConfidence.classifier(policy)");
      }
      return;
    }
    if (task.hasFrozenModel()) {
      throw new IllegalArgumentException(
          "the task names a frozen model '"
              + task.model()
              + "'; a learned classifier's confidence is for one-stage tasks (use"
              + " ModelConfidence.frozenModel())");
    }
    if (!classifier.task().classes().equals(task.classes())) {
      throw new IllegalArgumentException(
          "the classifier of policy "
              + classifier.name()
              + " has classes "
              + classifier.task().classes()
              + ", the task "
              + task.classes());
    }
  }

  /**
   * The model's confidence on every case and, when the model is learned, its predicted class.
   *
   * @param cases the cases (the frozen model's probabilities, or the classifier's inputs)
   * @param task the task
   * @throws IllegalArgumentException when the source does not fit the task or the cases lack an
   *     input
   */
  public Reading read(DeferralTable cases, TaskSpec task) {
    checkFits(task);
    int n = cases.rows();
    if (classifier == null) {
      return new Reading(
          ModelProbabilities.confidence(cases, task.model(), task.classCount()), null);
    }
    double[] p = classifier.classProbabilities(cases);
    int k = task.classCount();
    double[] conf = new double[n];
    for (int i = 0; i < n; i++) {
      double best = p[i * k];
      for (int c = 1; c < k; c++) {
        best = Math.max(best, p[i * k + c]);
      }
      conf[i] = best;
    }
    // The answer is the policy's own predicted class (argmax of the raw class scores), so the
    // model of this baseline and the one-stage policy answer alike on every case.
    Decisions own = classifier.decide(cases, Availability.all(classifier.agents(), n));
    int[] cls = new int[n];
    for (int i = 0; i < n; i++) {
      cls[i] = own.predictedClass(i);
    }
    return new Reading(conf, cls);
  }

  @Override
  public String toString() {
    return "ModelConfidence[" + name() + "]";
  }

  /**
   * The model's confidence per case and, for a learned model, its predicted class per case.
   *
   * @param confidence conf(x) ∈ [0, 1] per case (copied)
   * @param predictedClass the learned model's class per case, or null for a frozen model (copied)
   */
  public record Reading(double[] confidence, int[] predictedClass) {
    /** Copies the arrays. */
    public Reading {
      confidence = confidence.clone();
      predictedClass = predictedClass == null ? null : predictedClass.clone();
      if (predictedClass != null && predictedClass.length != confidence.length) {
        throw new IllegalArgumentException(
            "predicted classes have length "
                + predictedClass.length
                + ", confidences "
                + confidence.length);
      }
    }

    @Override
    public double[] confidence() {
      return confidence.clone();
    }

    @Override
    public int[] predictedClass() {
      return predictedClass == null ? null : predictedClass.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reading r
          && Arrays.equals(r.confidence, confidence)
          && Arrays.equals(r.predictedClass, predictedClass);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(confidence) * 31 + Arrays.hashCode(predictedClass);
    }

    @Override
    public String toString() {
      return "Reading[" + confidence.length + " cases]";
    }
  }
}
