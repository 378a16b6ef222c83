package org.defer4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One surrogate evaluation (loss and gradient with respect to the scores) for K classes and J
 * experts. Rows cycle through 64 seeded random score vectors (normal, sd 3) and targets (a random
 * label and random 0/1 expert correctness; for the two-stage {@code 2s-comp:1}, random 0/1 agent
 * costs, whose layout has J + 1 scores and ignores K), so that branches are not learned from one
 * row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SurrogateBenchmark {
  private static final int ROWS = 64;

  /** The catalogue name. */
  @Param({"ce", "ova", "realizable", "2s-comp:1"})
  public String method;

  /** K, the number of classes. */
  @Param({"3", "6", "10"})
  public int classes;

  /** J, the number of experts. */
  @Param({"1", "2", "3"})
  public int experts;

  private Surrogate surrogate;
  private double[][] scores;
  private Target[] targets;
  private double[] grad;
  private int next;

  /** Draws the rows. */
  @Setup
  public void setUp() {
    surrogate = Surrogates.byName(method);
    int s = surrogate.scoreCount(classes, experts);
    SplittableRandom rng = new SplittableRandom(42);
    scores = new double[ROWS][s];
    targets = new Target[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int q = 0; q < s; q++) {
        scores[i][q] = 3 * gaussian(rng);
      }
      if (surrogate.layout() == ScoreLayout.AGENTS) {
        double[] c = new double[experts + 1];
        for (int a = 0; a <= experts; a++) {
          c[a] = rng.nextInt(2);
        }
        targets[i] = Target.ofCosts(c);
      } else {
        double[] e = new double[experts];
        for (int a = 0; a < experts; a++) {
          e[a] = rng.nextInt(2);
        }
        targets[i] = Target.classification(rng.nextInt(classes), e);
      }
    }
    grad = new double[s];
  }

  private static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }

  /** Loss and gradient of one row. */
  @Benchmark
  public double evaluate() {
    int i = next;
    next = (i + 1) & (ROWS - 1);
    return surrogate.evaluate(scores[i], targets[i], grad);
  }
}
