package org.defer4j.cli.datasets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeaturizer;
import org.defer4j.io.text.TextOptions;

/**
 * Derives the deferral tables bundled in {@code datasets/} from the raw public data sets (the
 * {@code shared/data} folder): the code that produced every bundled file, so that anyone can
 * rebuild them and check what was done to the raw data.
 */
public final class BundledDatasets {
  private BundledDatasets() {}

  /**
   * Writes every bundled table, its task spec and its licence note into {@code out}.
   *
   * @param source the raw data folder
   * @param out the destination folder (created when missing)
   * @param log where progress lines go
   */
  public static void deriveAll(Path source, Path out, PrintStream log)
      throws IOException, SQLException {
    if (!Files.isDirectory(source)) {
      throw new IOException("raw data folder " + source + " does not exist");
    }
    Files.createDirectories(out);
    Path routellm = source.resolve("routellm");
    TaskSpec routeTask = RouteLlm.task();
    DeferralTable mmlu = RouteLlm.mmlu(routellm);
    DeferralTable gsm8k = RouteLlm.gsm8k(routellm);
    write(mmlu, routeTask, out, "routellm-mmlu", log);
    write(RouteLlm.mmluAll(routellm), routeTask, out, "routellm-mmlu-all", log);
    write(gsm8k, routeTask, out, "routellm-gsm8k", log);
    writeSplits(mmlu, routeTask, out, "routellm-mmlu", ROUTELLM_SEED, log);
    writeSplits(gsm8k, routeTask, out, "routellm-gsm8k", ROUTELLM_SEED, log);
    Files.copy(
        routellm.resolve("LICENSE_Apache-2.0.txt"),
        out.resolve("LICENSE-routellm-Apache-2.0.txt"),
        StandardCopyOption.REPLACE_EXISTING);
    Path golden = source.resolve("golden-ece");
    int n = HateSpeechConfidences.write(golden, out.resolve("hatespeech-l2d-confidences.csv"));
    Files.copy(
        golden.resolve("LICENSE.md"),
        out.resolve("LICENSE-hatespeech-l2d-confidences-MIT.md"),
        StandardCopyOption.REPLACE_EXISTING);
    log.printf("wrote %s/hatespeech-l2d-confidences.csv (%d rows)%n", out, n);
    hateSpeech(source.resolve("hatespeech"), out, log);
    realizableLinear(out, log);
    Attrition.write(source.resolve("modeldata"), out, log);
    FlChain.write(source.resolve("survival"), out, log);
  }

  /** Seed of the bundled sample of the realizable linear problem. */
  public static final long REALIZABLE_SEED = 3;

  /**
   * Mozannar et al. (2023)'s realizable linear problem in 3 dimensions ({@link
   * LinearDeferralProblem#realizable}): 80 training rows (small enough for the exact MILP of {@code
   * fit-milp}) and 2,000 test rows, seeded; synthetic, so no licence file.
   */
  static void realizableLinear(Path out, PrintStream log) throws IOException {
    SplittableRandom rng = new SplittableRandom(REALIZABLE_SEED);
    LinearDeferralProblem p = LinearDeferralProblem.realizable(3, rng.split());
    TaskSpec spec = p.task();
    DeferralTableWriter.write(
        p.sample(80, rng.split()), spec, out.resolve("realizable-linear-train.csv"));
    DeferralTableWriter.write(
        p.sample(2_000, rng.split()), spec, out.resolve("realizable-linear-test.csv"));
    TaskSpecIo.write(spec, out.resolve("realizable-linear.yaml"));
    log.printf(
        "wrote %s/realizable-linear-train.csv (80 rows), -test.csv (2000 rows) and .yaml%n", out);
  }

  /** Seed of the bundled RouteLLM train / validation / test splits. */
  public static final long ROUTELLM_SEED = 2024;

  /**
   * Writes {@code <name>-train.parquet}, {@code -val} and {@code -test}: the table's rows split 60
   * / 20 / 20 by {@link RouteLlm#split} with the given seed.
   */
  static void writeSplits(
      DeferralTable table, TaskSpec spec, Path out, String name, long seed, PrintStream log) {
    int[][] parts = RouteLlm.split(table.rows(), new SplittableRandom(seed));
    String[] names = {"train", "val", "test"};
    for (int s = 0; s < 3; s++) {
      Path file = out.resolve(name + "-" + names[s] + ".parquet");
      DeferralTableWriter.write(table.select(parts[s]), spec, file);
      log.printf("wrote %s (%d rows)%n", file, parts[s].length);
    }
  }

  /** Hashed TF-IDF dimension of the bundled HateSpeech features. */
  public static final int HATESPEECH_DIMENSION = 512;

  /** The fee of each annotator in the three-annotator HateSpeech tables. */
  public static final double ANNOTATOR_FEE = 0.05;

  /** Seed of the bundled HateSpeech split and expert draws. */
  public static final long HATESPEECH_SEED = 2017;

  /**
   * HateSpeech as train / validation / test Parquet tables (60 / 20 / 20, seeded): hashed TF-IDF
   * features fitted on the training tweets only, the majority class, and one expert {@code
   * annotator} whose answer is one vote drawn from the tweet's votes. The tweets themselves are not
   * bundled.
   */
  static void hateSpeech(Path dir, Path out, PrintStream log) throws IOException, SQLException {
    List<HateSpeech.Tweet> tweets = HateSpeech.read(dir.resolve("labeled_data.csv"));
    SplittableRandom rng = new SplittableRandom(HATESPEECH_SEED);
    int[][] parts = HateSpeech.split(tweets.size(), 0.6, 0.2, rng.split());
    int[][] votes = HateSpeech.drawVotes(tweets, 1, rng.split());
    String[] trainTexts = new String[parts[0].length];
    for (int i = 0; i < trainTexts.length; i++) {
      trainTexts[i] = tweets.get(parts[0][i]).text();
    }
    FittedTextFeaturizer f =
        new TextFeaturizer(TextOptions.defaults().withDimension(HATESPEECH_DIMENSION))
            .fit(trainTexts);
    List<String> experts = List.of("annotator");
    TaskSpec spec = HateSpeech.task(experts);
    String[] names = {"train", "val", "test"};
    for (int s = 0; s < 3; s++) {
      String name = "hatespeech-" + names[s];
      DeferralTable t = HateSpeech.table(name, tweets, parts[s], f, experts, votes);
      DeferralTableWriter.write(t, spec, out.resolve(name + ".parquet"));
      log.printf("wrote %s/%s.parquet (%d rows)%n", out, name, t.rows());
    }
    TaskSpecIo.write(spec, out.resolve("hatespeech.yaml"));
    // The same tweets, split and features with three annotators (votes drawn without replacement
    // from a further split of the seed, so the one-annotator tables above are unchanged), each
    // with a consultation fee: the committee (top-k) example.
    int[][] votes3 = HateSpeech.drawVotes(tweets, 3, rng.split());
    List<String> three = List.of("annotator1", "annotator2", "annotator3");
    TaskSpec spec3 =
        TaskSpec.classification(
            HateSpeech.CLASSES,
            null,
            three.stream().map(n -> Agent.expert(n, ANNOTATOR_FEE)).toList());
    for (int s = 0; s < 3; s++) {
      String name = "hatespeech-annotators-" + names[s];
      DeferralTable t = HateSpeech.table(name, tweets, parts[s], f, three, votes3);
      DeferralTableWriter.write(t, spec3, out.resolve(name + ".parquet"));
      log.printf("wrote %s/%s.parquet (%d rows)%n", out, name, t.rows());
    }
    TaskSpecIo.write(spec3, out.resolve("hatespeech-annotators.yaml"));
    Files.copy(
        dir.resolve("LICENSE"),
        out.resolve("LICENSE-hatespeech-MIT.txt"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(
      DeferralTable table, TaskSpec spec, Path out, String name, PrintStream log)
      throws IOException {
    DeferralTableWriter.write(table, spec, out.resolve(name + ".csv"));
    TaskSpecIo.write(spec, out.resolve(name + ".yaml"));
    log.printf("wrote %s/%s.csv (%d rows) and %s.yaml%n", out, name, table.rows(), name);
  }
}
