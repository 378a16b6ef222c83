package org.defer4j.core.online;

/** What a router learns after each round. */
public enum FeedbackMode {
  /** Only the chosen agent's outcome is revealed (partial feedback). */
  BANDIT,
  /** Every available agent's outcome is revealed (full information). */
  FULL;

  /** The mode named {@code bandit} or {@code full} (case-insensitive). */
  public static FeedbackMode parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "bandit", "partial" -> BANDIT;
      case "full" -> FULL;
      default ->
          throw new IllegalArgumentException(
              "unknown feedback mode '" + name + "'; expected bandit or full");
    };
  }

  /** The CLI name: {@code bandit} or {@code full}. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
