package org.defer4j.core.online;

/**
 * Small dense linear algebra on row-major arrays for the online routers (d ≤ a few hundred): a
 * Cholesky factor with growing jitter, triangular solves and quadratic forms.
 */
final class Dense {
  private Dense() {}

  /**
   * The lower Cholesky factor L of the symmetric positive-definite n × n matrix {@code a} (a = L
   * Lᵀ), adding 1e-12, 1e-11, … × (mean diagonal) to the diagonal when the plain factorisation
   * fails.
   *
   * @throws ArithmeticException when even a jitter of 1e-4 × the mean diagonal does not help
   */
  static double[] cholesky(double[] a, int n) {
    double[] l = new double[n * n];
    double scale = 0.0;
    for (int i = 0; i < n; i++) {
      scale += Math.abs(a[i * n + i]);
    }
    scale = n == 0 ? 1.0 : Math.max(scale / n, 1e-300);
    double jitter = 0.0;
    for (int attempt = 0; attempt < 10; attempt++) {
      if (tryCholesky(a, n, jitter, l)) {
        return l;
      }
      jitter = jitter == 0.0 ? 1e-12 * scale : jitter * 10.0;
    }
    throw new ArithmeticException("matrix is not positive definite (n = " + n + ")");
  }

  private static boolean tryCholesky(double[] a, int n, double jitter, double[] l) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * n + j] + (i == j ? jitter : 0.0);
        for (int k = 0; k < j; k++) {
          s -= l[i * n + k] * l[j * n + k];
        }
        if (i == j) {
          if (!(s > 0.0)) {
            return false;
          }
          l[i * n + i] = Math.sqrt(s);
        } else {
          l[i * n + j] = s / l[j * n + j];
        }
      }
      for (int j = i + 1; j < n; j++) {
        l[i * n + j] = 0.0;
      }
    }
    return true;
  }

  /** y with L y = b (forward substitution). */
  static double[] forward(double[] l, int n, double[] b) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * y[k];
      }
      y[i] = s / l[i * n + i];
    }
    return y;
  }

  /** x with Lᵀ x = y (back substitution). */
  static double[] backward(double[] l, int n, double[] y) {
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * x[k];
      }
      x[i] = s / l[i * n + i];
    }
    return x;
  }

  /** x with (L Lᵀ) x = b. */
  static double[] solve(double[] l, int n, double[] b) {
    return backward(l, n, forward(l, n, b));
  }

  /** vᵀ A v for an n × n matrix. */
  static double quadratic(double[] a, int n, double[] v) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double r = 0.0;
      for (int j = 0; j < n; j++) {
        r += a[i * n + j] * v[j];
      }
      s += v[i] * r;
    }
    return s;
  }

  /** A v. */
  static double[] times(double[] a, int n, double[] v) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double r = 0.0;
      for (int j = 0; j < n; j++) {
        r += a[i * n + j] * v[j];
      }
      out[i] = r;
    }
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** The n × n identity times {@code c}. */
  static double[] eye(int n, double c) {
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      out[i * n + i] = c;
    }
    return out;
  }
}
