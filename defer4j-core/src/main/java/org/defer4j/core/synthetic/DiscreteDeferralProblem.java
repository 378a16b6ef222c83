package org.defer4j.core.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * A classification deferral problem whose conditional laws are known exactly, for testing that
 * learned policies approach the Bayes rule.
 *
 * <p>The input x is one of {@code cells} discrete values, drawn uniformly, and is presented to
 * learners as a one-hot feature vector (so a linear scorer can represent any function of x and the
 * hypothesis class contains the Bayes rule). Each cell has a class law P(y | x) and, for each
 * expert j, either
 *
 * <ul>
 *   <li>a probability q_j(x) that the expert answers correctly whatever the class, a wrong expert
 *       answering one of the other classes uniformly (class-independent accuracy, the constructor);
 *       or
 *   <li>a confusion matrix C_j(x)[y][k] = P(m_j = k | x, y) per cell ({@link #withConfusion}):
 *       class-dependent accuracy, with {@link #deterministic} experts (every row one-hot on the
 *       expert's fixed answer g_j(x)) as the special case in which the cost 1[g_j(x) ≠ y] is a
 *       function of (x, y).
 * </ul>
 *
 * Experts answer independently given (x, y). The system's conditional risk of any decision is known
 * in closed form: predicting class k costs 1 − P(k | x), deferring to expert j costs 1 − a_j(x) +
 * β_j with a_j(x) = P(m_j = y | x) = Σ_y P(y | x) C_j(x)[y][y] (= q_j(x) in the first case).
 *
 * <p>The Bayes rule takes the decision of least conditional risk (survey eq. 3 for one expert).
 */
public final class DiscreteDeferralProblem {
  private final int cells;
  private final int classes;
  private final double[][] classLaw;
  private final double[][] expertAccuracy;
  private final double[] fees;
  // cell × expert × true class × answer, or null for class-independent accuracy
  private final double[][][][] confusion;

  /**
   * @param classLaw cells × K, each row a probability vector P(y | x)
   * @param expertAccuracy cells × J, q_j(x) ∈ [0, 1]
   * @param fees J consultation fees β_j ≥ 0
   */
  public DiscreteDeferralProblem(double[][] classLaw, double[][] expertAccuracy, double[] fees) {
    this(classLaw, expertAccuracy, fees, null);
  }

  private DiscreteDeferralProblem(
      double[][] classLaw, double[][] expertAccuracy, double[] fees, double[][][][] confusion) {
    this.confusion = confusion;
    this.cells = classLaw.length;
    Checks.checkPositive("cells", cells);
    this.classes = classLaw[0].length;
    Checks.checkDimension("expert accuracy rows", expertAccuracy.length, cells);
    this.classLaw = new double[cells][];
    this.expertAccuracy = new double[cells][];
    for (int c = 0; c < cells; c++) {
      Checks.checkDimension("class law of cell " + c, classLaw[c].length, classes);
      double sum = 0;
      for (double p : classLaw[c]) {
        sum += Checks.checkProbability("P(y | x)", p);
      }
      if (Math.abs(sum - 1) > 1e-9) {
        throw new IllegalArgumentException("class law of cell " + c + " sums to " + sum);
      }
      Checks.checkDimension("expert accuracy of cell " + c, expertAccuracy[c].length, fees.length);
      for (double q : expertAccuracy[c]) {
        Checks.checkProbability("expert accuracy", q);
      }
      this.classLaw[c] = classLaw[c].clone();
      this.expertAccuracy[c] = expertAccuracy[c].clone();
    }
    for (double f : fees) {
      Checks.checkNonNegative("fee", f);
    }
    this.fees = fees.clone();
  }

  /**
   * A problem with class-dependent experts: {@code confusion[c][j][y][k]} = P(m_j = k | x = c, y),
   * each row a probability vector.
   *
   * @param classLaw cells × K, each row a probability vector P(y | x)
   * @param confusion cells × J × K × K
   * @param fees J consultation fees β_j ≥ 0
   * @throws IllegalArgumentException on a shape mismatch or a row that is not a probability vector
   */
  public static DiscreteDeferralProblem withConfusion(
      double[][] classLaw, double[][][][] confusion, double[] fees) {
    int cells = classLaw.length;
    Checks.checkPositive("cells", cells);
    int k = classLaw[0].length;
    Checks.checkDimension("confusion cells", confusion.length, cells);
    double[][][][] copy = new double[cells][fees.length][k][];
    double[][] accuracy = new double[cells][fees.length];
    for (int c = 0; c < cells; c++) {
      Checks.checkDimension("confusion experts of cell " + c, confusion[c].length, fees.length);
      Checks.checkDimension("class law of cell " + c, classLaw[c].length, k);
      for (int j = 0; j < fees.length; j++) {
        Checks.checkDimension("confusion rows", confusion[c][j].length, k);
        double a = 0;
        for (int y = 0; y < k; y++) {
          double[] row = confusion[c][j][y];
          Checks.checkDimension("confusion row", row.length, k);
          double sum = 0;
          for (double v : row) {
            sum += Checks.checkProbability("P(m_j = k | x, y)", v);
          }
          if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException(
                "confusion row of cell "
                    + c
                    + ", expert "
                    + j
                    + ", class "
                    + y
                    + " sums to "
                    + sum);
          }
          copy[c][j][y] = row.clone();
          a += classLaw[c][y] * row[y];
        }
        accuracy[c][j] = Math.min(1.0, a);
      }
    }
    return new DiscreteDeferralProblem(classLaw, accuracy, fees, copy);
  }

  /**
   * A problem with deterministic experts: expert j always answers {@code answers[c][j]} in cell c,
   * so its cost 1[g_j(x) ≠ y] (plus its fee) is a function of (x, y), the setting of Mao, Mohri and
   * Zhong's "cost functions based on classification error".
   */
  public static DiscreteDeferralProblem deterministic(
      double[][] classLaw, int[][] answers, double[] fees) {
    int cells = classLaw.length;
    int k = classLaw[0].length;
    Checks.checkDimension("answer rows", answers.length, cells);
    double[][][][] conf = new double[cells][fees.length][k][k];
    for (int c = 0; c < cells; c++) {
      Checks.checkDimension("answers of cell " + c, answers[c].length, fees.length);
      for (int j = 0; j < fees.length; j++) {
        int g = answers[c][j];
        if (g < 0 || g >= k) {
          throw new IllegalArgumentException("answer " + g + " is outside [0, " + k + ")");
        }
        for (int y = 0; y < k; y++) {
          conf[c][j][y][g] = 1.0;
        }
      }
    }
    return withConfusion(classLaw, conf, fees);
  }

  /**
   * A random problem with class-dependent experts: class laws from Dirichlet(concentration), for
   * each cell, expert and true class an accuracy uniform on [lo, hi], the wrong answers' mass split
   * over the other classes by a Dirichlet(1) draw (so experts also confuse classes unevenly).
   */
  public static DiscreteDeferralProblem randomClassDependent(
      int cells,
      int classes,
      int experts,
      double concentration,
      double lo,
      double hi,
      double fee,
      SplittableRandom rng) {
    double[][] law = randomLaws(cells, classes, concentration, rng);
    double[][][][] conf = new double[cells][experts][classes][classes];
    for (int c = 0; c < cells; c++) {
      for (int j = 0; j < experts; j++) {
        for (int y = 0; y < classes; y++) {
          double a = lo + (hi - lo) * rng.nextDouble();
          double[] rest = dirichlet(classes - 1, 1.0, rng);
          for (int k = 0, r = 0; k < classes; k++) {
            conf[c][j][y][k] = k == y ? a : (1 - a) * rest[r++];
          }
        }
      }
    }
    return withConfusion(law, conf, constant(experts, fee));
  }

  /**
   * A random problem with deterministic experts: class laws from Dirichlet(concentration), and in
   * every cell each expert answers a fixed class drawn uniformly.
   */
  public static DiscreteDeferralProblem randomDeterministic(
      int cells, int classes, int experts, double concentration, double fee, SplittableRandom rng) {
    double[][] law = randomLaws(cells, classes, concentration, rng);
    int[][] answers = new int[cells][experts];
    for (int c = 0; c < cells; c++) {
      for (int j = 0; j < experts; j++) {
        answers[c][j] = rng.nextInt(classes);
      }
    }
    return deterministic(law, answers, constant(experts, fee));
  }

  private static double[][] randomLaws(
      int cells, int classes, double concentration, SplittableRandom rng) {
    double[][] law = new double[cells][];
    for (int c = 0; c < cells; c++) {
      law[c] = dirichlet(classes, concentration, rng);
    }
    return law;
  }

  private static double[] dirichlet(int n, double concentration, SplittableRandom rng) {
    double[] p = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      p[k] = gamma(concentration, rng);
      sum += p[k];
    }
    for (int k = 0; k < n; k++) {
      p[k] /= sum;
    }
    return p;
  }

  private static double[] constant(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /**
   * A random problem: class laws from a Dirichlet(concentration) law per cell and expert accuracies
   * uniform on [lo, hi], all drawn from {@code rng}.
   */
  public static DiscreteDeferralProblem random(
      int cells,
      int classes,
      int experts,
      double concentration,
      double lo,
      double hi,
      double fee,
      SplittableRandom rng) {
    double[][] law = new double[cells][classes];
    double[][] acc = new double[cells][experts];
    for (int c = 0; c < cells; c++) {
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        law[c][k] = gamma(concentration, rng);
        sum += law[c][k];
      }
      for (int k = 0; k < classes; k++) {
        law[c][k] /= sum;
      }
      for (int j = 0; j < experts; j++) {
        acc[c][j] = lo + (hi - lo) * rng.nextDouble();
      }
    }
    double[] fees = new double[experts];
    java.util.Arrays.fill(fees, fee);
    return new DiscreteDeferralProblem(law, acc, fees);
  }

  /** Marsaglia–Tsang gamma sampler (shape a, scale 1); a &lt; 1 by the boost a+1 · U^{1/a}. */
  private static double gamma(double a, SplittableRandom rng) {
    if (a < 1) {
      return gamma(a + 1, rng) * Math.pow(rng.nextDouble(), 1 / a);
    }
    double d = a - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = gaussian(rng);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Number of cells. */
  public int cells() {
    return cells;
  }

  /** Number of classes K. */
  public int classes() {
    return classes;
  }

  /** Number of experts J. */
  public int experts() {
    return fees.length;
  }

  /** The task spec of the sampled tables: classes "0".."K−1", experts e1..eJ, no frozen model. */
  public TaskSpec task() {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      names.add(Integer.toString(k));
    }
    List<Agent> experts = new ArrayList<>();
    for (int j = 0; j < fees.length; j++) {
      experts.add(Agent.expert("e" + (j + 1), fees[j]));
    }
    return TaskSpec.classification(names, null, experts);
  }

  /**
   * Draws n cases: cell uniformly, y from P(y | x), each expert's answer from q_j(x). Features are
   * the one-hot encoding of the cell ({@code x.c0} … ); the cell index is the row's {@code id}.
   */
  public DeferralTable sample(int n, SplittableRandom rng) {
    double[] features = new double[n * cells];
    int[] labels = new int[n];
    String[] ids = new String[n];
    int[][] answers = new int[fees.length][n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(cells);
      features[i * cells + c] = 1.0;
      ids[i] = Integer.toString(c);
      int y = draw(classLaw[c], rng);
      labels[i] = y;
      for (int j = 0; j < fees.length; j++) {
        if (confusion != null) {
          answers[j][i] = draw(confusion[c][j][y], rng);
        } else if (rng.nextDouble() < expertAccuracy[c][j]) {
          answers[j][i] = y;
        } else {
          int other = rng.nextInt(classes - 1);
          answers[j][i] = other >= y ? other + 1 : other;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < cells; c++) {
      names.add("c" + c);
    }
    DeferralTable.Builder b =
        DeferralTable.builder("synthetic", n).features(names, features).labels(labels).ids(ids);
    for (int j = 0; j < fees.length; j++) {
      b.agent("e" + (j + 1), new AgentColumns(n, answers[j], null, null, 0, null));
    }
    return b.build();
  }

  private static int draw(double[] p, SplittableRandom rng) {
    double u = rng.nextDouble();
    double acc = 0;
    for (int k = 0; k < p.length - 1; k++) {
      acc += p[k];
      if (u < acc) {
        return k;
      }
    }
    return p.length - 1;
  }

  /**
   * The conditional risk of a decision in a cell: {@code decision} in 0..K−1 predicts that class, K
   * + j defers to expert j.
   */
  public double conditionalRisk(int cell, int decision) {
    if (decision < classes) {
      return 1 - classLaw[cell][decision];
    }
    int j = decision - classes;
    return 1 - expertAccuracy[cell][j] + fees[j];
  }

  /** The Bayes decision of a cell (least conditional risk; lowest index on ties). */
  public int bayesDecision(int cell) {
    int best = 0;
    for (int d = 1; d < classes + fees.length; d++) {
      if (conditionalRisk(cell, d) < conditionalRisk(cell, best)) {
        best = d;
      }
    }
    return best;
  }

  /** The Bayes risk: the mean over cells of the least conditional risk. */
  public double bayesRisk() {
    double r = 0;
    for (int c = 0; c < cells; c++) {
      r += conditionalRisk(c, bayesDecision(c));
    }
    return r / cells;
  }

  /** The exact risk of a policy given as one decision per cell (cells are equally likely). */
  public double risk(int[] decisionPerCell) {
    Checks.checkDimension("decisions", decisionPerCell.length, cells);
    double r = 0;
    for (int c = 0; c < cells; c++) {
      r += conditionalRisk(c, decisionPerCell[c]);
    }
    return r / cells;
  }

  /** P(y | x) of a cell, a copy. */
  public double[] classLaw(int cell) {
    return classLaw[cell].clone();
  }

  /** a_j(x) = P(m_j = y | x) of a cell (q_j(x) for class-independent experts), a copy. */
  public double[] expertAccuracy(int cell) {
    return expertAccuracy[cell].clone();
  }

  /** Whether the experts' accuracy depends on the class (a confusion matrix per cell). */
  public boolean classDependent() {
    return confusion != null;
  }

  /** P(m_j = k | x = cell, y) of expert j (0-based) as a K × K matrix, a copy. */
  public double[][] confusion(int cell, int expert) {
    double[][] m = new double[classes][];
    for (int y = 0; y < classes; y++) {
      if (confusion != null) {
        m[y] = confusion[cell][expert][y].clone();
      } else {
        double q = expertAccuracy[cell][expert];
        m[y] = new double[classes];
        for (int k = 0; k < classes; k++) {
          m[y][k] = k == y ? q : (1 - q) / Math.max(1, classes - 1);
        }
      }
    }
    return m;
  }
}
