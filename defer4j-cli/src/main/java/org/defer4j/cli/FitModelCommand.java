package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.model.Activation;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.StageOneModel;
import org.defer4j.core.train.StageOneTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.StageOneArtifact;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Stage one of two-stage deferral: trains the model that a rejector will route around (a
 * classifier, a regressor, or a classifier and a regressor on a shared MLP trunk, by the task's
 * kind), freezes it, and writes tables that carry its outputs as the {@code m.<model>.*} columns of
 * the task's {@code model:} agent, ready for {@code defer4j train --method 2s-...}.
 */
@Command(
    name = "fit-model",
    mixinStandardHelpOptions = true,
    description = {
      "Train the frozen model of a two-stage task (stage one) and write tables with its"
          + " m.<model>.y / .p.<class> / .t columns.",
      "classification: a classifier; regression: a regressor; multitask: a classifier and a"
          + " regressor on a shared representation, loss CE + lambda * smooth-L1."
    })
final class FitModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Training table (CSV or Parquet).")
  Path data;

  @Option(names = "--val", description = "Validation table for early stopping.")
  Path validation;

  @Option(
      names = "--task",
      required = true,
      description = "Task spec (YAML); its 'model:' names the frozen model's columns.")
  Path task;

  @Option(
      names = "--model",
      defaultValue = "mlp:64",
      description =
          "Architecture: linear or mlp:H1,H2,... (at most 16 layers of 1 to 8192 units) (default:"
              + " ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--activation",
      defaultValue = "relu",
      description = "MLP activation: relu, tanh or gelu (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(
      names = "--lambda",
      defaultValue = "1",
      description =
          "Weight of the smooth-L1 term of the multi-head loss (default: ${DEFAULT-VALUE}).")
  double lambda;

  @Option(
      names = "--out-data",
      required = true,
      description = "Where to write --data with the model's columns.")
  Path outData;

  @Option(names = "--out-val", description = "Where to write --val with the model's columns.")
  Path outVal;

  @Option(
      names = "--apply",
      description =
          "Another table to run the frozen model on (repeatable, paired with --apply-out).")
  List<Path> apply = new ArrayList<>();

  @Option(names = "--apply-out", description = "Where to write the matching --apply table.")
  List<Path> applyOut = new ArrayList<>();

  @Option(
      names = "--out-model",
      description =
          "Also save the fitted model as a stage-one artifact (JSON) that --from-model reloads.")
  Path outModel;

  @Option(
      names = "--from-model",
      description =
          "Do not train: load this stage-one artifact and write its columns into --data (and"
              + " --val, --apply).")
  Path fromModel;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--epochs",
      defaultValue = "100",
      description = "Maximum epochs, 1 to 100000 (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--lr",
      defaultValue = "0.003",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--batch",
      defaultValue = "128",
      description = "Batch size, 1 to 1048576 (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--patience",
      defaultValue = "10",
      description =
          "Epochs without validation improvement before stopping (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--l2",
      defaultValue = "0",
      description = "L2 penalty on weights (default: ${DEFAULT-VALUE}).")
  double l2;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    checkBounds();
    if (apply.size() != applyOut.size()) {
      throw new IllegalArgumentException(
          "--apply is given "
              + apply.size()
              + " times but --apply-out "
              + applyOut.size()
              + " times");
    }
    if (outVal != null && validation == null) {
      throw new IllegalArgumentException("--out-val needs --val");
    }
    TaskSpec full = TaskSpecIo.read(task);
    if (!full.hasFrozenModel()) {
      throw new IllegalArgumentException(
          task + ": the task names no 'model:'; fit-model writes the columns of that agent");
    }
    // The input tables do not have the model's columns yet, so they are read with a spec that
    // declares only the experts.
    TaskSpec input =
        new TaskSpec(
            full.kind(), full.classes(), null, full.experts(), full.cost(), full.textColumn());
    DeferralTable train = DeferralTableReader.read(data, input);
    DeferralTable val = validation == null ? null : DeferralTableReader.read(validation, input);
    TrainOptions options =
        new TrainOptions(Algorithm.ADAM, learningRate, epochs, batch, patience, seed);
    StageOneModel m;
    if (fromModel != null) {
      m = StageOneArtifact.load(fromModel);
      if (!m.name().equals(full.model())) {
        throw new IllegalArgumentException(
            fromModel
                + ": the model is '"
                + m.name()
                + "', the task's model is '"
                + full.model()
                + "'");
      }
      out.printf(Locale.ROOT, "loaded %s from %s%n", m.name(), fromModel);
    } else {
      StageOneTrainer trainer = new StageOneTrainer(scorer(), lambda, options);
      out.printf(
          Locale.ROOT,
          "fitting %s (%s, %s) on %d rows x %d features%n",
          full.model(),
          StageOneTrainer.Heads.of(full.kind()).name().toLowerCase(Locale.ROOT),
          model,
          train.rows(),
          train.featureCount());
      m = trainer.fit(full, train, val, TrainingListener.NONE);
      out.printf(Locale.ROOT, "%d epochs, best epoch %d%n", m.fit().epochs(), m.fit().bestEpoch());
    }
    if (outModel != null) {
      StageOneArtifact.save(m, outModel);
      out.println("wrote " + outModel);
    }
    write(out, m, full, train, outData);
    if (outVal != null) {
      write(out, m, full, val, outVal);
    }
    for (int i = 0; i < apply.size(); i++) {
      write(out, m, full, DeferralTableReader.read(apply.get(i), input), applyOut.get(i));
    }
    out.flush();
    return 0;
  }

  private static void write(
      PrintWriter out, StageOneModel m, TaskSpec task, DeferralTable table, Path file) {
    DeferralTable withModel = m.attach(table);
    DeferralTableWriter.write(withModel, task, file);
    AgentColumns cols = withModel.agent(m.name());
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "wrote %s (%d rows)", file, table.rows()));
    if (cols.hasPredictedClass() && table.hasLabels()) {
      int right = 0;
      for (int i = 0; i < table.rows(); i++) {
        right += cols.predictedClass(i) == table.label(i) ? 1 : 0;
      }
      line.append(
          String.format(Locale.ROOT, ": accuracy %s", Format.pct(right / (double) table.rows())));
    }
    if (cols.hasPredictedValue() && table.hasTargets()) {
      RegressionLoss loss = task.cost().regressionLoss();
      double sum = 0;
      for (int i = 0; i < table.rows(); i++) {
        sum += loss.apply(cols.predictedValue(i), table.target(i));
      }
      line.append(
          String.format(Locale.ROOT, ", mean %s %.4f", loss.specName(), sum / table.rows()));
    }
    out.println(line);
  }

  /** The numeric options' ranges (see {@link OptionBounds}), before anything is read. */
  private void checkBounds() {
    OptionBounds.check(spec, "--epochs", epochs, 1, OptionBounds.MAX_EPOCHS);
    OptionBounds.check(spec, "--batch", batch, 1, OptionBounds.MAX_BATCH);
    OptionBounds.check(spec, "--patience", patience, 0, OptionBounds.MAX_EPOCHS);
    OptionBounds.checkAtLeast(spec, "--lr", learningRate, 0, true);
    OptionBounds.checkAtLeast(spec, "--l2", l2, 0, false);
    OptionBounds.checkAtLeast(spec, "--lambda", lambda, 0, false);
    if (model.startsWith("mlp:")) {
      OptionBounds.hiddenSizes(spec, "--model", model);
    }
  }

  private DeferralTrainer.ScorerFactory scorer() {
    if (model.equals("linear")) {
      return DeferralTrainer.linear(l2);
    }
    if (!model.startsWith("mlp:")) {
      throw new IllegalArgumentException(
          "--model '" + model + "' is not 'linear' or 'mlp:H1,H2,...' (e.g. mlp:64)");
    }
    List<Integer> hidden = OptionBounds.hiddenSizes(spec, "--model", model);
    try {
      return DeferralTrainer.mlp(
          hidden, Activation.valueOf(activation.toUpperCase(Locale.ROOT)), l2);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--activation " + activation + " is not one of [relu, tanh, gelu]", e);
    }
  }
}
