package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.model.Activation;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.StageOneTrainer.Heads;
import org.junit.jupiter.api.Test;

/** Stage one: the multi-head loss, its gradient, and that the heads learn a known problem. */
class StageOneTrainerTest {
  private static final TaskSpec MULTI =
      new TaskSpec(
          TaskKind.MULTITASK,
          List.of("alive", "dead"),
          "mh",
          List.of(Agent.expert("e1", 0.1)),
          new CostWeights(1, 1, RegressionLoss.SMOOTH_L1, 5),
          null);

  /**
   * Hand values: logits (0, ln 3) give p = (1/4, 3/4); label 1 → CE = −ln(3/4). Regression output
   * 2.5 against z = 0.5: |d| = 2 ≥ 1 → smooth-L1 = 1.5, gradient sign(d) = 1, times λ = 0.4.
   */
  @Test
  void multiHeadLossIsCrossEntropyPlusLambdaSmoothL1() {
    double[] g = new double[3];
    double l =
        StageOneTrainer.loss(
            Heads.MULTI_HEAD, 2, 0.4, new double[] {0, Math.log(3), 2.5}, 1, 0.5, g);
    assertThat(l).isCloseTo(-Math.log(0.75) + 0.4 * 1.5, within(1e-12));
    assertThat(g[0]).isCloseTo(0.25, within(1e-12));
    assertThat(g[1]).isCloseTo(-0.25, within(1e-12));
    assertThat(g[2]).isCloseTo(0.4, within(1e-12));
  }

  /** Central differences (h = 1e-6, error O(h²)) on random scores, every head layout. */
  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (Heads heads : Heads.values()) {
      for (int trial = 0; trial < 40; trial++) {
        int k = 2 + rnd.nextInt(3);
        int width = heads.outputs(k);
        double[] s = new double[width];
        for (int i = 0; i < width; i++) {
          s[i] = 3 * (rnd.nextDouble() - 0.5);
        }
        int y = rnd.nextInt(k);
        double z = 2 * (rnd.nextDouble() - 0.5);
        double[] g = new double[width];
        StageOneTrainer.loss(heads, k, 0.7, s, y, z, g);
        for (int i = 0; i < width; i++) {
          double keep = s[i];
          double[] tmp = new double[width];
          s[i] = keep + 1e-6;
          double up = StageOneTrainer.loss(heads, k, 0.7, s, y, z, tmp);
          s[i] = keep - 1e-6;
          double down = StageOneTrainer.loss(heads, k, 0.7, s, y, z, tmp);
          s[i] = keep;
          assertThat(g[i]).as("%s d/ds[%d]", heads, i).isCloseTo((up - down) / 2e-6, within(1e-6));
        }
      }
    }
  }

  /** Finite at logits of ±1e3 (log-sum-exp with a max shift). */
  @Test
  void finiteAtExtremeScores() {
    double[] g = new double[3];
    double l = StageOneTrainer.loss(Heads.MULTI_HEAD, 2, 1, new double[] {1e3, -1e3, 1e3}, 1, 0, g);
    assertThat(l).isCloseTo(2e3 + 1e3 - 0.5, within(1e-9));
    assertThat(g).containsExactly(1.0, -1.0, 1.0);
  }

  /**
   * A problem the shared MLP can learn: y = 1[x0 + x1 > 0], t = 10 + 3·x0 − 2·x1 (in target units,
   * so standardisation is exercised). A multi-head MLP must reach ≥ 95 % accuracy and a mean
   * smooth-L1 below 0.1 on fresh rows (the noise-free Bayes values are 100 % and 0).
   */
  @Test
  void multiHeadModelLearnsBothTasks() {
    DeferralTable train = problem(1500, new SplittableRandom(1));
    DeferralTable val = problem(300, new SplittableRandom(2));
    DeferralTable test = problem(500, new SplittableRandom(3));
    StageOneModel m =
        new StageOneTrainer(
                DeferralTrainer.mlp(List.of(32), Activation.TANH, 0.0),
                1.0,
                new TrainOptions(Algorithm.ADAM, 0.01, 60, 64, 10, 5))
            .fit(MULTI, train, val, TrainingListener.NONE);
    assertThat(m.name()).isEqualTo("mh");
    assertThat(m.heads()).isEqualTo(Heads.MULTI_HEAD);
    AgentColumns out = m.outputs(test);
    int right = 0;
    double sl1 = 0;
    for (int i = 0; i < test.rows(); i++) {
      right += out.predictedClass(i) == test.label(i) ? 1 : 0;
      sl1 += RegressionLoss.SMOOTH_L1.apply(out.predictedValue(i), test.target(i));
      assertThat(out.probability(i, 0) + out.probability(i, 1)).isCloseTo(1.0, within(1e-12));
    }
    assertThat(right / (double) test.rows()).isGreaterThanOrEqualTo(0.95);
    assertThat(sl1 / test.rows()).isLessThan(0.1);
    DeferralTable attached = m.attach(test);
    assertThat(attached.agent("mh")).isEqualTo(out);
    assertThat(attached.agent("e1")).isEqualTo(test.agent("e1"));
  }

  /** Stage one fits through the one trainer interface. */
  @Test
  void isATrainer() {
    Trainer<StageOneModel> t =
        new StageOneTrainer(DeferralTrainer.linear(0.0), 1.0, TrainOptions.defaults());
    assertThat(t).isInstanceOf(StageOneTrainer.class);
  }

  /** Same seed, same model: outputs equal bit for bit. */
  @Test
  void sameSeedSameModel() {
    DeferralTable train = problem(200, new SplittableRandom(1));
    StageOneTrainer t =
        new StageOneTrainer(
            DeferralTrainer.linear(0.0), 1.0, new TrainOptions(Algorithm.ADAM, 0.01, 5, 32, 0, 9));
    TaskSpec cls =
        TaskSpec.classification(List.of("alive", "dead"), "c", List.of(Agent.expert("e1", 0)));
    AgentColumns a = t.fit(cls, train, null, TrainingListener.NONE).outputs(train);
    AgentColumns b = t.fit(cls, train, null, TrainingListener.NONE).outputs(train);
    assertThat(a).isEqualTo(b);
    assertThat(a.hasPredictedValue()).isFalse();
  }

  /**
   * The model carries a standardising pipeline fitted on the training table: every input of the
   * training rows has mean 0 and population standard deviation 1 (to 1e-12) after it.
   */
  @Test
  void inputsAreStandardisedByTheModelsPipeline() {
    DeferralTable train = problem(400, new SplittableRandom(1));
    StageOneModel m =
        new StageOneTrainer(
                DeferralTrainer.linear(0.0),
                1.0,
                new TrainOptions(Algorithm.ADAM, 0.01, 2, 32, 0, 9))
            .fit(MULTI, train, null, TrainingListener.NONE);
    assertThat(m.features().standardization()).isNotNull();
    assertThat(m.features().names()).containsExactly("x0", "x1");
    assertThat(m.featureNames()).containsExactly("x0", "x1");
    double[] x = m.features().transform(train);
    for (int j = 0; j < 2; j++) {
      double mean = 0;
      double ss = 0;
      for (int i = 0; i < train.rows(); i++) {
        mean += x[2 * i + j] / train.rows();
      }
      for (int i = 0; i < train.rows(); i++) {
        ss += (x[2 * i + j] - mean) * (x[2 * i + j] - mean) / train.rows();
      }
      assertThat(mean).isCloseTo(0.0, within(1e-12));
      assertThat(ss).isCloseTo(1.0, within(1e-12));
    }
  }

  /**
   * Features are matched by name: a table with its columns swapped (and an extra one) gives the
   * same outputs bit for bit, and so does a validation table in another order; a table without a
   * feature is refused naming it.
   */
  @Test
  void featuresAreMatchedByName() {
    DeferralTable train = problem(300, new SplittableRandom(1));
    DeferralTable swapped = swapped(problem(300, new SplittableRandom(2)));
    StageOneTrainer t =
        new StageOneTrainer(
            DeferralTrainer.mlp(List.of(4), Activation.TANH, 0.0),
            1.0,
            new TrainOptions(Algorithm.ADAM, 0.01, 4, 32, 2, 9));
    StageOneModel a =
        t.fit(MULTI, train, problem(300, new SplittableRandom(2)), TrainingListener.NONE);
    StageOneModel b = t.fit(MULTI, train, swapped, TrainingListener.NONE);
    assertThat(b.scorer().parameters()).containsExactly(a.scorer().parameters());
    assertThat(a.outputs(swapped)).isEqualTo(a.outputs(problem(300, new SplittableRandom(2))));
    DeferralTable missing =
        DeferralTable.builder("missing.csv", 2)
            .features(List.of("x1"), new double[] {0, 1})
            .labels(new int[] {0, 1})
            .targets(new double[] {0, 1})
            .build();
    assertThatThrownBy(() -> a.outputs(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.csv")
        .hasMessageContaining("x.x0");
    assertThatThrownBy(() -> t.fit(MULTI, train, missing, TrainingListener.NONE))
        .hasMessageContaining("x.x0");
  }

  /** A model rebuilt from its parts (as an artifact loader does) gives the same outputs. */
  @Test
  void restoredModelGivesTheSameOutputs() {
    DeferralTable train = problem(300, new SplittableRandom(1));
    StageOneModel m =
        new StageOneTrainer(
                DeferralTrainer.linear(0.0),
                1.0,
                new TrainOptions(Algorithm.ADAM, 0.01, 3, 32, 0, 9))
            .fit(MULTI, train, null, TrainingListener.NONE);
    StageOneModel r =
        StageOneModel.restore(
            m.name(),
            m.heads(),
            m.classes(),
            m.scorer(),
            m.features(),
            m.targetMean(),
            m.targetScale());
    assertThat(r.outputs(train)).isEqualTo(m.outputs(train));
    assertThat(r.fit().epochs()).isZero();
    assertThat(m.targetScale()).isPositive();
    assertThatThrownBy(
            () ->
                StageOneModel.restore(
                    "mh", Heads.CLASSIFIER, m.classes(), m.scorer(), m.features(), 0, 1))
        .hasMessageContaining("outputs");
    assertThatThrownBy(
            () ->
                StageOneModel.restore("mh", m.heads(), m.classes(), m.scorer(), m.features(), 0, 0))
        .hasMessageContaining("target scale");
  }

  @Test
  void rejectsMissingTruthAndCostTasks() {
    DeferralTable noTargets =
        DeferralTable.builder("n.csv", 2)
            .features(List.of("a"), new double[] {0, 1})
            .labels(new int[] {0, 1})
            .build();
    StageOneTrainer t = new StageOneTrainer(DeferralTrainer.linear(0), 1, TrainOptions.defaults());
    assertThatThrownBy(() -> t.fit(MULTI, noTargets, null, TrainingListener.NONE))
        .hasMessageContaining("'t' column");
    assertThatThrownBy(() -> Heads.of(TaskKind.COSTS)).hasMessageContaining("costs task");
  }

  /** The same rows with the features in the order (x1, noise, x0). */
  static DeferralTable swapped(DeferralTable t) {
    int n = t.rows();
    double[] x = new double[3 * n];
    for (int i = 0; i < n; i++) {
      x[3 * i] = t.featureBlock()[2 * i + 1];
      x[3 * i + 1] = i % 3;
      x[3 * i + 2] = t.featureBlock()[2 * i];
    }
    double[] targets = new double[n];
    for (int i = 0; i < n; i++) {
      targets[i] = t.target(i);
    }
    return DeferralTable.builder("swapped", n)
        .features(List.of("x1", "noise", "x0"), x)
        .labels(t.labels())
        .targets(targets)
        .agent("e1", t.agent("e1"))
        .build();
  }

  static DeferralTable problem(int n, SplittableRandom rnd) {
    double[] x = new double[2 * n];
    int[] y = new int[n];
    double[] t = new double[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      double a = 2 * rnd.nextDouble() - 1;
      double b = 2 * rnd.nextDouble() - 1;
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[i] = a + b > 0 ? 1 : 0;
      t[i] = 10 + 3 * a - 2 * b;
      e[i] = y[i];
    }
    return DeferralTable.builder("problem", n)
        .features(List.of("x0", "x1"), x)
        .labels(y)
        .targets(t)
        .agent("e1", new AgentColumns(n, e, t.clone(), null, 0, null))
        .build();
  }
}
