package org.defer4j.core.robust;

import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;

/**
 * Projected gradient ascent on a scorer's inputs (Madry et al. 2018): from a uniform random start
 * in B_p(x, γ), T steps x' ← Π_B(x' + η·dir(∇_{x'} f)), with dir = sign for ℓ∞ and the normalised
 * gradient for ℓ2, keeping per row the best point over the clean input and all iterates of all
 * restarts. The objective f reads the scorer's raw outputs s(x') of one row and gives ∂f/∂s; the
 * input gradient comes from the scorer's back-propagation ({@link Scorer#inputGradientBatch}). Rows
 * are processed in chunks of {@value Scorer#SCORE_CHUNK}.
 *
 * <p>Deterministic for a given seed: restart r of chunk c draws from the (c, r)-th split of one
 * {@link SplittableRandom}.
 *
 * @param norm the ball's norm
 * @param radius γ ≥ 0 (0 returns the clean inputs)
 * @param steps T ≥ 1
 * @param stepSize η &gt; 0, or NaN for the default 2.5·γ/T (the total path covers the ball's
 *     diameter from any start)
 * @param restarts random starts ≥ 1
 * @param seed seed of the random starts
 */
public record Pgd(Norm norm, double radius, int steps, double stepSize, int restarts, long seed) {

  /** Validates. */
  public Pgd {
    if (norm == null) {
      throw new IllegalArgumentException("the attack needs a norm");
    }
    Checks.checkFinite("radius", radius);
    if (radius < 0) {
      throw new IllegalArgumentException("radius must be >= 0, got " + radius);
    }
    Checks.checkPositive("steps", steps);
    Checks.checkPositive("restarts", restarts);
    if (!Double.isNaN(stepSize) && !(stepSize > 0 && Double.isFinite(stepSize))) {
      throw new IllegalArgumentException(
          "step size must be > 0 (or NaN: 2.5·γ/T), got " + stepSize);
    }
  }

  /** PGD with 20 steps, the default step 2.5·γ/T and one random start. */
  public static Pgd of(Norm norm, double radius, long seed) {
    return new Pgd(norm, radius, 20, Double.NaN, 1, seed);
  }

  /** This attack with T steps. */
  public Pgd withSteps(int t) {
    return new Pgd(norm, radius, t, stepSize, restarts, seed);
  }

  /** This attack with R random starts. */
  public Pgd withRestarts(int r) {
    return new Pgd(norm, radius, steps, stepSize, r, seed);
  }

  /** This attack with another radius. */
  public Pgd withRadius(double g) {
    return new Pgd(norm, g, steps, stepSize, restarts, seed);
  }

  /** The step size η in use. */
  public double eta() {
    return Double.isNaN(stepSize) ? 2.5 * radius / steps : stepSize;
  }

  /** The objective of one row, maximised. */
  @FunctionalInterface
  public interface Objective {
    /**
     * f(s) for batch row {@code row} and its gradient.
     *
     * @param row the row's index among the rows attacked (0-based, in input order)
     * @param raw the row's raw scores at {@code off} (read)
     * @param grad ∂f/∂s written at {@code off} (overwritten; zeros where f is flat)
     * @return f, or −∞ where the row cannot be attacked (its gradient is ignored)
     */
    double value(int row, double[] raw, int off, double[] grad);
  }

  /**
   * Attacks {@code count} consecutive rows of a row-major input block.
   *
   * @param scorer the scorer (only read)
   * @param inputs row-major n × d clean inputs (read)
   * @param firstRow the first row attacked
   * @param count rows attacked
   * @param f the objective
   * @return count × d perturbed inputs, each within the ball of its clean row
   */
  public double[] attack(Scorer scorer, double[] inputs, int firstRow, int count, Objective f) {
    int d = scorer.inputDim();
    int a = scorer.outputDim();
    if (firstRow < 0 || (long) (firstRow + count) * d > inputs.length) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + (firstRow + count) + ") are outside the input block");
    }
    double[] best = new double[count * d];
    System.arraycopy(inputs, firstRow * d, best, 0, count * d);
    if (radius == 0 || count == 0) {
      return best;
    }
    int chunk = Math.min(count, Scorer.SCORE_CHUNK);
    Workspace ws = scorer.newWorkspace();
    double[] xp = new double[chunk * d];
    double[] raw = new double[chunk * a];
    double[] g = new double[chunk * a];
    double[] gx = new double[chunk * d];
    double[] bestValue = new double[chunk];
    double eta = eta();
    SplittableRandom root = new SplittableRandom(seed);
    for (int done = 0; done < count; done += chunk) {
      int rows = Math.min(chunk, count - done);
      int base = firstRow + done;
      SplittableRandom chunkRng = root.split();
      // The clean input is the first candidate, so an attack never does worse than no attack.
      scorer.forwardBatch(inputs, base, rows, raw, ws);
      for (int b = 0; b < rows; b++) {
        bestValue[b] = f.value(done + b, raw, b * a, g);
      }
      for (int r = 0; r < restarts; r++) {
        SplittableRandom rng = chunkRng.split();
        for (int b = 0; b < rows; b++) {
          norm.randomStart(inputs, (base + b) * d, xp, b * d, d, radius, rng);
        }
        for (int t = 0; t <= steps; t++) {
          scorer.forwardBatch(xp, 0, rows, raw, ws);
          for (int b = 0; b < rows; b++) {
            double v = f.value(done + b, raw, b * a, g);
            if (v == Double.NEGATIVE_INFINITY) {
              java.util.Arrays.fill(g, b * a, (b + 1) * a, 0.0);
            }
            if (v > bestValue[b]) {
              bestValue[b] = v;
              System.arraycopy(xp, b * d, best, (done + b) * d, d);
            }
          }
          if (t == steps) {
            break;
          }
          scorer.inputGradientBatch(g, ws, gx);
          for (int b = 0; b < rows; b++) {
            norm.step(xp, b * d, gx, b * d, d, eta);
            norm.project(inputs, (base + b) * d, xp, b * d, d, radius);
          }
        }
      }
    }
    return best;
  }
}
