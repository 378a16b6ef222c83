package org.defer4j.core.train.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * A finished search: every trial in index order, the winner (least validation system cost; the
 * lower index on a tie) and its policy, whose provenance records the search.
 *
 * @param trials the trials, in index order
 * @param best the winner's index
 * @param policy the winner's policy
 * @param seed the search's seed
 */
public record TuneResult(List<Trial> trials, int best, LearnedPolicy policy, long seed) {
  /** Copies the trials. */
  public TuneResult {
    trials = List.copyOf(trials);
  }

  /** The winning trial. */
  public Trial winner() {
    return trials.get(best);
  }

  /** Columns of {@link #csv()}. */
  public static final String CSV_HEADER =
      "trial,method,learning_rate,l2,epochs,patience,hidden_width,epochs_run,best_epoch,"
          + "validation_cost,validation_accuracy,seconds,error";

  /** The trials as CSV (header, one line per trial; an error's commas become semicolons). */
  public String csv() {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (Trial t : trials) {
      TrialSetting s = t.setting();
      b.append(
              String.format(
                  Locale.ROOT,
                  "%d,%s,%s,%s,%d,%d,%d,%d,%d,%s,%s,%.3f,%s",
                  t.index(),
                  s.method(),
                  TrialSetting.num(s.learningRate()),
                  TrialSetting.num(s.l2()),
                  s.epochs(),
                  s.patience(),
                  s.hiddenWidth(),
                  t.epochs(),
                  t.bestEpoch(),
                  Double.isNaN(t.validationCost())
                      ? ""
                      : String.format(Locale.ROOT, "%.6f", t.validationCost()),
                  Double.isNaN(t.validationAccuracy())
                      ? ""
                      : String.format(Locale.ROOT, "%.6f", t.validationAccuracy()),
                  t.seconds(),
                  t.error() == null ? "" : t.error().replace(',', ';').replace('\n', ' ')))
          .append('\n');
    }
    return b.toString();
  }

  /** A readable table: one line per trial, sorted by validation cost, the winner marked. */
  public List<String> table() {
    List<Trial> sorted = new ArrayList<>(trials);
    sorted.sort(
        (x, y) -> {
          int c =
              Double.compare(
                  x.succeeded() ? x.validationCost() : Double.POSITIVE_INFINITY,
                  y.succeeded() ? y.validationCost() : Double.POSITIVE_INFINITY);
          return c != 0 ? c : Integer.compare(x.index(), y.index());
        });
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "  %5s  %-16s %9s %9s %6s %5s %5s %6s  %9s %8s",
            "trial",
            "method",
            "lr",
            "l2",
            "epochs",
            "pat",
            "width",
            "kept",
            "val cost",
            "val acc"));
    for (Trial t : sorted) {
      TrialSetting s = t.setting();
      out.add(
          String.format(
              Locale.ROOT,
              "%s %5d  %-16s %9s %9s %6d %5d %5s %6s  %9s %8s%s",
              t.index() == best ? "*" : " ",
              t.index(),
              s.method(),
              TrialSetting.num(s.learningRate()),
              TrialSetting.num(s.l2()),
              s.epochs(),
              s.patience(),
              s.hiddenWidth() == 0 ? "-" : Integer.toString(s.hiddenWidth()),
              t.succeeded() ? Integer.toString(t.bestEpoch()) : "-",
              t.succeeded() ? String.format(Locale.ROOT, "%.4f", t.validationCost()) : "failed",
              Double.isNaN(t.validationAccuracy())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f %%", 100 * t.validationAccuracy()),
              t.error() == null ? "" : "  (" + t.error() + ")"));
    }
    return out;
  }
}
