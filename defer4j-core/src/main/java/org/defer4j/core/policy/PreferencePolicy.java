package org.defer4j.core.policy;

import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;

/**
 * A policy defined by a preferred agent per row; the fallback rule of {@link Decisions} turns
 * preferences into decisions, so every subclass counts fallbacks the same way.
 */
abstract class PreferencePolicy implements DeferralPolicy {

  /** Each row's preferred agent, before availability is taken into account. */
  abstract int[] preferred(DeferralTable table, CostMatrix costs);

  @Override
  public final int[] decide(DeferralTable table, CostMatrix costs) {
    return decideTracked(table, costs).agents();
  }

  @Override
  public final Decisions decideTracked(DeferralTable table, CostMatrix costs) {
    checkRows(table, costs);
    return Decisions.resolve(preferred(table, costs), costs);
  }

  @Override
  public String toString() {
    return name();
  }

  static void checkRows(DeferralTable table, CostMatrix costs) {
    if (table != null) {
      Checks.checkDimension("rows of table " + table.source(), table.rows(), costs.rows());
    }
  }

  /** The index of a named expert in the cost matrix's agents. */
  static int expertIndex(CostMatrix costs, String expert) {
    int j = costs.agents().indexOf(expert);
    if (j == 0) {
      throw new IllegalArgumentException(
          "'" + expert + "' is the model, not an expert; experts are " + expertNames(costs));
    }
    return j;
  }

  static String expertNames(CostMatrix costs) {
    String[] names = costs.agents().names();
    return java.util.Arrays.asList(names).subList(1, names.length).toString();
  }
}
