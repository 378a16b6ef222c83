package org.defer4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.defer4j.cli.report.Charts;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.metric.Calibration;
import org.defer4j.io.ColumnQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Expected and maximum calibration error of a probability column against a 0/1 outcome. */
@Command(
    name = "calibration",
    mixinStandardHelpOptions = true,
    description = {
      "Calibration of probability estimates (e.g. expert-correctness estimates) against 0/1"
          + " outcomes: ECE, MCE and a reliability diagram.",
      "Bins are equal-width; bin b covers (lo, hi], probability 0 falls in the first bin.",
      "--prob and --outcome take a column name or a SQL expression over the columns."
    })
final class CalibrationCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Table (CSV or Parquet).")
  Path data;

  @Option(
      names = "--prob",
      required = true,
      description = "Probability column or expression, values in [0, 1].")
  String prob;

  @Option(names = "--outcome", required = true, description = "0/1 outcome column or expression.")
  String outcome;

  @Option(
      names = "--bins",
      defaultValue = "20",
      description = "Number of equal-width bins, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--json", description = "Write the results as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report with the reliability diagram.")
  Path report;

  @Override
  public Integer call() throws Exception {
    OptionBounds.check(spec, "--bins", bins, 1, OptionBounds.MAX_BINS);
    Calibration.Reliability rel;
    try {
      rel = reliability(data, prob, outcome, bins);
    } catch (ColumnQuery.ExpressionException e) {
      String option = e.index() == 0 ? "--prob" : "--outcome";
      throw new IllegalArgumentException(
          "calibration: " + option + " '" + e.expression() + "': " + e.reason(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "n=%d  bins=%d  ECE=%.4f (%.2f%%)  MCE=%.4f%n",
        rel.n(),
        bins,
        rel.ece(),
        100 * rel.ece(),
        rel.mce());
    if (json != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", rel.n());
      m.put("bins", bins);
      m.put("ece", rel.ece());
      m.put("mce", rel.mce());
      List<Object> bl = new ArrayList<>();
      for (Calibration.Bin b : rel.bins()) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("lo", b.lo());
        bm.put("hi", b.hi());
        bm.put("count", b.count());
        bm.put("mean_confidence", Format.num(b.meanConfidence()));
        bm.put("accuracy", Format.num(b.accuracy()));
        bl.add(bm);
      }
      m.put("reliability", bl);
      Json.write(json, m);
      out.println("wrote " + json);
    }
    if (report != null) {
      writeReport(rel);
      out.println("wrote " + report);
    }
    out.flush();
    return 0;
  }

  /**
   * Reads a probability and a 0/1 outcome (columns or SQL expressions) from a table and computes
   * their reliability diagram, ECE and MCE.
   *
   * @throws IllegalArgumentException naming file, row and expression for a probability outside [0,
   *     1] or an outcome other than 0 or 1
   * @throws ColumnQuery.ExpressionException for an expression that cannot be evaluated (index 0:
   *     {@code prob}, 1: {@code outcome})
   */
  static Calibration.Reliability reliability(Path data, String prob, String outcome, int bins)
      throws java.io.IOException {
    double[][] cols = ColumnQuery.read(data, List.of(prob, outcome));
    double[] p = cols[0];
    int[] o = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: row %d, %s: %s is not a probability in [0, 1]",
                data,
                i + 1,
                prob,
                p[i]));
      }
      double v = cols[1][i];
      if (v != 0 && v != 1) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: row %d, %s: outcome must be 0 or 1, got %s",
                data,
                i + 1,
                outcome,
                v));
      }
      o[i] = (int) v;
    }
    return Calibration.reliability(p, o, bins);
  }

  private void writeReport(Calibration.Reliability rel) throws java.io.IOException {
    HtmlReport html = new HtmlReport("Calibration of " + prob);
    html.paragraph(
        String.format(
            Locale.ROOT,
            "%s: %d rows, %d equal-width bins (lo, hi]. ECE = %.4f, MCE = %.4f.",
            data,
            rel.n(),
            bins,
            rel.ece(),
            rel.mce()));
    List<List<String>> rows = new ArrayList<>();
    for (Calibration.Bin b : rel.bins()) {
      rows.add(
          List.of(
              String.format(Locale.ROOT, "(%.2f, %.2f]", b.lo(), b.hi()),
              Integer.toString(b.count()),
              Format.fmt(b.meanConfidence()),
              Format.fmt(b.accuracy())));
    }
    html.image(
        Charts.reliability("Reliability diagram", "mean estimated probability", "bins", rel),
        "Reliability diagram: observed frequency against mean estimate per bin");
    html.table(List.of("bin", "count", "mean estimate", "observed frequency"), rows);
    html.write(report);
  }
}
