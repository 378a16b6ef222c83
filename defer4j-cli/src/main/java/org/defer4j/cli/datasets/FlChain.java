package org.defer4j.cli.datasets;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Derives a deferral table with a protected attribute from the flchain study of the R {@code
 * survival} package ({@code survival/survival_flchain.csv}, 7,874 residents of Olmsted County,
 * LGPL): {@code y} = death during follow-up (alive / dead), {@code group} = sex, the serum free
 * light-chain measures, age, sample year and MGUS as {@code x.*} features (creatinine, missing on
 * 1,350 rows, is imputed with the median of the recorded values and flagged by {@code
 * x.creatinine_missing}; sex is also {@code x.female}), and one synthetic expert {@code clinician}
 * (DATASETS.md: a seeded simulator) who is right with probability 0.95 on women and 0.75 on men, so
 * that an unconstrained policy defers women's cases more often. The follow-up time and the cause of
 * death are left out: they reveal the outcome. Rows are split 60 / 20 / 20 (seeded) into {@code
 * flchain-train.csv}, {@code -val}, {@code -test} next to {@code flchain.yaml}; about 1,575 rows
 * per held-out split, enough for a gap between two groups to be estimated to about ±2 points.
 *
 * <p>Part of {@code defer4j datasets} (seed {@value #SEED}).
 */
public final class FlChain {
  private FlChain() {}

  private static final List<String> NUMERIC =
      List.of("age", "sample.yr", "kappa", "lambda", "flc.grp", "creatinine", "mgus");

  /** Seed of the synthetic expert's draws and the split. */
  public static final long SEED = 0;

  /**
   * Writes the tables and the task spec.
   *
   * @param survival the raw {@code survival/} folder
   * @param out the destination folder
   * @param log where the progress line goes
   */
  static void write(Path survival, Path out, PrintStream log) throws IOException {
    List<String> lines =
        Files.readAllLines(survival.resolve("survival_flchain.csv"), StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(Attrition.unquote(lines.get(0).split(",")));
    int yCol = header.indexOf("death");
    int sexCol = header.indexOf("sex");
    int creatCol = header.indexOf("creatinine");
    int[] num = NUMERIC.stream().mapToInt(header::indexOf).toArray();
    List<String[]> raw = new ArrayList<>();
    List<Double> creatinine = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = Attrition.unquote(l.split(","));
      raw.add(f);
      if (!f[creatCol].equals("NA")) {
        creatinine.add(Double.parseDouble(f[creatCol]));
      }
    }
    double median = median(creatinine);
    SplittableRandom rng = new SplittableRandom(SEED);
    List<String> rows = new ArrayList<>();
    for (String[] f : raw) {
      boolean dead = f[yCol].equals("1");
      boolean female = f[sexCol].equals("F");
      boolean right = rng.nextDouble() < (female ? 0.95 : 0.75);
      StringBuilder r = new StringBuilder();
      r.append(dead ? "dead" : "alive").append(',').append(f[sexCol]);
      for (int c : num) {
        r.append(',').append(c == creatCol && f[c].equals("NA") ? format(median) : f[c]);
      }
      r.append(',').append(f[creatCol].equals("NA") ? 1 : 0).append(',').append(female ? 1 : 0);
      r.append(',').append(right == dead ? "dead" : "alive");
      rows.add(r.toString());
    }
    rows = Attrition.shuffle(rows, rng);
    Files.createDirectories(out);
    StringBuilder h = new StringBuilder("y,group");
    for (String c : NUMERIC) {
      h.append(",x.").append(c.replace('.', '_'));
    }
    h.append(",x.creatinine_missing,x.female,m.clinician.y");
    int n = rows.size();
    int nTrain = (int) Math.round(0.6 * n);
    int nVal = (int) Math.round(0.2 * n);
    Attrition.write(out.resolve("flchain-train.csv"), h.toString(), rows.subList(0, nTrain));
    Attrition.write(
        out.resolve("flchain-val.csv"), h.toString(), rows.subList(nTrain, nTrain + nVal));
    Attrition.write(out.resolve("flchain-test.csv"), h.toString(), rows.subList(nTrain + nVal, n));
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("flchain.yaml")))) {
      w.println(
          "# flchain (R survival package), y = death, group = sex, synthetic expert clinician"
              + " (0.95 on women, 0.75 on men)");
      w.println("task: classification");
      w.println("classes: [alive, dead]");
      w.println("experts:");
      w.println("  - name: clinician");
    }
    log.printf(
        Locale.ROOT,
        "wrote %s/flchain-{train,val,test}.csv (%d people: %d / %d / %d) and flchain.yaml%n",
        out,
        n,
        nTrain,
        nVal,
        n - nTrain - nVal);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
