package org.defer4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  private static final LbfgsOptions TIGHT = LbfgsOptions.defaults().withGradientTolerance(1e-10);

  /** Rosenbrock's function in n dimensions, Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)²; minimum 1. */
  private static final DifferentiableFunction ROSENBROCK =
      (x, g) -> {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i + 1 < x.length; i++) {
          double a = x[i + 1] - x[i] * x[i];
          double b = 1 - x[i];
          f += 100 * a * a + b * b;
          g[i] += -400 * a * x[i] - 2 * b;
          g[i + 1] += 200 * a;
        }
        return f;
      };

  @Test
  void minimisesRosenbrockFromTheClassicStart() {
    double[] x0 = {-1.2, 1};
    LbfgsResult r = new Lbfgs(TIGHT).minimize(ROSENBROCK, x0);
    // The minimiser is (1, 1) (f = 0); ‖∇f‖ ≤ 1e−10 with the Hessian's smallest eigenvalue ≈ 0.4
    // there puts x within ~1e−9 of it.
    assertThat(r.converged()).isTrue();
    assertThat(r.reason()).isEqualTo(LbfgsResult.Termination.GRADIENT_TOLERANCE);
    assertThat(r.x()[0]).isCloseTo(1, within(1e-6));
    assertThat(r.x()[1]).isCloseTo(1, within(1e-6));
    assertThat(r.value()).isLessThan(1e-12);
    assertThat(r.iterations()).isLessThan(100);
    assertThat(x0).as("start not modified").containsExactly(-1.2, 1);
  }

  @Test
  void minimisesTenDimensionalRosenbrock() {
    double[] x0 = new double[10];
    for (int i = 0; i < 10; i++) {
      x0[i] = i % 2 == 0 ? -1.2 : 1;
    }
    LbfgsResult r = new Lbfgs(TIGHT).minimize(ROSENBROCK, x0);
    assertThat(r.converged()).isTrue();
    for (double xi : r.x()) {
      assertThat(xi).isCloseTo(1, within(1e-6));
    }
  }

  @Test
  void solvesAStronglyConvexQuadratic() {
    // f(x) = ½ xᵀAx − bᵀx with A = MᵀM + I (SPD); the minimiser solves Ax = b, computed here by
    // Gaussian elimination.
    SplittableRandom rng = new SplittableRandom(4);
    int n = 8;
    double[][] m = new double[n][n];
    for (double[] row : m) {
      for (int j = 0; j < n; j++) {
        row[j] = rng.nextDouble() - 0.5;
      }
    }
    double[][] a = new double[n][n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = rng.nextDouble() - 0.5;
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          a[i][j] += m[k][i] * m[k][j];
        }
      }
      a[i][i] += 1;
    }
    DifferentiableFunction f =
        (x, g) -> {
          double v = 0;
          for (int i = 0; i < n; i++) {
            double ax = 0;
            for (int j = 0; j < n; j++) {
              ax += a[i][j] * x[j];
            }
            g[i] = ax - b[i];
            v += 0.5 * x[i] * ax - b[i] * x[i];
          }
          return v;
        };
    LbfgsResult r = new Lbfgs(TIGHT).minimize(f, new double[n]);
    double[] exact = solve(a, b);
    for (int i = 0; i < n; i++) {
      assertThat(r.x()[i]).isCloseTo(exact[i], within(1e-9));
    }
  }

  @Test
  void logisticRegressionAgreesWithNewtonsMethod() {
    // Ridge-penalised logistic regression, (1/n) Σ log(1 + exp(−y_i wᵀx_i)) + (λ/2)‖w‖², strictly
    // convex: its unique minimiser is computed independently by Newton's method (quadratic
    // convergence, run to machine precision) and L-BFGS must land on it.
    SplittableRandom rng = new SplittableRandom(8);
    int n = 300;
    int d = 5;
    double lambda = 1e-2;
    double[][] x = new double[n][d];
    double[] y = new double[n];
    double[] truth = {1.5, -2, 0.5, 0, 1};
    for (int i = 0; i < n; i++) {
      x[i][0] = 1;
      double z = truth[0];
      for (int j = 1; j < d; j++) {
        x[i][j] = rng.nextDouble() * 4 - 2;
        z += truth[j] * x[i][j];
      }
      y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : -1;
    }
    DifferentiableFunction f =
        (w, g) -> {
          java.util.Arrays.fill(g, 0);
          double v = 0;
          for (int i = 0; i < n; i++) {
            double margin = y[i] * dot(w, x[i]);
            v += softplus(-margin);
            double coef = -y[i] * sigmoid(-margin);
            for (int j = 0; j < d; j++) {
              g[j] += coef * x[i][j] / n;
            }
          }
          v /= n;
          for (int j = 0; j < d; j++) {
            v += 0.5 * lambda * w[j] * w[j];
            g[j] += lambda * w[j];
          }
          return v;
        };

    double[] newton = new double[d];
    for (int iter = 0; iter < 30; iter++) {
      double[] g = new double[d];
      f.valueAndGradient(newton, g);
      double[][] h = new double[d][d];
      for (int i = 0; i < n; i++) {
        double p = sigmoid(dot(newton, x[i]));
        double weight = p * (1 - p) / n;
        for (int j = 0; j < d; j++) {
          for (int k = 0; k < d; k++) {
            h[j][k] += weight * x[i][j] * x[i][k];
          }
        }
      }
      for (int j = 0; j < d; j++) {
        h[j][j] += lambda;
      }
      double[] step = solve(h, g);
      for (int j = 0; j < d; j++) {
        newton[j] -= step[j];
      }
    }
    double[] check = new double[d];
    f.valueAndGradient(newton, check);
    for (double gj : check) {
      assertThat(Math.abs(gj)).as("Newton reached the optimum").isLessThan(1e-14);
    }

    LbfgsResult r = new Lbfgs(TIGHT).minimize(f, new double[d]);
    assertThat(r.converged()).isTrue();
    for (int j = 0; j < d; j++) {
      assertThat(r.x()[j]).isCloseTo(newton[j], within(1e-8));
    }
  }

  @Test
  void backsOffFromInfiniteValues() {
    // log cosh(x − 1), minimum at 1, with f = +∞ below x = 0.9 (a barrier). From x = 10 the
    // gradient is nearly flat (tanh ≈ 1), so the secant scaling sᵀy/yᵀy after the first
    // iteration is large and the next unit step jumps far past 1 into the infinite region: the
    // line search must retreat into the domain.
    int[] infinite = {0};
    DifferentiableFunction f =
        (x, g) -> {
          if (x[0] < 0.9) {
            infinite[0]++;
            g[0] = Double.NaN;
            return Double.POSITIVE_INFINITY;
          }
          double u = x[0] - 1;
          g[0] = Math.tanh(u);
          return Math.abs(u) + Math.log1p(Math.exp(-2 * Math.abs(u))) - Math.log(2);
        };
    LbfgsResult r =
        new Lbfgs(LbfgsOptions.defaults().withGradientTolerance(1e-12))
            .minimize(f, new double[] {10});
    assertThat(infinite[0]).as("the search met the barrier").isPositive();
    assertThat(r.converged()).isTrue();
    assertThat(r.x()[0]).isCloseTo(1, within(1e-12));
  }

  @Test
  void stopsAtTheIterationBudget() {
    LbfgsResult r =
        new Lbfgs(LbfgsOptions.defaults().withMaxIterations(3))
            .minimize(ROSENBROCK, new double[] {-1.2, 1});
    assertThat(r.reason()).isEqualTo(LbfgsResult.Termination.MAX_ITERATIONS);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(3);
    // Every accepted step satisfies sufficient decrease: f(−1.2, 1) = 24.2 must have dropped.
    assertThat(r.value()).isLessThan(24.2);
  }

  @Test
  void stopsOnTheFunctionTolerance() {
    LbfgsResult r =
        new Lbfgs(LbfgsOptions.defaults().withGradientTolerance(0).withFunctionTolerance(1e-4))
            .minimize(ROSENBROCK, new double[] {-1.2, 1});
    assertThat(r.reason()).isEqualTo(LbfgsResult.Termination.FUNCTION_TOLERANCE);
    assertThat(r.converged()).isTrue();
  }

  @Test
  void startingAtTheMinimumTakesNoIteration() {
    LbfgsResult r = new Lbfgs().minimize(ROSENBROCK, new double[] {1, 1});
    assertThat(r.iterations()).isZero();
    assertThat(r.evaluations()).isEqualTo(1);
    assertThat(r.reason()).isEqualTo(LbfgsResult.Termination.GRADIENT_TOLERANCE);
  }

  @Test
  void aGradientThatDoesNotMatchTheFunctionEndsTheSearch() {
    // f = x², but the "gradient" has the wrong sign: no step along −g decreases f.
    DifferentiableFunction wrong =
        (x, g) -> {
          g[0] = -2 * x[0];
          return x[0] * x[0];
        };
    LbfgsResult r = new Lbfgs().minimize(wrong, new double[] {3});
    assertThat(r.reason()).isEqualTo(LbfgsResult.Termination.LINE_SEARCH_FAILED);
    assertThat(r.converged()).isFalse();
    assertThat(r.x()).containsExactly(3);
  }

  @Test
  void nanValueOrGradientThrows() {
    DifferentiableFunction nanValue =
        (x, g) -> {
          g[0] = 2 * x[0];
          return x[0] < 0.5 ? Double.NaN : x[0] * x[0];
        };
    assertThatThrownBy(() -> new Lbfgs().minimize(nanValue, new double[] {3}))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("the objective returned NaN");
    DifferentiableFunction nanGradient =
        (x, g) -> {
          g[0] = x[0] < 0.5 ? Double.NaN : 2 * x[0];
          return x[0] * x[0];
        };
    assertThatThrownBy(() -> new Lbfgs().minimize(nanGradient, new double[] {3}))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("gradient[0] is NaN");
    assertThatThrownBy(() -> new Lbfgs().minimize(nanValue, new double[] {Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starting point[0]");
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new LbfgsOptions(0, 1e-6, 0, 10, 25, 1e-4, 0.9))
        .hasMessageContaining("max iterations must be > 0, got 0");
    assertThatThrownBy(() -> new LbfgsOptions(10, 1e-6, 0, 10, 25, 0.9, 0.1))
        .hasMessageContaining("0 < c1 < c2 < 1");
    assertThatThrownBy(() -> LbfgsOptions.defaults().withHistorySize(0))
        .hasMessageContaining("history size");
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double softplus(double u) {
    return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
  }

  private static double sigmoid(double u) {
    if (u >= 0) {
      return 1 / (1 + Math.exp(-u));
    }
    double e = Math.exp(u);
    return e / (1 + e);
  }

  /** Solves A x = b by Gaussian elimination with partial pivoting (A, b not modified). */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    double[] r = b.clone();
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
          pivot = i;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      double tr = r[col];
      r[col] = r[pivot];
      r[pivot] = tr;
      for (int i = col + 1; i < n; i++) {
        double factor = m[i][col] / m[col][col];
        for (int j = col; j < n; j++) {
          m[i][j] -= factor * m[col][j];
        }
        r[i] -= factor * r[col];
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = r[i];
      for (int j = i + 1; j < n; j++) {
        s -= m[i][j] * x[j];
      }
      x[i] = s / m[i][i];
    }
    return x;
  }
}
