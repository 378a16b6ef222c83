package org.defer4j.core.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * The catalogue of baseline policies that users compare a learned deferral policy against, and the
 * parser of their CLI spelling. Every policy here follows the fallback rule of {@link Decisions}: a
 * preferred agent that is unavailable on a row is replaced by the first available agent in index
 * order, and the row is counted as a fallback.
 */
public final class Policies {
  /** The seed {@link #parse(String, TaskSpec)} gives random policies. */
  public static final long DEFAULT_SEED = 0L;

  private static final String FORMS =
      "model, expert:NAME, random:SHARE[:NAME], threshold:TAU[:NAME]";

  private Policies() {}

  /** Every case to the model (agent 0). */
  public static DeferralPolicy model() {
    return new Fixed("model", null);
  }

  /** Every case to the named expert. */
  public static DeferralPolicy expert(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("expert policy needs an expert name");
    }
    return new Fixed("expert:" + name, name);
  }

  /**
   * Random deferral: {@code round(share · n)} rows, drawn uniformly without replacement with a
   * {@link SplittableRandom} seeded by {@code seed}, go to the named expert, or when {@code
   * expertOrNull} is null to an expert drawn uniformly among the experts available on the row; the
   * other rows go to the model. The same seed gives the same decisions on every call.
   *
   * @param share the share of rows to defer, in [0, 1]
   * @param expertOrNull the expert to defer to, or null for a random available expert per row
   * @param seed the seed of the draws
   */
  public static DeferralPolicy random(double share, String expertOrNull, long seed) {
    Checks.checkProbability("random deferral share", share);
    return new RandomDeferral(share, expertOrNull, seed);
  }

  /**
   * Chow's confidence threshold: defer when the frozen model's largest class probability is below
   * τ, to the named expert or by default to the first expert. Tune τ on a validation table with
   * {@link ConfidenceThreshold#tune}.
   */
  public static ConfidenceThreshold confidenceThreshold(double tau, String expertOrNull) {
    return new ConfidenceThreshold(tau, expertOrNull);
  }

  /** {@link #parse(String, TaskSpec, long)} with {@link #DEFAULT_SEED}. */
  public static DeferralPolicy parse(String spec, TaskSpec task) {
    return parse(spec, task, DEFAULT_SEED);
  }

  /**
   * Parses a CLI policy string: {@code model}, {@code expert:NAME}, {@code random:SHARE} or {@code
   * random:SHARE:NAME}, {@code threshold:TAU} or {@code threshold:TAU:NAME}. {@code oracle} is
   * refused here: it is an evaluation reference ({@link org.defer4j.core.metric.Oracle}).
   *
   * @param spec the string
   * @param task the task, whose experts the names must belong to
   * @param seed the seed of a random policy
   * @throws IllegalArgumentException naming the string, what is wrong and the accepted forms
   */
  public static DeferralPolicy parse(String spec, TaskSpec task, long seed) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty policy; expected one of " + FORMS);
    }
    String[] parts = spec.trim().split(":", -1);
    String kind = parts[0];
    switch (kind) {
      case "model":
        arity(spec, parts, 1, 1);
        return model();
      case "oracle":
        throw bad(
            spec,
            "the oracle reads the outcomes, so it is an evaluation reference"
                + " (org.defer4j.core.metric.Oracle), not a policy");
      case "expert":
        arity(spec, parts, 2, 2);
        return expert(knownExpert(spec, parts[1], task));
      case "random":
        {
          arity(spec, parts, 2, 3);
          double share = number(spec, "SHARE", parts[1]);
          if (!(share >= 0 && share <= 1)) {
            throw bad(spec, "SHARE must be in [0, 1], got " + parts[1]);
          }
          String name = parts.length == 3 ? knownExpert(spec, parts[2], task) : null;
          if (task.experts().isEmpty()) {
            throw bad(spec, "the task declares no expert to defer to");
          }
          return random(share, name, seed);
        }
      case "threshold":
        {
          arity(spec, parts, 2, 3);
          double tau = number(spec, "TAU", parts[1]);
          if (!(tau >= 0 && tau <= 1)) {
            throw bad(spec, "TAU must be in [0, 1], got " + parts[1]);
          }
          if (!task.hasFrozenModel()) {
            throw bad(
                spec,
                "a confidence threshold needs a frozen model (the task's 'model:' key) with"
                    + " probabilities m.<model>.p.*");
          }
          String name = parts.length == 3 ? knownExpert(spec, parts[2], task) : null;
          if (task.experts().isEmpty()) {
            throw bad(spec, "the task declares no expert to defer to");
          }
          return confidenceThreshold(tau, name);
        }
      default:
        throw bad(spec, "unknown policy '" + kind + "'");
    }
  }

  private static void arity(String spec, String[] parts, int min, int max) {
    if (parts.length < min || parts.length > max) {
      throw bad(spec, "wrong number of ':'-separated parts");
    }
    for (String p : parts) {
      if (p.isEmpty()) {
        throw bad(spec, "empty part");
      }
    }
  }

  private static double number(String spec, String what, String s) {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw bad(spec, what + " '" + s + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw bad(spec, what + " must be finite, got " + s);
    }
    return v;
  }

  private static String knownExpert(String spec, String name, TaskSpec task) {
    boolean known = task.experts().stream().anyMatch(e -> e.name().equals(name));
    if (!known) {
      throw bad(
          spec,
          "'"
              + name
              + "' is not an expert of the task; experts are "
              + task.experts().stream().map(e -> e.name()).toList());
    }
    return name;
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException(
        "policy '" + spec + "': " + why + "; expected one of " + FORMS);
  }

  /** Every row to one agent: the model ({@code expert == null}) or a named expert. */
  private static final class Fixed extends PreferencePolicy {
    private final String name;
    private final String expert;

    Fixed(String name, String expert) {
      this.name = name;
      this.expert = expert;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    int[] preferred(DeferralTable cases, Availability availability) {
      int[] pref = new int[availability.rows()];
      if (expert != null) {
        Arrays.fill(pref, expertIndex(availability.agents(), expert));
      }
      return pref;
    }
  }

  private static final class RandomDeferral extends PreferencePolicy {
    private final double share;
    private final String expert;
    private final long seed;

    RandomDeferral(double share, String expert, long seed) {
      this.share = share;
      this.expert = expert;
      this.seed = seed;
    }

    @Override
    public String name() {
      String s = String.format(Locale.ROOT, "random:%s", share);
      return expert == null ? s : s + ":" + expert;
    }

    @Override
    int[] preferred(DeferralTable cases, Availability availability) {
      int n = availability.rows();
      int experts = availability.agents().expertCount();
      if (experts == 0) {
        throw new IllegalArgumentException("random deferral needs an expert; the task has none");
      }
      int fixed = expert == null ? -1 : expertIndex(availability.agents(), expert);
      SplittableRandom rng = new SplittableRandom(seed);
      int k = (int) Math.round(share * n);
      // A partial Fisher–Yates shuffle picks exactly k rows, each subset equally likely.
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      boolean[] deferred = new boolean[n];
      for (int t = 0; t < k; t++) {
        int s = t + rng.nextInt(n - t);
        int tmp = idx[t];
        idx[t] = idx[s];
        idx[s] = tmp;
        deferred[idx[t]] = true;
      }
      int[] pref = new int[n];
      int[] avail = new int[experts];
      for (int i = 0; i < n; i++) {
        if (!deferred[i]) {
          continue;
        }
        if (fixed > 0) {
          pref[i] = fixed;
          continue;
        }
        int m = 0;
        for (int j = 1; j <= experts; j++) {
          if (availability.available(i, j)) {
            avail[m++] = j;
          }
        }
        // With no expert available the preference stays on expert 1 and the fallback rule applies.
        pref[i] = m == 0 ? 1 : avail[rng.nextInt(m)];
      }
      return pref;
    }
  }
}
