package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workload or budget target for post-hoc share calibration (Ponomarev 2024; METHODS-2 §D1): the
 * model keeps at least a share of the cases, each named expert receives at most a share, and the
 * expected consultation fee per case stays under a budget. Shares and fees are weighted means over
 * cases (by the table's {@code weight} column when it has one).
 *
 * <p>Spelled (see {@link #spec()} and {@link #parse}) as a comma-separated list of {@code
 * min-model-share=S}, {@code max-share:EXPERT=S} and {@code max-fee=F}, e.g. {@code
 * max-share:gpt4=0.2,max-fee=0.05}.
 *
 * @param minModelShare the least share the model keeps, in [0, 1], or NaN for none
 * @param maxShare the largest share of each named expert, each in [0, 1] (copied, in order)
 * @param maxFee the largest mean fee per case, ≥ 0, or NaN for none
 */
public record ShareTarget(double minModelShare, Map<String, Double> maxShare, double maxFee) {

  /** Validates and copies. */
  public ShareTarget {
    if (!Double.isNaN(minModelShare) && !(minModelShare >= 0 && minModelShare <= 1)) {
      throw new IllegalArgumentException(
          "the model's least share must be in [0, 1], got " + minModelShare);
    }
    maxShare = new LinkedHashMap<>(maxShare);
    for (Map.Entry<String, Double> e : maxShare.entrySet()) {
      double s = e.getValue();
      if (!(s >= 0 && s <= 1)) {
        throw new IllegalArgumentException(
            "the largest share of " + e.getKey() + " must be in [0, 1], got " + s);
      }
    }
    maxShare = java.util.Collections.unmodifiableMap(maxShare);
    if (!Double.isNaN(maxFee) && !(maxFee >= 0 && Double.isFinite(maxFee))) {
      throw new IllegalArgumentException("the fee budget must be a number >= 0, got " + maxFee);
    }
    if (Double.isNaN(minModelShare) && maxShare.isEmpty() && Double.isNaN(maxFee)) {
      throw new IllegalArgumentException(
          "a share target needs at least one of min-model-share, max-share:EXPERT, max-fee");
    }
  }

  /** The model keeps at least {@code share} of the cases (a coverage target). */
  public static ShareTarget minModelShare(double share) {
    return new ShareTarget(share, Map.of(), Double.NaN);
  }

  /** The expert receives at most {@code share} of the cases. */
  public static ShareTarget maxShare(String expert, double share) {
    return new ShareTarget(Double.NaN, Map.of(expert, share), Double.NaN);
  }

  /** The mean fee per case stays at most {@code fee}. */
  public static ShareTarget maxFee(double fee) {
    return new ShareTarget(Double.NaN, Map.of(), fee);
  }

  /** Whether the target bounds the model's share. */
  public boolean boundsModel() {
    return !Double.isNaN(minModelShare);
  }

  /** Whether the target bounds the mean fee. */
  public boolean boundsFee() {
    return !Double.isNaN(maxFee);
  }

  /**
   * Checks that the named experts are experts of {@code agents}.
   *
   * @throws IllegalArgumentException naming an unknown agent or the model
   */
  public void checkAgents(org.defer4j.core.agent.AgentSet agents) {
    for (String e : maxShare.keySet()) {
      int j = agents.contains(e) ? agents.indexOf(e) : -1;
      if (j <= 0) {
        throw new IllegalArgumentException(
            "max-share:"
                + e
                + ": "
                + (j == 0 ? "that is the model (use min-model-share)" : "not an expert")
                + "; experts are "
                + java.util.Arrays.asList(agents.names()).subList(1, agents.size()));
      }
    }
  }

  /** The target's spelling, parsed back by {@link #parse}. */
  public String spec() {
    List<String> parts = new ArrayList<>();
    if (boundsModel()) {
      parts.add("min-model-share=" + minModelShare);
    }
    maxShare.forEach((k, v) -> parts.add("max-share:" + k + "=" + v));
    if (boundsFee()) {
      parts.add("max-fee=" + maxFee);
    }
    return String.join(",", parts);
  }

  /**
   * Parses {@link #spec()}.
   *
   * @throws IllegalArgumentException for another spelling
   */
  public static ShareTarget parse(String spec) {
    double model = Double.NaN;
    double fee = Double.NaN;
    Map<String, Double> share = new LinkedHashMap<>();
    for (String raw : spec.split(",")) {
      String part = raw.trim();
      int eq = part.lastIndexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "share target '" + spec + "': '" + part + "' is not KEY=VALUE");
      }
      String key = part.substring(0, eq).trim();
      double v;
      try {
        v = Double.parseDouble(part.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "share target '" + spec + "': '" + part + "' has no number after '='", e);
      }
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("min-model-share")) {
        model = v;
      } else if (lower.equals("max-fee")) {
        fee = v;
      } else if (lower.startsWith("max-share:") && key.length() > "max-share:".length()) {
        share.put(key.substring("max-share:".length()), v);
      } else {
        throw new IllegalArgumentException(
            "share target '"
                + spec
                + "': unknown key '"
                + key
                + "'; expected min-model-share, max-share:EXPERT or max-fee");
      }
    }
    return new ShareTarget(model, share, fee);
  }

  @Override
  public String toString() {
    return spec();
  }
}
