package org.defer4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DecisionsWriter;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.PolicyArtifact;

/**
 * End-to-end batch routing through the Java API, the path of {@code defer4j route}: load a policy
 * artifact, read a Parquet cases table ({@link DeferralTableReader#readCases}), decide every case
 * ({@link LearnedPolicy#decide(DeferralTable, Availability)} under the table's availability), and
 * write the decisions as Parquet ({@link DecisionsWriter#write}). Each phase is timed separately,
 * {@code -runs} times (default 3) in one JVM; rows/s per phase and end to end (the sum).
 *
 * <p><b>Data.</b> A seeded cases table of {@code -rows} rows (default 1,000,000): an {@code id} and
 * {@code -features} Gaussian {@code x.*} features (default 32), no outcomes, written once with
 * {@link DeferralTableWriter} (under a task that declares no agent, so no outcome column is
 * required). The task: 3 classes, no frozen model, 3 experts (fee 0.1), so 4 agents.
 *
 * <p><b>Policy.</b> A linear one-stage policy ({@code -method}, default {@code ova}, whose head
 * also estimates each agent's expected cost, so the decisions carry scores, expected costs and the
 * model's prediction) trained by {@link DeferralTrainer} with its default standardised inputs, Adam
 * for 2 epochs on 20,000 labelled rows of the same law ({@link TableLoadBenchmark#syntheticTable}).
 *
 * <p><b>Split of the decide phase</b> (after the runs, same JVM, median of the runs): the
 * availability from the table, the feature pipeline ({@code features().transform}), the scorer
 * alone ({@code scoreRows}), and {@code decideInputs} (scorer + head + rule + the {@link Decisions}
 * it builds), so that the rest = decideInputs − scorer. And of the write phase: the same decisions
 * with only {@code id}, {@code agent}, {@code fallback} (no scores, expected costs or predictions).
 *
 * <p>Usage: {@code java -Xmx8g -cp defer4j-bench.jar org.defer4j.bench.RouteThroughput [-dir DIR]
 * [-rows N] [-features D] [-runs R] [-method M] [-seed S]}.
 */
public final class RouteThroughput {
  private static final List<String> CLASSES = List.of("c0", "c1", "c2");

  private RouteThroughput() {}

  /** Runs the benchmark and prints Markdown tables. */
  public static void main(String[] args) throws Exception {
    Path dir = null;
    int rows = 1_000_000;
    int features = 32;
    int runs = 3;
    String method = "ova";
    long seed = 2026;
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "-dir" -> dir = Path.of(v);
        case "-rows" -> rows = Integer.parseInt(v);
        case "-features" -> features = Integer.parseInt(v);
        case "-runs" -> runs = Integer.parseInt(v);
        case "-method" -> method = v;
        case "-seed" -> seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    boolean temporary = dir == null;
    dir = temporary ? Files.createTempDirectory("defer4j-route") : dir;
    Files.createDirectories(dir);
    List<Agent> experts = new ArrayList<>();
    for (int j = 1; j <= 3; j++) {
      experts.add(Agent.expert("e" + j, 0.1));
    }
    TaskSpec task = TaskSpec.classification(CLASSES, null, experts);

    Path cases = dir.resolve("cases-" + rows + "x" + features + "-seed" + seed + ".parquet");
    if (!Files.exists(cases)) {
      long t0 = System.nanoTime();
      DeferralTable table = casesTable(rows, features, new SplittableRandom(seed));
      TaskSpec declaresNothing =
          new TaskSpec(TaskKind.COSTS, List.of(), null, List.of(), null, null);
      DeferralTableWriter.write(table, declaresNothing, cases);
      System.out.printf(
          Locale.ROOT,
          "wrote %s (%d rows, %d features, %.1f MiB) in %.1f s%n",
          cases.getFileName(),
          rows,
          features,
          Files.size(cases) / 1048576.0,
          (System.nanoTime() - t0) / 1e9);
    }
    Path policyFile = dir.resolve("policy-" + method.replace(':', '-') + ".json");
    long t0 = System.nanoTime();
    LearnedPolicy trained =
        new DeferralTrainer(
                Surrogates.byName(method),
                DeferralTrainer.linear(0.0),
                new TrainOptions(Algorithm.ADAM, 1e-2, 2, 128, 0, seed),
                false)
            .fit(
                task,
                TableLoadBenchmark.syntheticTable(20_000, features, new SplittableRandom(seed + 1)),
                null,
                TrainingListener.NONE);
    PolicyArtifact.save(trained, policyFile);
    System.out.printf(
        Locale.ROOT,
        "trained %s (%s, %s) in %.1f s%n%n",
        trained.name(),
        trained.features(),
        trained.head().spec(),
        (System.nanoTime() - t0) / 1e9);

    Path out = dir.resolve("decisions.parquet");
    System.out.printf(
        Locale.ROOT,
        "%d cores, load average %.2f before the runs%n%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    double[] read = new double[runs];
    double[] decide = new double[runs];
    double[] write = new double[runs];
    double[] total = new double[runs];
    int n = 0;
    long checksum = -1;
    System.out.println(
        "| run | read s | decide s | write s | end to end s | read rows/s | decide rows/s |"
            + " write rows/s | end-to-end rows/s |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int r = 0; r < runs; r++) {
      long a = System.nanoTime();
      LearnedPolicy policy = PolicyArtifact.load(policyFile);
      DeferralTable table = DeferralTableReader.readCases(cases, policy.task());
      long b = System.nanoTime();
      Decisions d = policy.decide(table, Availability.fromTable(policy.agents(), table));
      long c = System.nanoTime();
      DecisionsWriter.write(d, policy.task(), out);
      long e = System.nanoTime();
      n = table.rows();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += d.agent(i);
      }
      if (checksum >= 0 && sum != checksum) {
        throw new IllegalStateException("runs disagree: " + sum + " vs " + checksum);
      }
      checksum = sum;
      read[r] = (b - a) / 1e9;
      decide[r] = (c - b) / 1e9;
      write[r] = (e - c) / 1e9;
      total[r] = (e - a) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "| %d | %.3f | %.3f | %.3f | %.3f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
          r + 1,
          read[r],
          decide[r],
          write[r],
          total[r],
          n / read[r],
          n / decide[r],
          n / write[r],
          n / total[r]);
    }
    System.out.printf(
        Locale.ROOT,
        "| median | %.3f | %.3f | %.3f | %.3f | %,.0f | %,.0f | %,.0f | %,.0f |%n%n",
        median(read),
        median(decide),
        median(write),
        median(total),
        n / median(read),
        n / median(decide),
        n / median(write),
        n / median(total));
    System.out.printf(
        Locale.ROOT,
        "decisions file %.1f MiB; agent index sum %d%n%n",
        Files.size(out) / 1048576.0,
        checksum);
    split(PolicyArtifact.load(policyFile), cases, out, runs);
    System.out.printf(
        Locale.ROOT,
        "%nload average %.2f after the runs%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Files.deleteIfExists(out);
    if (temporary) {
      Files.deleteIfExists(cases);
      Files.deleteIfExists(policyFile);
      Files.deleteIfExists(dir);
    }
  }

  /** Times the parts of the decide and write phases (see the class comment). */
  private static void split(LearnedPolicy policy, Path cases, Path out, int runs) {
    DeferralTable table = DeferralTableReader.readCases(cases, policy.task());
    int n = table.rows();
    Scorer scorer = policy.scorer();
    double[][] t = new double[8][runs];
    FeaturePipeline unscaled = policy.features().withStandardization(null);
    Decisions d = null;
    for (int r = 0; r < runs; r++) {
      long a = System.nanoTime();
      Availability av = Availability.fromTable(policy.agents(), table);
      long b = System.nanoTime();
      double[] x = policy.features().transform(table);
      long c = System.nanoTime();
      double[] assembled = unscaled.transform(table);
      long c2 = System.nanoTime();
      double[] raw = new double[n * scorer.outputDim()];
      scorer.scoreRows(x, 0, n, raw, scorer.newWorkspace());
      long e = System.nanoTime();
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        ids[i] = table.id(i);
      }
      long f = System.nanoTime();
      d = policy.decideInputs(x, policy.confidence(table), av, ids, table.source());
      long g = System.nanoTime();
      Decisions bare =
          Decisions.builder(d.agentSet(), d.agents()).fallback(d.fallbacks()).ids(ids).build();
      long h = System.nanoTime();
      DecisionsWriter.write(bare, policy.task(), out);
      long k = System.nanoTime();
      Decisions noIds = Decisions.builder(d.agentSet(), d.agents()).fallback(d.fallbacks()).build();
      long l = System.nanoTime();
      DecisionsWriter.write(noIds, policy.task(), out);
      long m = System.nanoTime();
      t[0][r] = (b - a) / 1e9;
      t[1][r] = (c - b) / 1e9;
      t[2][r] = (c2 - c) / 1e9;
      t[3][r] = (e - c2) / 1e9;
      t[4][r] = (f - e) / 1e9;
      t[5][r] = (g - f) / 1e9;
      t[6][r] = (k - h) / 1e9;
      t[7][r] = (m - l) / 1e9;
      if (assembled.length != x.length) {
        throw new IllegalStateException("pipelines disagree on the input width");
      }
    }
    long fullWrite = System.nanoTime();
    DecisionsWriter.write(d, policy.task(), out);
    double full = (System.nanoTime() - fullWrite) / 1e9;
    String[] names = {
      "Availability.fromTable",
      "FeaturePipeline.transform (assemble + standardise)",
      "FeaturePipeline.transform without standardisation (the table's features as they are: no"
          + " copy)",
      "Scorer.scoreRows alone",
      "case ids (DeferralTable.id per row)",
      "decideInputs (scorer + head + rule + Decisions)",
      "DecisionsWriter.write, id + agent + fallback only",
      "DecisionsWriter.write, agent + fallback only (ids written as row numbers)"
    };
    System.out.printf(
        Locale.ROOT,
        "Split (%d rows, median of %d; write of the full decisions once more: %.3f s):%n%n",
        n,
        runs,
        full);
    System.out.println("| part | s | rows/s |");
    System.out.println("|---|---|---|");
    for (int p = 0; p < names.length; p++) {
      double med = median(t[p]);
      System.out.printf(Locale.ROOT, "| %s | %.3f | %,.0f |%n", names[p], med, n / med);
    }
    double rest = median(t[5]) - median(t[3]);
    System.out.printf(
        Locale.ROOT,
        "| decideInputs − scorer (head, rule, fallback check, Decisions copies) | %.3f | %,.0f |%n",
        rest,
        n / rest);
  }

  /** Ids {@code c0000001 ...} and d features ~ N(0, 1), no outcomes. */
  static DeferralTable casesTable(int n, int d, SplittableRandom rnd) {
    double[] x = new double[n * d];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = String.format(Locale.ROOT, "c%07d", i + 1);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = rnd.nextGaussian();
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    return DeferralTable.builder("cases", n).features(names, x).ids(ids).build();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int k = s.length;
    return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
  }
}
