package org.defer4j.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.GroupRule;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * A policy's choices on a regular grid over a rectangle of its two input features: cell (i, j) is
 * the centre {@code (xmin + (i + ½)·Δx, ymin + (j + ½)·Δy)}; choices are stored row by row from
 * {@code ymin} upwards, {@code chosen[j · size + i]}.
 *
 * @param features the two input feature names (x first)
 * @param agents the agent names, in index order
 * @param size cells per side
 * @param xmin left edge
 * @param xmax right edge
 * @param ymin bottom edge
 * @param ymax top edge
 * @param chosen the chosen agent index per cell
 */
public record RegionGrid(
    List<String> features,
    List<String> agents,
    int size,
    double xmin,
    double xmax,
    double ymin,
    double ymax,
    int[] chosen) {

  /** Largest number of cells per side. */
  public static final int MAX_SIZE = 200;

  /** Copies the choices. */
  public RegionGrid {
    features = List.copyOf(features);
    agents = List.copyOf(agents);
    chosen = chosen.clone();
  }

  @Override
  public int[] chosen() {
    return chosen.clone();
  }

  /** The chosen agent of cell (i, j). */
  public int chosen(int i, int j) {
    return chosen[j * size + i];
  }

  /**
   * Why a policy cannot be drawn on a plane, or null when it can: it must read exactly two named
   * features and nothing else (no frozen-model probabilities or confidence, no text, no group).
   */
  public static String notPlottable(LearnedPolicy policy) {
    List<String> columns = policy.features().columns();
    if (columns.size() != 2) {
      return String.format(
          Locale.ROOT,
          "policy %s reads %d input feature%s (%s); the explorer draws policies on exactly 2",
          policy.name(),
          columns.size(),
          columns.size() == 1 ? "" : "s",
          columns.size() <= 6 ? String.join(", ", columns) : columns.size() + " names");
    }
    if (!policy.features().steps().isEmpty()) {
      List<String> derived = new ArrayList<>();
      policy.features().steps().forEach(s -> derived.addAll(s.names()));
      return "policy "
          + policy.name()
          + " also reads derived inputs ("
          + (derived.size() <= 4 ? String.join(", ", derived) : derived.size() + " of them")
          + "), so its regions are not a function of the two features alone";
    }
    if (policy.head().readsModelConfidence()) {
      return "policy "
          + policy.name()
          + " reads the frozen model's confidence per case, which a point of the plane does not"
          + " carry";
    }
    if (policy.rule() instanceof GroupRule) {
      return "policy "
          + policy.name()
          + " decides per group, which a point of the plane does not"
          + " carry";
    }
    return null;
  }

  /**
   * Evaluates a plottable policy on a grid, every agent available.
   *
   * @throws IllegalArgumentException when the policy is not plottable ({@link #notPlottable}), the
   *     size is outside 2..{@link #MAX_SIZE} or the rectangle is empty or not finite
   */
  public static RegionGrid evaluate(
      LearnedPolicy policy, int size, double xmin, double xmax, double ymin, double ymax) {
    String why = notPlottable(policy);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    if (size < 2 || size > MAX_SIZE) {
      throw new IllegalArgumentException("grid size must be in 2.." + MAX_SIZE + ", got " + size);
    }
    if (!(Double.isFinite(xmin) && Double.isFinite(xmax) && xmin < xmax)
        || !(Double.isFinite(ymin) && Double.isFinite(ymax) && ymin < ymax)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "the grid needs finite bounds with xmin < xmax and ymin < ymax, got x [%s, %s], y"
                  + " [%s, %s]",
              xmin,
              xmax,
              ymin,
              ymax));
    }
    int n = size * size;
    double dx = (xmax - xmin) / size;
    double dy = (ymax - ymin) / size;
    double[] block = new double[2 * n];
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < size; i++) {
        int c = j * size + i;
        block[2 * c] = xmin + (i + 0.5) * dx;
        block[2 * c + 1] = ymin + (j + 0.5) * dy;
      }
    }
    List<String> features = policy.features().columns();
    Decisions d = policy.decide(DeferralTable.builder("grid", n).features(features, block).build());
    int[] chosen = new int[n];
    for (int c = 0; c < n; c++) {
      chosen[c] = d.agent(c);
    }
    return new RegionGrid(
        features, List.of(policy.agents().names()), size, xmin, xmax, ymin, ymax, chosen);
  }
}
