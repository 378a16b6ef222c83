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
import org.defer4j.core.math.Sampling;

/**
 * Derives a deferral table with a protected attribute from IBM's attrition data ({@code
 * modeldata/attrition.csv}, 1,470 employees): {@code y} = Attrition (No / Yes), {@code group} =
 * Gender, the numeric columns and OverTime as {@code x.*} features (Gender too, as {@code
 * x.female}), and one synthetic expert {@code hr} (DATASETS.md: a seeded simulator) who is right
 * with probability 0.95 on women and 0.75 on men — so an unconstrained policy defers women's cases
 * more often, which is what the fairness post-processing has to correct. Rows are split 60 / 20 /
 * 20 (seeded) into {@code attrition-train.csv}, {@code -val}, {@code -test} next to {@code
 * attrition.yaml}.
 *
 * <p>Part of {@code defer4j datasets} (seed {@value #SEED}).
 */
public final class Attrition {
  private Attrition() {}

  private static final List<String> NUMERIC =
      List.of(
          "Age",
          "DailyRate",
          "DistanceFromHome",
          "HourlyRate",
          "JobLevel",
          "MonthlyIncome",
          "MonthlyRate",
          "NumCompaniesWorked",
          "PercentSalaryHike",
          "StockOptionLevel",
          "TotalWorkingYears",
          "TrainingTimesLastYear",
          "YearsAtCompany",
          "YearsInCurrentRole",
          "YearsSinceLastPromotion",
          "YearsWithCurrManager");

  /** Seed of the synthetic expert's draws and the split. */
  public static final long SEED = 0;

  /**
   * Writes the tables and the task spec.
   *
   * @param modeldata the raw {@code modeldata/} folder
   * @param out the destination folder
   * @param log where the progress line goes
   */
  static void write(Path modeldata, Path out, PrintStream log) throws IOException {
    long seed = SEED;
    List<String> lines =
        Files.readAllLines(modeldata.resolve("attrition.csv"), StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(unquote(lines.get(0).split(",")));
    int yCol = header.indexOf("Attrition");
    int gCol = header.indexOf("Gender");
    int otCol = header.indexOf("OverTime");
    int[] num = NUMERIC.stream().mapToInt(header::indexOf).toArray();
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = unquote(l.split(","));
      int y = f[yCol].equals("Yes") ? 1 : 0;
      boolean female = f[gCol].equals("Female");
      boolean right = rng.nextDouble() < (female ? 0.95 : 0.75);
      StringBuilder r = new StringBuilder();
      r.append(y == 1 ? "Yes" : "No").append(',').append(f[gCol]);
      for (int c : num) {
        r.append(',').append(f[c]);
      }
      r.append(',').append(f[otCol].equals("Yes") ? 1 : 0).append(',').append(female ? 1 : 0);
      r.append(',').append((right ? y == 1 : y == 0) ? "Yes" : "No");
      rows.add(r.toString());
    }
    rows = shuffle(rows, rng);
    Files.createDirectories(out);
    StringBuilder h = new StringBuilder("y,group");
    for (String c : NUMERIC) {
      h.append(",x.").append(c);
    }
    h.append(",x.OverTime,x.female,m.hr.y");
    int n = rows.size();
    int nTrain = (int) Math.round(0.6 * n);
    int nVal = (int) Math.round(0.2 * n);
    write(out.resolve("attrition-train.csv"), h.toString(), rows.subList(0, nTrain));
    write(out.resolve("attrition-val.csv"), h.toString(), rows.subList(nTrain, nTrain + nVal));
    write(out.resolve("attrition-test.csv"), h.toString(), rows.subList(nTrain + nVal, n));
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("attrition.yaml")))) {
      w.println(
          "# IBM attrition, group = Gender, synthetic expert hr (0.95 on women, 0.75 on men)");
      w.println("task: classification");
      w.println("classes: [No, Yes]");
      w.println("experts:");
      w.println("  - name: hr");
    }
    log.printf(
        Locale.ROOT,
        "wrote %s/attrition-{train,val,test}.csv (%d employees: %d / %d / %d) and attrition.yaml%n",
        out,
        n,
        nTrain,
        nVal,
        n - nTrain - nVal);
  }

  /**
   * The rows in the order of core's seeded Fisher–Yates permutation ({@link Sampling#permutation},
   * the draws of an in-place shuffle of the list), shared with {@link FlChain}.
   */
  static List<String> shuffle(List<String> rows, SplittableRandom rng) {
    int[] order = new int[rows.size()];
    Sampling.permutation(order, rng);
    List<String> shuffled = new ArrayList<>(order.length);
    for (int i : order) {
      shuffled.add(rows.get(i));
    }
    return shuffled;
  }

  /** Writes a CSV file: the header line, then the rows (shared with {@link FlChain}). */
  static void write(Path file, String header, List<String> rows) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println(header);
      rows.forEach(w::println);
    }
  }

  /** Strips the double quotes from each field, in place (shared with {@link FlChain}). */
  static String[] unquote(String[] f) {
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].replace("\"", "");
    }
    return f;
  }
}
