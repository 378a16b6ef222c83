package org.defer4j.cli;

import java.util.Collection;
import org.defer4j.core.metric.GroupReport;

/** The spread of per-group figures: largest minus smallest over the groups with cases. */
final class GroupGaps {
  private GroupGaps() {}

  /** {accuracy gap, deferral-rate gap}; NaN where fewer than two groups have a finite value. */
  static double[] of(Collection<GroupReport> groups) {
    return new double[] {
      spread(groups.stream().mapToDouble(GroupReport::systemAccuracy).toArray()),
      spread(groups.stream().mapToDouble(g -> 1 - g.coverage()).toArray())
    };
  }

  private static double spread(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int k = 0;
    for (double x : v) {
      if (Double.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        k++;
      }
    }
    return k < 2 ? Double.NaN : hi - lo;
  }
}
