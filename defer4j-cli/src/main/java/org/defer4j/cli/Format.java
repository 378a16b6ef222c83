package org.defer4j.cli;

import java.util.Locale;

/** How the command line prints numbers: percentages, costs, and JSON's null for NaN. */
final class Format {
  private Format() {}

  /** A share as a percentage with two decimals, or n/a. */
  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /** A cost with four decimals, or n/a. */
  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A finite number, or null (JSON has no NaN). */
  static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
