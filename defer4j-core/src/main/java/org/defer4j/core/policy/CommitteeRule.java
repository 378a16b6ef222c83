package org.defer4j.core.policy;

import java.util.Locale;
import org.defer4j.core.model.Scorer;

/**
 * How a learned policy forms a committee: the k best-scored entities among the available ones
 * (survey eq. 18, Montreuil et al. 2025 "One-Stage Top-k Learning-to-Defer" and "Why Ask One When
 * You Can Ask k?"), with k fixed or chosen per case by a learned cardinality model k(x), and an
 * {@link Aggregator} that turns the members' answers into the committee's answer.
 *
 * <p>Entities: for a one-stage policy whose raw scores are the K class scores and the J expert
 * scores (heads {@link ScoreHead#CLASS_MAX} and {@link ScoreHead#ONE_VS_ALL}), the K + J raw scores
 * — a class entity means "the model answers this class"; for every other policy the A agent scores.
 * Members are ranked by score, ties to the lower entity index, so k = 1 is exactly the policy's
 * argmax decision. Committees rank scores, so they need the argmax rule (a threshold rule's margin
 * has no meaning for the second and later members).
 */
public final class CommitteeRule {
  /** What k(x) pays for, besides the committee's error. */
  public enum Penalty {
    /** λ · the sum of the distinct members' fees β_j (the default). */
    FEES,
    /** λ · the committee size k. */
    SIZE;

    /** {@code fees} or {@code size}. */
    public String spec() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #spec()}. */
    public static Penalty parse(String s) {
      for (Penalty p : values()) {
        if (p.spec().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "unknown committee penalty '" + s + "'; expected fees or size");
    }
  }

  /**
   * A learned cardinality model: a scorer over the policy's transformed inputs with one output per
   * committee size 1..maxK; k(x) = 1 + argmax of its outputs (see {@code
   * org.defer4j.core.train.CardinalityTrainer} for how it is fitted).
   *
   * @param scorer the fitted scorer (copied in)
   * @param lambda the weight λ ≥ 0 of the penalty it was trained with
   * @param penalty what λ multiplies
   */
  public record Cardinality(Scorer scorer, double lambda, Penalty penalty) {
    /** Validates and copies the scorer. */
    public Cardinality {
      if (scorer == null || penalty == null) {
        throw new IllegalArgumentException("a cardinality model needs a scorer and a penalty");
      }
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
      }
      scorer = scorer.copy();
    }

    /** The largest committee it can choose. */
    public int maxK() {
      return scorer.outputDim();
    }

    /** A copy of the scorer. */
    @Override
    public Scorer scorer() {
      return scorer.copy();
    }

    Scorer view() {
      return scorer;
    }
  }

  private final int k;
  private final Cardinality cardinality;
  private final Aggregator aggregator;

  private CommitteeRule(int k, Cardinality cardinality, Aggregator aggregator) {
    if (aggregator == null) {
      throw new IllegalArgumentException("a committee rule needs an aggregator");
    }
    this.k = k;
    this.cardinality = cardinality;
    this.aggregator = aggregator;
  }

  /**
   * Committees of the k best-scored available entities (fewer where fewer are available).
   *
   * @throws IllegalArgumentException when k &lt; 1
   */
  public static CommitteeRule topK(int k, Aggregator aggregator) {
    if (k < 1) {
      throw new IllegalArgumentException("a committee needs k >= 1, got " + k);
    }
    return new CommitteeRule(k, null, aggregator);
  }

  /** Committees whose size the cardinality model chooses per case. */
  public static CommitteeRule adaptive(Cardinality cardinality, Aggregator aggregator) {
    if (cardinality == null) {
      throw new IllegalArgumentException("an adaptive committee needs a cardinality model");
    }
    return new CommitteeRule(0, cardinality, aggregator);
  }

  /** Whether k is chosen per case. */
  public boolean adaptive() {
    return cardinality != null;
  }

  /** The fixed k (0 for an adaptive rule). */
  public int k() {
    return k;
  }

  /** The cardinality model, or null for a fixed k. */
  public Cardinality cardinality() {
    return cardinality;
  }

  /** The aggregator. */
  public Aggregator aggregator() {
    return aggregator;
  }

  /** This rule with another aggregator. */
  public CommitteeRule withAggregator(Aggregator a) {
    return new CommitteeRule(k, cardinality, a);
  }

  /** {@code top-k:K:AGGREGATOR} or {@code adaptive:AGGREGATOR} (the model is saved apart). */
  public String spec() {
    return (adaptive() ? "adaptive" : "top-k:" + k) + ":" + aggregator.spec();
  }

  /**
   * Parses a fixed rule's {@link #spec()}.
   *
   * @throws IllegalArgumentException for another spelling or an adaptive spec (whose model is not
   *     in the text)
   */
  public static CommitteeRule parseFixed(String spec) {
    String[] p = spec.trim().split(":");
    if (p.length == 3 && p[0].equals("top-k")) {
      try {
        return topK(Integer.parseInt(p[1]), Aggregator.parse(p[2]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("committee rule '" + spec + "': k is not a number", e);
      }
    }
    throw new IllegalArgumentException(
        "unknown committee rule '" + spec + "'; expected top-k:K:AGGREGATOR");
  }

  @Override
  public String toString() {
    return spec();
  }
}
