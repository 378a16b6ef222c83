package org.defer4j.spark.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.spark.DeferralEstimator;
import org.defer4j.spark.DeferralPolicyModel;
import org.defer4j.spark.DistributedTrainer;
import org.defer4j.spark.SparkRouting;

/**
 * The scaling benchmark of docs/benchmarks.md, one phase per JVM:
 *
 * <pre>
 *   generate ROWS DIR         a seeded table DIR/table.parquet (32 features, 3 experts) + task.yaml
 *   single DIR ITERATIONS     single-JVM read, L-BFGS (ce, linear) and routing
 *   spark MASTER DIR ITERATIONS   the same on Spark: estimator fit (L-BFGS), route (noop sink)
 *   adam MASTER DIR EPOCHS    data-parallel Adam, averaged gradients vs local steps, per epoch
 * </pre>
 *
 * The table: x ~ N(0, I_32); y = 1[w·x + ε > 0] with w and ε seeded; expert j (fees 0.05, 0.1, 0.2)
 * is right with probability σ(1 + 2 x_j), so each expert is reliable in its own region. Every
 * partition of the generator draws from its own seed, so the table depends on the seed only.
 */
public final class SparkBenchmark {
  private static final int D = 32;

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(Long.parseLong(args[1]), Path.of(args[2]));
      case "single" -> single(Path.of(args[1]), Integer.parseInt(args[2]));
      case "spark" -> spark(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      case "adam" -> adam(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("unknown phase " + args[0]);
    }
  }

  static final String TASK =
      "task: classification\n"
          + "classes: 2\n"
          + "experts:\n"
          + "  - name: e1\n    fee: 0.05\n"
          + "  - name: e2\n    fee: 0.1\n"
          + "  - name: e3\n    fee: 0.2\n";

  private static SparkSession session(String master) {
    return SparkSession.builder()
        .appName("defer4j spark benchmark")
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  static void generate(long rows, Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("task.yaml"), TASK);
    SparkSession spark = session("local[2]");
    spark.sparkContext().setLogLevel("WARN");
    int parts = 16;
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("y", DataTypes.IntegerType, false));
    for (int j = 0; j < D; j++) {
      f.add(DataTypes.createStructField("x.f" + j, DataTypes.DoubleType, false));
    }
    for (int e = 1; e <= 3; e++) {
      f.add(DataTypes.createStructField("m.e" + e + ".y", DataTypes.IntegerType, false));
    }
    StructType schema = DataTypes.createStructType(f);
    double[] w = new double[D];
    SplittableRandom wr = new SplittableRandom(2026L);
    for (int j = 0; j < D; j++) {
      w[j] = wr.nextGaussian();
    }
    JavaRDD<Integer> seeds =
        new JavaSparkContext(spark.sparkContext())
            .parallelize(java.util.stream.IntStream.range(0, parts).boxed().toList(), parts);
    JavaRDD<Row> table =
        seeds.flatMap(
            p -> {
              long from = rows * p / parts;
              long to = rows * (p + 1) / parts;
              SplittableRandom r = new SplittableRandom(1_000_003L * (p + 1));
              List<Row> out = new ArrayList<>((int) (to - from));
              for (long i = from; i < to; i++) {
                Object[] v = new Object[1 + D + 3];
                double z = 0.5 * r.nextGaussian();
                for (int j = 0; j < D; j++) {
                  double x = r.nextGaussian();
                  v[1 + j] = x;
                  z += w[j] * x;
                }
                int y = z > 0 ? 1 : 0;
                v[0] = y;
                for (int e = 0; e < 3; e++) {
                  double x = (Double) v[1 + e];
                  boolean right = r.nextDouble() < 1 / (1 + Math.exp(-(1 + 2 * x)));
                  v[1 + D + e] = right ? y : 1 - y;
                }
                out.add(RowFactory.create(v));
              }
              return out.iterator();
            });
    Path staging = dir.resolve("table.parts");
    long t0 = System.nanoTime();
    spark
        .createDataFrame(table, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      Path part = s.filter(x -> x.getFileName().toString().endsWith(".parquet")).findFirst().get();
      Files.move(part, dir.resolve("table.parquet"), StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.printf(
        Locale.ROOT,
        "generated %d rows x %d features x 3 experts in %.1f s: %s (%d bytes)%n",
        rows,
        D,
        (System.nanoTime() - t0) / 1e9,
        dir.resolve("table.parquet"),
        Files.size(dir.resolve("table.parquet")));
    spark.stop();
  }

  /** Samples the JVM's used heap every 100 ms (MemoryMXBean) and keeps the largest value. */
  static final class HeapPeak implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapPeak() {
      MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(mx.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    double gib() {
      return peak.get() / (double) (1L << 30);
    }

    @Override
    public void close() {
      running = false;
    }
  }

  static void single(Path dir, int iterations) throws Exception {
    TaskSpec task = TaskSpecIo.parse(TASK, "task");
    try (HeapPeak heap = new HeapPeak()) {
      long t0 = System.nanoTime();
      DeferralTable table = DeferralTableReader.read(dir.resolve("table.parquet"), task);
      long t1 = System.nanoTime();
      LearnedPolicy p =
          new DeferralTrainer(
                  Surrogates.byName("ce"),
                  DeferralTrainer.linear(1e-4),
                  new TrainOptions(Algorithm.LBFGS, 1e-3, iterations, 128, 0, 1L),
                  false)
              .fit(task, table, null, TrainingListener.NONE);
      long t2 = System.nanoTime();
      Decisions d = p.decide(table);
      long t3 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "single-JVM: %d rows; read %.1f s; train (L-BFGS %d it.) %.1f s; route %.1f s = %.0f"
              + " rows/s; peak heap used %.2f GiB; deferred %d%n",
          table.rows(),
          (t1 - t0) / 1e9,
          iterations,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9,
          table.rows() / ((t3 - t2) / 1e9),
          heap.gib(),
          d.rows() - java.util.Arrays.stream(d.agents()).filter(a -> a == 0).count());
      System.out.println("single-JVM first parameters " + firstParams(p));
    }
  }

  private static String firstParams(LearnedPolicy p) {
    double[] t = p.scorer().parameters();
    return String.format(Locale.ROOT, "%.9f %.9f %.9f", t[0], t[1], t[2]);
  }

  /** Largest peakExecutionMemory of any task (Spark's task metrics). */
  static final class PeakExecution extends SparkListener {
    final AtomicLong peak = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        peak.accumulateAndGet(end.taskMetrics().peakExecutionMemory(), Math::max);
      }
    }
  }

  static void spark(String master, Path dir, int iterations) throws Exception {
    TaskSpec task = TaskSpecIo.parse(TASK, "task");
    SparkSession spark = session(master);
    spark.sparkContext().setLogLevel("WARN");
    PeakExecution exec = new PeakExecution();
    spark.sparkContext().addSparkListener(exec);
    try (HeapPeak heap = new HeapPeak()) {
      Dataset<Row> data = spark.read().parquet(dir.resolve("table.parquet").toString());
      long t0 = System.nanoTime();
      DeferralEstimator est =
          new DeferralEstimator()
              .setTask(task)
              .setMethod("ce")
              .setOptimizer("lbfgs")
              .setEpochs(iterations)
              .setL2(1e-4)
              .setSeed(1L);
      DeferralPolicyModel model = est.fit(data);
      long t1 = System.nanoTime();
      SparkRouting routing = new SparkRouting(model.policy(), null);
      routing.route(spark, data, null).write().format("noop").mode(SaveMode.Overwrite).save();
      long t2 = System.nanoTime();
      DistributedTrainer.FitLog log = est.lastFitLog();
      System.out.printf(
          Locale.ROOT,
          "spark %s: %d rows in %d partitions; train (read+decode+L-BFGS %d it., %d jobs) %.1f"
              + " s; route (read+decide, noop sink) %.1f s = %.0f rows/s; peak heap used %.2f"
              + " GiB (driver = executor JVM); max task peakExecutionMemory %.1f MiB%n",
          master,
          log.rows(),
          log.partitions(),
          iterations,
          log.jobs(),
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          log.rows() / ((t2 - t1) / 1e9),
          heap.gib(),
          exec.peak.get() / (double) (1 << 20));
      System.out.println("spark first parameters " + firstParams(model.policy()));
    }
    spark.stop();
  }

  static void adam(String master, Path dir, int epochs) throws Exception {
    TaskSpec task = TaskSpecIo.parse(TASK, "task");
    SparkSession spark = session(master);
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> data = spark.read().parquet(dir.resolve("table.parquet").toString());
    for (String mode : List.of("average", "local")) {
      DeferralEstimator est =
          new DeferralEstimator()
              .setTask(task)
              .setMethod("ce")
              .setOptimizer("adam")
              .setAdamMode(mode)
              .setEpochs(epochs)
              .setBatchSize(4096)
              .setLearningRate(1e-2)
              .setL2(1e-4)
              .setSeed(1L);
      est.fit(data);
      DistributedTrainer.FitLog log = est.lastFitLog();
      StringBuilder b = new StringBuilder();
      for (int e = 0; e < log.epochLoss().size(); e++) {
        b.append(
            String.format(
                Locale.ROOT,
                " | epoch %d: %.1f s, objective %.5f",
                e + 1,
                log.epochSeconds().get(e),
                log.epochLoss().get(e)));
      }
      System.out.printf(
          Locale.ROOT,
          "adam %s on %s: %d rows, %d partitions, %d jobs%s%n",
          mode,
          master,
          log.rows(),
          log.partitions(),
          log.jobs(),
          b);
    }
    spark.stop();
  }
}
