package org.defer4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.DeferralTableWriter;
import org.defer4j.io.TaskSpecIo;

/**
 * How fast {@link DeferralTableReader} loads a large deferral table, and with how much memory.
 *
 * <p>Generates (seeded) a table of {@code -rows} rows (default 1,000,000) with {@code -features}
 * Gaussian features (default 32), a label over 3 classes and 3 experts' {@code m.<e>.y} columns
 * (10% of their cells empty), writes it as CSV and as Parquet with {@link DeferralTableWriter},
 * then loads each file
 *
 * <ul>
 *   <li>cold: once in each of {@code -cold} fresh JVMs (default 3), which includes loading DuckDB's
 *       native library and JIT warm-up, and
 *   <li>warm: {@code -warm} times in one JVM (default 5), the first load discarded as warm-up.
 * </ul>
 *
 * For every load it records the wall time, the CPU time of the whole process (all threads, DuckDB's
 * native ones included; less disturbed than wall time on a shared machine), the peak heap (the sum
 * of the heap memory pools' peak usage, reset before the load; an upper bound, as pools peak at
 * different moments) and the peak resident set size ({@code VmHWM} of {@code /proc/self/status},
 * reset through {@code /proc/self/clear_refs} before the load; it includes DuckDB's native memory).
 * A checksum of every loaded cell must agree between the two formats and with the generated table.
 * Right after each load, in the same JVM, it times DuckDB alone reading the file into an in-memory
 * table (the floor of any DuckDB-based reader), so that the ratio of the two comes from
 * back-to-back runs.
 *
 * <p>Run: {@code mvn -B -o -q -pl defer4j-bench -am package -DskipTests -Pbench-load} (see {@code
 * docs/benchmarks.md}); options: {@code -dir -rows -features -cold -warm -seed -xmx -regenerate}.
 */
public final class TableLoadBenchmark {
  private static final String[] CLASSES = {"c0", "c1", "c2"};
  private static final String[] EXPERTS = {"e1", "e2", "e3"};
  private static final double MIB = 1024.0 * 1024.0;

  private TableLoadBenchmark() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.load != null) {
      loadInThisJvm(o);
      return;
    }
    Files.createDirectories(o.dir);
    String stem = "table-" + o.rows + "x" + o.features + "-seed" + o.seed;
    Path spec = o.dir.resolve(stem + ".yaml");
    Path csv = o.dir.resolve(stem + ".csv");
    Path parquet = o.dir.resolve(stem + ".parquet");
    System.out.println(machine());
    String expected = null;
    if (o.regenerate || !Files.exists(csv) || !Files.exists(parquet) || !Files.exists(spec)) {
      expected = generate(o, spec, csv, parquet);
    }
    System.out.printf(
        Locale.ROOT,
        "%n| format | file MiB | cold load s (median of %d JVMs) | warm load s (median of %d) |"
            + " rows/s (warm) | CPU s (warm) | peak heap MiB | peak RSS MiB | DuckDB alone s |"
            + " load / DuckDB alone |%n|---|---|---|---|---|---|---|---|---|---|%n",
        o.cold,
        o.warm - 1);
    String csvSum = measure(o, spec, csv, "CSV", expected);
    String parquetSum = measure(o, spec, parquet, "Parquet", expected);
    if (!csvSum.equals(parquetSum)) {
      throw new IllegalStateException(
          "CSV and Parquet loads differ: checksums " + csvSum + " vs " + parquetSum);
    }
    System.out.println("\nchecksums agree: " + csvSum);
  }

  /** Generates the table, writes the spec and both files; returns the table's checksum. */
  private static String generate(Options o, Path spec, Path csv, Path parquet) {
    TaskSpec task =
        TaskSpec.classification(
            List.of(CLASSES), null, Arrays.stream(EXPERTS).map(e -> Agent.expert(e, 0.1)).toList());
    TaskSpecIo.write(task, spec);
    long t0 = System.nanoTime();
    DeferralTable table = syntheticTable(o.rows, o.features, new SplittableRandom(o.seed));
    long t1 = System.nanoTime();
    DeferralTableWriter.write(table, task, csv);
    long t2 = System.nanoTime();
    DeferralTableWriter.write(table, task, parquet);
    long t3 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "generated %d rows x %d features in %.1f s; wrote CSV in %.1f s, Parquet in %.1f s%n",
        o.rows,
        o.features,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9);
    return checksum(table);
  }

  /**
   * Features x ~ N(0, 1); the label is the argmax over classes of x_k + Gumbel noise on the first 3
   * features; expert j is right with probability 0.6 + 0.1 j, uniform otherwise, and leaves 10% of
   * the cases unobserved.
   */
  static DeferralTable syntheticTable(int n, int d, SplittableRandom rnd) {
    int k = CLASSES.length;
    double[] x = new double[n * d];
    int[] y = new int[n];
    int[][] experts = new int[EXPERTS.length][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = rnd.nextGaussian();
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double s = (c < d ? x[i * d + c] : 0) - Math.log(-Math.log(1 - rnd.nextDouble()));
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[i] = best;
      for (int e = 0; e < EXPERTS.length; e++) {
        boolean seen = rnd.nextDouble() >= 0.1;
        boolean right = rnd.nextDouble() < 0.6 + 0.1 * e;
        experts[e][i] = !seen ? AgentColumns.UNOBSERVED : right ? best : rnd.nextInt(k);
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    DeferralTable.Builder b = DeferralTable.builder("synthetic", n).features(names, x).labels(y);
    for (int e = 0; e < EXPERTS.length; e++) {
      b.agent(EXPERTS[e], new AgentColumns(n, experts[e], null, null, 0, null));
    }
    return b.build();
  }

  /** Cold and warm loads of one file in child JVMs; prints a table row, returns the checksum. */
  private static String measure(Options o, Path spec, Path file, String label, String expected)
      throws IOException, InterruptedException {
    List<Load> cold = new ArrayList<>();
    for (int r = 0; r < o.cold; r++) {
      cold.addAll(child(o, spec, file, 1));
    }
    List<Load> warmAll = child(o, spec, file, o.warm);
    List<Load> warm = warmAll.subList(1, warmAll.size());
    String sum = cold.get(0).checksum;
    for (Load l : concat(cold, warmAll)) {
      if (!l.checksum.equals(sum) || (expected != null && !expected.equals(sum))) {
        throw new IllegalStateException(label + " load checksum " + l.checksum + " != " + sum);
      }
    }
    double warmSeconds = median(warm.stream().mapToDouble(l -> l.seconds).toArray());
    System.out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.2f | %.2f | %,.0f | %.2f | %.0f | %.0f | %.2f | %.2f |%n",
        label,
        Files.size(file) / MIB,
        median(cold.stream().mapToDouble(l -> l.seconds).toArray()),
        warmSeconds,
        cold.get(0).rows / warmSeconds,
        median(warm.stream().mapToDouble(l -> l.cpuSeconds).toArray()),
        median(cold.stream().mapToDouble(l -> l.heapMiB).toArray()),
        median(cold.stream().mapToDouble(l -> l.rssMiB).toArray()),
        median(warm.stream().mapToDouble(l -> l.duckDbSeconds).toArray()),
        median(warm.stream().mapToDouble(l -> l.seconds / l.duckDbSeconds).toArray()));
    System.out.printf(
        Locale.ROOT,
        "|   (all loads) | | cold %s | warm %s | | | heap %s | RSS %s | DuckDB %s | |%n",
        fmt(cold, l -> l.seconds),
        fmt(warmAll, l -> l.seconds),
        fmt(cold, l -> l.heapMiB),
        fmt(cold, l -> l.rssMiB),
        fmt(warmAll, l -> l.duckDbSeconds));
    return sum;
  }

  /**
   * The floor a reader built on DuckDB can reach: DuckDB alone parsing and typing the whole file
   * into an in-memory table ({@code CREATE TABLE AS}), with no Java copy and no validation. CSV is
   * parsed with the reader's dialect and declared types (features DOUBLE, classes VARCHAR).
   */
  private static double duckDbAlone(Path file) {
    String path = file.toAbsolutePath().toString().replace("'", "''");
    String source;
    if (file.toString().endsWith(".parquet")) {
      source = "read_parquet('" + path + "')";
    } else {
      StringBuilder columns = new StringBuilder();
      try (BufferedReader r = Files.newBufferedReader(file)) {
        for (String name : r.readLine().split(",")) {
          columns
              .append(columns.length() == 0 ? "" : ", ")
              .append('\'')
              .append(name)
              .append(name.startsWith("x.") ? "': 'DOUBLE'" : "': 'VARCHAR'");
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the header of " + file, e);
      }
      source =
          "read_csv('"
              + path
              + "', delim=',', quote='\"', escape='\"', header=true, auto_detect=false, columns={"
              + columns
              + "})";
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      long t0 = System.nanoTime();
      st.execute("CREATE TABLE t AS SELECT * FROM " + source);
      return (System.nanoTime() - t0) / 1e9;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + file, e);
    }
  }

  private static List<Load> concat(List<Load> a, List<Load> b) {
    List<Load> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private interface Field {
    double of(Load l);
  }

  private static String fmt(List<Load> loads, Field f) {
    StringBuilder sb = new StringBuilder();
    for (Load l : loads) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", f.of(l)));
    }
    return sb.toString();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  /** One load as reported by a child JVM. */
  private record Load(
      double seconds,
      double cpuSeconds,
      long rows,
      double heapMiB,
      double rssMiB,
      String checksum,
      double duckDbSeconds) {}

  private static List<Load> child(Options o, Path spec, Path file, int repeat)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        List.of(
            java,
            "-Xmx" + o.xmx,
            "-cp",
            System.getProperty("java.class.path"),
            TableLoadBenchmark.class.getName(),
            "-load",
            file.toString(),
            "-spec",
            spec.toString(),
            "-repeat",
            Integer.toString(repeat));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Load> loads = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("LOAD ")) {
          String[] f = line.substring(5).split(" ");
          loads.add(
              new Load(
                  Double.parseDouble(f[0]),
                  Double.parseDouble(f[1]),
                  Long.parseLong(f[2]),
                  Double.parseDouble(f[3]),
                  Double.parseDouble(f[4]),
                  f[5],
                  Double.parseDouble(f[6])));
        }
      }
    }
    if (p.waitFor() != 0 || loads.size() != repeat) {
      throw new IllegalStateException("child JVM failed: " + String.join(" ", cmd));
    }
    return loads;
  }

  /** Child mode: loads the file {@code -repeat} times and prints one LOAD line per load. */
  private static void loadInThisJvm(Options o) {
    TaskSpec spec = TaskSpecIo.read(o.spec);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(m -> m.getType() == MemoryType.HEAP)
            .toList();
    for (int r = 0; r < o.repeat; r++) {
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      resetPeakRss();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      DeferralTable t = DeferralTableReader.read(o.load, spec);
      long t1 = System.nanoTime();
      long cpu1 = os.getProcessCpuTime();
      long peakHeap = heap.stream().mapToLong(m -> m.getPeakUsage().getUsed()).sum();
      System.out.printf(
          Locale.ROOT,
          "LOAD %.4f %.4f %d %.1f %.1f %s %.4f%n",
          (t1 - t0) / 1e9,
          (cpu1 - cpu0) / 1e9,
          t.rows(),
          peakHeap / MIB,
          peakRssKib() / 1024.0,
          checksum(t),
          duckDbAlone(o.load));
    }
  }

  /** Sets VmHWM back to the current RSS (Linux ≥ 4.0), so each load reports its own peak. */
  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException e) {
      // Without it VmHWM is the peak since the JVM started, which still bounds each load.
    }
  }

  private static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** A checksum of every cell, identical for identical tables whatever the file format. */
  static String checksum(DeferralTable t) {
    long h = 1;
    for (double v : t.featureBlock()) {
      h = 31 * h + Double.doubleToLongBits(v);
    }
    for (int i = 0; i < t.rows(); i++) {
      h = 31 * h + t.label(i);
    }
    for (String e : EXPERTS) {
      AgentColumns a = t.agent(e);
      for (int i = 0; i < t.rows(); i++) {
        h = 31 * h + a.predictedClass(i);
      }
    }
    return Long.toHexString(h);
  }

  /** The machine the figures were taken on. */
  private static String machine() {
    String cpu = "?";
    String mem = "?";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .findFirst()
              .orElse("?");
      mem =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .map(
                  l ->
                      String.format(
                          Locale.ROOT,
                          "%.1f GiB",
                          Long.parseLong(l.replaceAll("[^0-9]", "")) / MIB))
              .findFirst()
              .orElse("?");
    } catch (IOException e) {
      // Leaves "?" where /proc cannot be read.
    }
    return String.format(
        Locale.ROOT,
        "machine: %s, %d cores visible to the JVM, %s RAM, %s %s (%s)",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        mem,
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"));
  }

  /** Command-line options. */
  private static final class Options {
    Path dir = Path.of("target", "table-load");
    int rows = 1_000_000;
    int features = 32;
    int cold = 3;
    int warm = 5;
    long seed = 20_240_611L;
    String xmx = "4g";
    boolean regenerate;
    Path load;
    Path spec;
    int repeat = 1;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("-regenerate")) {
          o.regenerate = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "-dir" -> o.dir = Path.of(v);
          case "-rows" -> o.rows = Integer.parseInt(v);
          case "-features" -> o.features = Integer.parseInt(v);
          case "-cold" -> o.cold = Integer.parseInt(v);
          case "-warm" -> o.warm = Integer.parseInt(v);
          case "-seed" -> o.seed = Long.parseLong(v);
          case "-xmx" -> o.xmx = v;
          case "-load" -> o.load = Path.of(v);
          case "-spec" -> o.spec = Path.of(v);
          case "-repeat" -> o.repeat = Integer.parseInt(v);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + a
                      + "; expected -dir -rows -features -cold -warm -seed -xmx -regenerate");
        }
      }
      if (o.rows < 1 || o.features < 1 || o.cold < 1 || o.warm < 2) {
        throw new IllegalArgumentException("need -rows, -features, -cold >= 1 and -warm >= 2");
      }
      return o;
    }
  }
}
