package org.defer4j.core.data;

import java.util.Arrays;

/**
 * What the data records about one agent: the {@code m.<agent>.y}, {@code m.<agent>.t}, {@code
 * m.<agent>.p.<k>} and {@code cost.<agent>} columns of a deferral table. Each part may be absent
 * ({@code null}). Within a present part, a missing cell means the agent did not see the case: −1
 * for a class, NaN for a number.
 *
 * <p>Arrays are copied in and out; the object is immutable.
 */
public final class AgentColumns {
  /** Marks an unobserved predicted class. */
  public static final int UNOBSERVED = -1;

  private final int rows;
  private final int[] predictedClass;
  private final double[] predictedValue;
  private final double[] probabilities;
  private final int classes;
  private final double[] cost;

  /**
   * @param rows number of rows n
   * @param predictedClass n classes (−1 = unobserved), or null
   * @param predictedValue n numbers (NaN = unobserved), or null
   * @param probabilities n × classes row-major (a row of NaN = unobserved), or null
   * @param classes K, the width of {@code probabilities} (ignored when it is null)
   * @param cost n precomputed error costs (NaN = unobserved), or null
   * @throws IllegalArgumentException on a length mismatch
   */
  public AgentColumns(
      int rows,
      int[] predictedClass,
      double[] predictedValue,
      double[] probabilities,
      int classes,
      double[] cost) {
    this.rows = rows;
    this.predictedClass = copyChecked("predicted classes", predictedClass, rows);
    this.predictedValue = copyChecked("predicted values", predictedValue, rows);
    this.cost = copyChecked("costs", cost, rows);
    if (probabilities != null) {
      if (classes <= 0 || probabilities.length != (long) rows * classes) {
        throw new IllegalArgumentException(
            "probabilities have length "
                + probabilities.length
                + ", expected rows × classes = "
                + rows
                + " × "
                + classes);
      }
      this.probabilities = probabilities.clone();
      this.classes = classes;
    } else {
      this.probabilities = null;
      this.classes = 0;
    }
  }

  private static int[] copyChecked(String what, int[] a, int rows) {
    if (a == null) {
      return null;
    }
    if (a.length != rows) {
      throw new IllegalArgumentException(what + " have length " + a.length + ", expected " + rows);
    }
    return a.clone();
  }

  private static double[] copyChecked(String what, double[] a, int rows) {
    if (a == null) {
      return null;
    }
    if (a.length != rows) {
      throw new IllegalArgumentException(what + " have length " + a.length + ", expected " + rows);
    }
    return a.clone();
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Whether the {@code m.<agent>.y} column exists. */
  public boolean hasPredictedClass() {
    return predictedClass != null;
  }

  /** Whether the {@code m.<agent>.t} column exists. */
  public boolean hasPredictedValue() {
    return predictedValue != null;
  }

  /** Whether the {@code m.<agent>.p.<k>} columns exist. */
  public boolean hasProbabilities() {
    return probabilities != null;
  }

  /** Whether the {@code cost.<agent>} column exists. */
  public boolean hasCost() {
    return cost != null;
  }

  /** Width K of the probability block (0 when absent). */
  public int probabilityClasses() {
    return classes;
  }

  /**
   * The class the agent predicted for a row: the {@code m.<agent>.y} cell, else the argmax of its
   * probabilities; {@link #UNOBSERVED} when neither is recorded.
   */
  public int predictedClass(int row) {
    if (predictedClass != null) {
      return predictedClass[row];
    }
    if (probabilities != null) {
      int base = row * classes;
      if (Double.isNaN(probabilities[base])) {
        return UNOBSERVED;
      }
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (probabilities[base + k] > probabilities[base + best]) {
          best = k;
        }
      }
      return best;
    }
    return UNOBSERVED;
  }

  /** The agent's numeric prediction for a row, NaN when unobserved or absent. */
  public double predictedValue(int row) {
    return predictedValue == null ? Double.NaN : predictedValue[row];
  }

  /** The probability the agent gives class {@code k} on a row, NaN when unobserved or absent. */
  public double probability(int row, int k) {
    return probabilities == null ? Double.NaN : probabilities[row * classes + k];
  }

  /** The largest class probability on a row, NaN when unobserved or absent. */
  public double maxProbability(int row) {
    if (probabilities == null) {
      return Double.NaN;
    }
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      m = Math.max(m, probabilities[row * classes + k]);
    }
    return m;
  }

  /** The precomputed error cost of a row, NaN when unobserved or absent. */
  public double cost(int row) {
    return cost == null ? Double.NaN : cost[row];
  }

  /** Whether any recorded part of the agent's output is present on a row. */
  public boolean observed(int row) {
    return (predictedClass != null && predictedClass[row] != UNOBSERVED)
        || (predictedValue != null && !Double.isNaN(predictedValue[row]))
        || (probabilities != null && !Double.isNaN(probabilities[row * classes]))
        || (cost != null && !Double.isNaN(cost[row]));
  }

  /** A copy of the predicted-class column, or null. */
  public int[] predictedClasses() {
    return predictedClass == null ? null : predictedClass.clone();
  }

  /** A copy of the predicted-value column, or null. */
  public double[] predictedValues() {
    return predictedValue == null ? null : predictedValue.clone();
  }

  /** A copy of the probability block (n × K row-major), or null. */
  public double[] probabilities() {
    return probabilities == null ? null : probabilities.clone();
  }

  /** A copy of the cost column, or null. */
  public double[] costs() {
    return cost == null ? null : cost.clone();
  }

  /** The rows {@code rows} of these columns, in that order. */
  public AgentColumns select(int[] rowIndices) {
    int m = rowIndices.length;
    int[] pc = null;
    double[] pv = null;
    double[] pr = null;
    double[] c = null;
    if (predictedClass != null) {
      pc = new int[m];
      for (int i = 0; i < m; i++) {
        pc[i] = predictedClass[rowIndices[i]];
      }
    }
    if (predictedValue != null) {
      pv = new double[m];
      for (int i = 0; i < m; i++) {
        pv[i] = predictedValue[rowIndices[i]];
      }
    }
    if (probabilities != null) {
      pr = new double[m * classes];
      for (int i = 0; i < m; i++) {
        System.arraycopy(probabilities, rowIndices[i] * classes, pr, i * classes, classes);
      }
    }
    if (cost != null) {
      c = new double[m];
      for (int i = 0; i < m; i++) {
        c[i] = cost[rowIndices[i]];
      }
    }
    return new AgentColumns(m, pc, pv, pr, classes, c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgentColumns a
        && rows == a.rows
        && classes == a.classes
        && Arrays.equals(predictedClass, a.predictedClass)
        && Arrays.equals(predictedValue, a.predictedValue)
        && Arrays.equals(probabilities, a.probabilities)
        && Arrays.equals(cost, a.cost);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(predictedClass) + Arrays.hashCode(cost) + rows;
  }
}
