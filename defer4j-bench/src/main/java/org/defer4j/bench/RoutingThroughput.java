package org.defer4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatureStep;
import org.defer4j.io.text.TextFeatures;
import org.defer4j.io.text.TextFeaturizer;
import org.defer4j.io.text.TextOptions;

/**
 * Throughput of batch LLM routing on RouteLLM MMLU (Mixtral or GPT-4) with a linear and an MLP
 * two-stage rejector ({@code 2s-comp:1}, trained here on the bundled training split and saved as
 * policy artifacts whose feature pipeline holds the text step).
 *
 * <ul>
 *   <li><b>End to end</b> (batch): load the policy artifact from disk, featurise every prompt of
 *       the test split (hashed TF-IDF, the policy's own text step) next to its subject features,
 *       score, and route every row ({@link LearnedPolicy#decide(DeferralTable)}, every agent
 *       available); decisions/s = rows / wall time. The test table is read once beforehand (its
 *       loading is measured in "Loading deferral tables").
 *   <li><b>Per decision</b> (tight loop, one question at a time, no allocation per call): featurise
 *       one prompt into a reused buffer, score the row ({@link Scorer#forward}) and compare the
 *       GPT-4 margin with the threshold; and the same without the featurisation (score + route
 *       only).
 * </ul>
 *
 * Each measurement is repeated; the first {@code WARMUP} repetitions warm the JIT and are
 * discarded, the figure is the median of the rest. A checksum of the decisions keeps the JIT from
 * removing the work and checks that the tight loop routes exactly like {@link LearnedPolicy}.
 *
 * <p>Usage: {@code java -cp defer4j-bench.jar org.defer4j.bench.RoutingThroughput DATASETS_DIR
 * [REPS]}.
 */
public final class RoutingThroughput {
  private static final int WARMUP = 5;

  private RoutingThroughput() {}

  /** Runs the benchmark and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RoutingThroughput DATASETS_DIR [REPS]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    TaskSpec task = TaskSpecIo.read(dir.resolve("routellm-mmlu.yaml"));
    DeferralTable train =
        DeferralTableReader.read(dir.resolve("routellm-mmlu-train.parquet"), task);
    DeferralTable val = DeferralTableReader.read(dir.resolve("routellm-mmlu-val.parquet"), task);
    DeferralTable test = DeferralTableReader.read(dir.resolve("routellm-mmlu-test.parquet"), task);
    FittedTextFeaturizer text =
        TextFeatures.fit(train, task.textColumn(), new TextFeaturizer(TextOptions.defaults()));
    TextFeatureStep step =
        new TextFeatureStep(task.textColumn(), FittedTextFeaturizer.DEFAULT_PREFIX, text);
    Path tmp = Files.createTempDirectory("defer4j-routing");
    System.out.printf(
        Locale.ROOT,
        "test rows: %d, features: %d from the table (length, subjects) + %d hashed TF-IDF%n%n",
        test.rows(),
        test.featureCount(),
        text.dimension());
    System.out.println(
        "| rejector | parameters | end-to-end decisions/s (median) | end-to-end ms per batch"
            + " | per decision µs: featurise+score+route (median) | per decision µs: score+route"
            + " |");
    System.out.println("|---|---|---|---|---|---|");
    for (String scorer : List.of("linear", "mlp:64")) {
      DeferralTrainer.ScorerFactory f =
          scorer.equals("linear")
              ? DeferralTrainer.linear(0.0)
              : DeferralTrainer.mlp(List.of(64), Activation.RELU, 0.0);
      // Raw inputs, as in the published run: the tight loop below feeds the scorer the table
      // features and the TF-IDF block exactly as the pipeline assembles them, with no scaling.
      LearnedPolicy m =
          new DeferralTrainer(
                  Surrogates.byName("2s-comp:1"),
                  f,
                  new TrainOptions(Algorithm.ADAM, 1e-3, 30, 128, 5, 2024),
                  false)
              .withFeatures(FeatureOptions.raw().withStep(step))
              .fit(task, train, val, TrainingListener.NONE);
      Path file = tmp.resolve(scorer.replace(':', '-') + ".json");
      PolicyArtifact.save(m, file);
      measure(scorer, file, test, reps);
      Files.delete(file);
    }
    Files.delete(tmp);
  }

  private static void measure(String name, Path file, DeferralTable test, int reps)
      throws Exception {
    int n = test.rows();
    double[] batchSeconds = new double[reps];
    long batchChecksum = 0;
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      LearnedPolicy p = PolicyArtifact.load(file);
      int[] d = p.decide(test).agents();
      batchSeconds[r] = (System.nanoTime() - t0) / 1e9;
      batchChecksum = Arrays.stream(d).asLongStream().sum();
    }
    LearnedPolicy policy = PolicyArtifact.load(file);
    Scorer scorer = policy.scorer();
    TextFeatureStep step = (TextFeatureStep) policy.features().steps().get(0);
    FittedTextFeaturizer text = step.featurizer();
    String[] prompts = TextFeatures.column(test, step.column());
    int d0 = test.featureCount();
    if (!policy.features().columns().equals(test.featureNames())) {
      throw new IllegalStateException("the tight loop reads the table features in table order");
    }
    int dt = text.dimension();
    double[] x = new double[d0 + dt];
    double[] textBuf = new double[dt];
    double[] scores = new double[scorer.outputDim()];
    double[] base = test.featureBlock();
    double[] full = policy.features().transform(test);
    Workspace ws = scorer.newWorkspace();
    double[] withText = new double[reps];
    double[] scoreOnly = new double[reps];
    long loopChecksum = 0;
    for (int r = 0; r < reps; r++) {
      long sum = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        System.arraycopy(base, i * d0, x, 0, d0);
        text.transform(prompts[i], textBuf);
        System.arraycopy(textBuf, 0, x, d0, dt);
        scorer.forward(x, 0, scores, ws);
        sum += scores[1] > scores[0] ? 1 : 0;
      }
      withText[r] = (System.nanoTime() - t0) / 1e3 / n;
      loopChecksum = sum;
      sum = 0;
      t0 = System.nanoTime();
      int width = d0 + dt;
      for (int i = 0; i < n; i++) {
        scorer.forward(full, i * width, scores, ws);
        sum += scores[1] > scores[0] ? 1 : 0;
      }
      scoreOnly[r] = (System.nanoTime() - t0) / 1e3 / n;
      if (sum != loopChecksum) {
        throw new IllegalStateException("tight loops disagree: " + sum + " vs " + loopChecksum);
      }
    }
    if (loopChecksum != batchChecksum) {
      throw new IllegalStateException(
          "tight loop routes " + loopChecksum + " rows to GPT-4, the model " + batchChecksum);
    }
    double batch = median(batchSeconds);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %,.0f | %.1f | %.2f | %.3f |%n",
        name,
        scorer.parameterCount(),
        n / batch,
        1e3 * batch,
        median(withText),
        median(scoreOnly));
  }

  /** The median of the values after the first {@link #WARMUP} (warm-up) ones. */
  static double median(double[] all) {
    double[] v = Arrays.copyOfRange(all, Math.min(WARMUP, all.length - 1), all.length);
    Arrays.sort(v);
    int k = v.length;
    return k % 2 == 1 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
  }
}
