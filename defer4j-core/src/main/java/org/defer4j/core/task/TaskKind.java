package org.defer4j.core.task;

import java.util.Locale;

/** The kind of task a deferral table describes (the {@code task:} key of a task spec). */
public enum TaskKind {
  /** Class labels {@code y}; agent error is the 0-1 loss. */
  CLASSIFICATION,
  /** Numeric targets {@code t}; agent error is a regression loss. */
  REGRESSION,
  /** Both {@code y} and {@code t}; error λ_cls·[class wrong] + λ_reg·ℓ_reg. */
  MULTITASK,
  /** Precomputed {@code cost.<agent>} columns only. */
  COSTS;

  /** The spec spelling of this kind, e.g. {@code classification}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the spec spelling.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static TaskKind parse(String s) {
    for (TaskKind k : values()) {
      if (k.specName().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "task '" + s + "' is not one of [classification, regression, multitask, costs]");
  }

  /** Whether rows carry a class label {@code y}. */
  public boolean hasLabels() {
    return this == CLASSIFICATION || this == MULTITASK;
  }

  /** Whether rows carry a numeric target {@code t}. */
  public boolean hasTargets() {
    return this == REGRESSION || this == MULTITASK;
  }
}
