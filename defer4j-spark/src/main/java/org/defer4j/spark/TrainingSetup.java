package org.defer4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.FeatureStep;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.TaskSpecIo;

/**
 * What a training task needs on an executor, in serialisable form: the task spec (as its YAML), the
 * surrogate (as its catalogue name, bound to the task there as on the driver) and the
 * unstandardised feature pipeline (feature names, and whether the frozen model's probabilities are
 * appended). Decoded at most once per task.
 */
final class TrainingSetup implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String taskYaml;
  private final String method;
  private final ArrayList<String> featureNames;
  private final boolean modelProbabilities;
  private transient TaskSpec task;
  private transient Surrogate surrogate;

  TrainingSetup(TaskSpec task, String method, List<String> featureNames, boolean modelProbs) {
    this.taskYaml = TaskSpecIo.toYaml(task);
    this.method = method;
    this.featureNames = new ArrayList<>(featureNames);
    this.modelProbabilities = modelProbs;
  }

  TaskSpec task() {
    if (task == null) {
      task = TaskSpecIo.parse(taskYaml, "task spec");
    }
    return task;
  }

  String taskYaml() {
    return taskYaml;
  }

  /** The surrogate bound to the task. */
  Surrogate surrogate() {
    if (surrogate == null) {
      surrogate = Surrogates.byName(method).forTask(task());
    }
    return surrogate;
  }

  /** The feature pipeline without standardisation. */
  FeaturePipeline rawPipeline() {
    List<FeatureStep> steps = new ArrayList<>();
    if (modelProbabilities) {
      steps.add(new ModelProbabilities(task().model(), task().classes()));
    }
    return FeaturePipeline.of(featureNames, steps);
  }
}
