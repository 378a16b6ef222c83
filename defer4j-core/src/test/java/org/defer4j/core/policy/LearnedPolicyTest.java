package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.RouterScores;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision contract on small policies trained by {@link DeferralTrainer} on synthetic problems:
 * batch and single-case decisions agree, availability is always honoured, decisions depend on the
 * cases alone and are identical from many threads, and evaluation allocates as the policy decides.
 * Plus the two-stage inputs that used to live in {@code FrozenModelInputs}: the frozen model's
 * confidence as 2s-sb's model score, and its probabilities as rejector inputs.
 */
class LearnedPolicyTest {
  /**
   * Scores of the batch and the single-case path may differ by reassociated sums (ScorerBatchTest).
   */
  private static final double TOL = 1e-12;

  private static final LinearDeferralProblem LINEAR =
      LinearDeferralProblem.logistic(4, 2.0, 4.0, -0.5, new SplittableRandom(21));
  private static final DiscreteDeferralProblem DISCRETE =
      DiscreteDeferralProblem.random(6, 3, 3, 1.0, 0.3, 0.95, 0.05, new SplittableRandom(11));

  /**
   * The two-stage task of {@link #confidenceTable}: frozen model net, experts e1 and e2 (fee 0.3).
   */
  static final TaskSpec TWO_STAGE =
      TaskSpec.classification(
          List.of("a", "b"), "net", List.of(Agent.expert("e1", 0.0), Agent.expert("e2", 0.3)));

  private static final TrainOptions ADAM = new TrainOptions(Algorithm.ADAM, 0.05, 8, 64, 0, 5L);
  private static final TrainOptions LBFGS = new TrainOptions(Algorithm.LBFGS, 1, 100, 1, 0, 3);

  private static final DeferralTable LINEAR_TABLE = LINEAR.sample(600, new SplittableRandom(1));
  private static final DeferralTable DISCRETE_TABLE =
      DISCRETE.sample(1500, new SplittableRandom(2));
  private static final DeferralTable CONFIDENCE_TABLE =
      confidenceTable(800, new SplittableRandom(3));

  /** ova on the logistic linear problem (one expert), with its calibrated expected costs. */
  private static final LearnedPolicy OVA =
      new DeferralTrainer(Surrogates.oneVsAll(), DeferralTrainer.linear(1e-4), ADAM, false)
          .fit(LINEAR.task(), LINEAR_TABLE, null, TrainingListener.NONE);

  /** ce on a one-hot problem with three experts. */
  private static final LearnedPolicy CE =
      new DeferralTrainer(Surrogates.crossEntropy(), DeferralTrainer.linear(0), ADAM, false)
          .fit(DISCRETE.task(), DISCRETE_TABLE, null, TrainingListener.NONE);

  /** 2s-sb around the frozen model net: score 0 is the model's confidence. */
  private static final LearnedPolicy SCORE_BASED =
      new DeferralTrainer(Surrogates.twoStageScoreBased(), DeferralTrainer.linear(0), LBFGS, false)
          .fit(TWO_STAGE, CONFIDENCE_TABLE, null, TrainingListener.NONE);

  /**
   * A table where x is noise and only the frozen model's confidence p carries information: the
   * model is right with probability p; e1 is right with probability 0.75 (fee 0), e2 always (fee
   * 0.3). With p ~ U[0.5, 1] the Bayes rule keeps the model when p ≥ 0.75 (E[c_0] = 1 − p).
   */
  static DeferralTable confidenceTable(int n, SplittableRandom rnd) {
    double[] x = new double[2 * n];
    int[] y = new int[n];
    int[] net = new int[n];
    double[] prob = new double[2 * n];
    int[] e1 = new int[n];
    int[] e2 = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = rnd.nextDouble() - 0.5;
      x[2 * i + 1] = rnd.nextDouble() - 0.5;
      y[i] = rnd.nextInt(2);
      double p = 0.5 + 0.5 * rnd.nextDouble();
      net[i] = rnd.nextDouble() < p ? y[i] : 1 - y[i];
      prob[2 * i + net[i]] = p;
      prob[2 * i + 1 - net[i]] = 1 - p;
      e1[i] = rnd.nextDouble() < 0.75 ? y[i] : 1 - y[i];
      e2[i] = y[i];
    }
    return DeferralTable.builder("conf", n)
        .features(List.of("x0", "x1"), x)
        .labels(y)
        .agent("net", new AgentColumns(n, net, null, prob, 2, null))
        .agent("e1", new AgentColumns(n, e1, null, null, 0, null))
        .agent("e2", new AgentColumns(n, e2, null, null, 0, null))
        .build();
  }

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of("ova", OVA, LINEAR_TABLE),
        Arguments.of("ce", CE, DISCRETE_TABLE),
        Arguments.of("ce threshold", CE.withRule(DecisionRules.threshold(0.3)), DISCRETE_TABLE),
        Arguments.of("2s-sb", SCORE_BASED, CONFIDENCE_TABLE));
  }

  /** Random availability: each agent available with probability 0.6, at least one per row. */
  static Availability randomAvailability(AgentSet agents, int rows, SplittableRandom rng) {
    int a = agents.size();
    boolean[] mask = new boolean[rows * a];
    for (int i = 0; i < rows; i++) {
      boolean any = false;
      for (int j = 0; j < a; j++) {
        mask[i * a + j] = rng.nextDouble() < 0.6;
        any |= mask[i * a + j];
      }
      if (!any) {
        mask[i * a + rng.nextInt(a)] = true;
      }
    }
    return Availability.of(agents, mask);
  }

  /**
   * One case of a table as the single-case path reads it: features by name (alternating plain and
   * {@code x.} keys), the frozen model's probabilities as {@code m.<model>.p.<class>}, the id.
   */
  static Map<String, Object> caseOf(LearnedPolicy policy, DeferralTable t, int i, String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> names = t.featureNames();
    for (int j = 0; j < names.size(); j++) {
      m.put((i + j) % 2 == 0 ? names.get(j) : "x." + names.get(j), t.feature(i, j));
    }
    TaskSpec task = policy.task();
    if (task.hasFrozenModel() && t.agent(task.model()).hasProbabilities()) {
      for (int k = 0; k < task.classCount(); k++) {
        m.put(
            "m." + task.model() + ".p." + task.classes().get(k),
            t.agent(task.model()).probability(i, k));
      }
    }
    m.put("id", id);
    return m;
  }

  /** Only what a deployed router reads: features, ids and the frozen model's probabilities. */
  static DeferralTable casesOnly(TaskSpec task, DeferralTable t) {
    DeferralTable.Builder b =
        DeferralTable.builder(t.source(), t.rows())
            .features(t.featureNames(), t.featureBlock().clone());
    if (t.hasIds()) {
      String[] ids = new String[t.rows()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = t.id(i);
      }
      b.ids(ids);
    }
    if (task.hasFrozenModel()) {
      b.agent(
          task.model(),
          new AgentColumns(
              t.rows(),
              null,
              null,
              t.agent(task.model()).probabilities(),
              task.classCount(),
              null));
    }
    return b.build();
  }

  static void assertSameDecision(Decision single, Decision batch, String what) {
    assertThat(single.agent()).as(what).isEqualTo(batch.agent());
    assertThat(single.id()).as(what).isEqualTo(batch.id());
    assertThat(single.reasons()).as(what).isEqualTo(batch.reasons());
    assertThat(single.fallback()).as(what).isEqualTo(batch.fallback());
    assertThat(single.predictedClass()).as(what).isEqualTo(batch.predictedClass());
    assertThat(single.agentNames()).isEqualTo(batch.agentNames());
    double[] s = single.scores();
    double[] b = batch.scores();
    double[] es = single.expectedCosts();
    double[] eb = batch.expectedCosts();
    for (int j = 0; j < s.length; j++) {
      assertThat(s[j]).as(what).isCloseTo(b[j], within(TOL * Math.max(1, Math.abs(b[j]))));
      if (Double.isNaN(eb[j])) {
        assertThat(es[j]).as(what).isNaN();
      } else {
        assertThat(es[j]).as(what).isCloseTo(eb[j], within(TOL));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void batchDecisionsEqualSingleCaseDecisions(String name, LearnedPolicy policy, DeferralTable t) {
    SplittableRandom rng = new SplittableRandom(name.hashCode());
    for (Availability av :
        List.of(
            Availability.all(policy.agents(), t.rows()),
            randomAvailability(policy.agents(), t.rows(), rng))) {
      Decisions batch = policy.decide(t, av);
      for (int i = 0; i < t.rows(); i++) {
        Decision b = batch.get(i);
        Decision s = policy.decide(caseOf(policy, t, i, b.id()), av.availableNames(i));
        assertSameDecision(s, b, name + " row " + i);
      }
    }
    // Without an availability list every agent may be asked.
    Decisions all = policy.decide(t, Availability.all(policy.agents(), t.rows()));
    assertSameDecision(policy.decide(caseOf(policy, t, 0, all.id(0))), all.get(0), name);
  }

  /**
   * Under random availability masks no case goes to an unavailable agent; a case keeps the agent it
   * gets with everyone available when that agent is available, and otherwise falls back to the
   * best-scored available agent (argmax rule) — flagged as a fallback.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void noCaseGoesToAnUnavailableAgent(String name, LearnedPolicy policy, DeferralTable t) {
    int n = t.rows();
    int a = policy.agents().size();
    int[] free = policy.decide(t, Availability.all(policy.agents(), n)).agents();
    SplittableRandom rng = new SplittableRandom(99);
    int fallbacks = 0;
    for (int rep = 0; rep < 10; rep++) {
      Availability av = randomAvailability(policy.agents(), n, rng);
      Decisions d = policy.decide(t, av);
      assertThat(d.availability()).isSameAs(av);
      for (int i = 0; i < n; i++) {
        int c = d.agent(i);
        assertThat(av.available(i, c)).as("%s rep %d row %d", name, rep, i).isTrue();
        boolean preferredAvailable = av.available(i, free[i]);
        assertThat(d.fellBack(i)).as("%s row %d", name, i).isEqualTo(!preferredAvailable);
        if (preferredAvailable) {
          assertThat(c).isEqualTo(free[i]);
        } else {
          fallbacks++;
          if (policy.rule() == DecisionRules.argmax()) {
            for (int j = 0; j < a; j++) {
              if (av.available(i, j)) {
                assertThat(d.score(i, c)).isGreaterThanOrEqualTo(d.score(i, j));
              }
            }
          }
          assertThat(d.get(i).reason(policy.agents().get(free[i]).name()))
              .isEqualTo(Decision.Reason.UNAVAILABLE);
        }
      }
    }
    assertThat(fallbacks).isPositive();
    // A case with no agent available cannot be decided; the message names the row (from 1).
    boolean[] mask = new boolean[n * a];
    Arrays.fill(mask, true);
    Arrays.fill(mask, 2 * a, 3 * a, false);
    assertThatThrownBy(() -> policy.decide(t, Availability.of(policy.agents(), mask)))
        .hasMessageContaining("row 3: no agent is available");
  }

  /** The avail.* columns of a cases table are the default availability. */
  @Test
  void theCasesTablesAvailColumnsAreHonoured() {
    int n = DISCRETE_TABLE.rows();
    boolean[] e2 = new boolean[n];
    for (int i = 0; i < n; i++) {
      e2[i] = i % 3 != 0;
    }
    DeferralTable t =
        DeferralTable.builder("avail.csv", n)
            .features(DISCRETE_TABLE.featureNames(), DISCRETE_TABLE.featureBlock().clone())
            .availability("e2", e2)
            .build();
    Decisions d = CE.decide(t);
    for (int i = 0; i < n; i += 3) {
      assertThat(d.agent(i)).isNotEqualTo(2);
    }
    assertThat(d).isEqualTo(CE.decide(t, Availability.fromTable(CE.agents(), t)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void decisionsAreIdenticalFromEightThreads(String name, LearnedPolicy policy, DeferralTable t)
      throws Exception {
    Availability av = randomAvailability(policy.agents(), t.rows(), new SplittableRandom(5));
    Decisions expected = policy.decide(t, av);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int worker = k;
        Callable<Boolean> job =
            () -> {
              start.await();
              for (int rep = 0; rep < 3; rep++) {
                if (!policy.decide(t, av).equals(expected)) {
                  return false;
                }
                // Half of the workers also take the single-case path, which uses per-thread
                // buffers.
                if (worker % 2 == 0) {
                  for (int i = 0; i < t.rows(); i++) {
                    Decision s =
                        policy.decide(caseOf(policy, t, i, expected.id(i)), av.availableNames(i));
                    if (!s.agent().equals(expected.get(i).agent())
                        || !s.reasons().equals(expected.get(i).reasons())) {
                      return false;
                    }
                  }
                }
              }
              return true;
            };
        results.add(pool.submit(job));
      }
      start.countDown();
      for (Future<Boolean> f : results) {
        assertThat(f.get(120, TimeUnit.SECONDS)).as(name).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A policy never reads outcomes: the same cases with the labels and the experts' answers removed
   * (and for two-stage, the frozen model's answers, keeping its probabilities, an input) give
   * identical decisions.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void decisionsDependOnlyOnTheCases(String name, LearnedPolicy policy, DeferralTable t) {
    DeferralTable cases = casesOnly(policy.task(), t);
    assertThat(cases.hasLabels()).isFalse();
    assertThat(cases.agents().keySet())
        .doesNotContainAnyElementsOf(
            List.of(policy.agents().names()).subList(1, policy.agents().size()));
    Availability av = randomAvailability(policy.agents(), t.rows(), new SplittableRandom(8));
    assertThat(policy.decide(cases, av)).isEqualTo(policy.decide(t, av));
    assertThat(policy.decide(cases)).isEqualTo(policy.decide(t));
    assertThat(policy.agentScores(cases)).containsExactly(policy.agentScores(t));
  }

  /**
   * Evaluation decides under the availability the table records and allocates exactly as the
   * policy's decisions: here e1 is unobserved on every fourth row, so it is unavailable there.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void evaluationAllocatesAsThePolicyDecides(String name, LearnedPolicy policy, DeferralTable t) {
    int n = t.rows();
    int[] answers = t.agent("e1").predictedClasses();
    for (int i = 0; i < n; i += 4) {
      answers[i] = AgentColumns.UNOBSERVED;
    }
    DeferralTable sparse = t.withAgent("e1", new AgentColumns(n, answers, null, null, 0, null));
    TaskSpec task = policy.task();
    Evaluation e = Evaluation.of(policy, task, sparse);
    Decisions direct = policy.decide(sparse, Availability.observed(task, sparse));
    assertThat(e.decisions()).isEqualTo(direct);
    int a = policy.agents().size();
    double[] share = new double[a];
    for (int i = 0; i < n; i++) {
      share[direct.agent(i)] += 1.0 / n;
      if (i % 4 == 0) {
        assertThat(direct.agent(i)).isNotEqualTo(1);
        assertThat(e.costs().available(i, 1)).isFalse();
      }
    }
    DeferralReport r = e.report();
    assertThat(r.n()).isEqualTo(n);
    for (int j = 0; j < a; j++) {
      assertThat(r.allocation().get(policy.agents().get(j).name()))
          .as("%s share of %s", name, policy.agents().get(j).name())
          .isCloseTo(share[j], within(1e-12));
    }
    assertThat(r.coverage()).isCloseTo(share[0], within(1e-12));
    assertThat(r.fallbackCount()).isEqualTo(direct.fallbackCount());
  }

  /**
   * ova's expected costs are α_j(1 − σ(score)) + β_j with the task's weights: α = 1 (unit error
   * weights), β = 0 (LinearDeferralProblem's expert has no fee); so E[c] = 1 − σ(agent score).
   * Heads without calibrated estimates give NaN.
   */
  @Test
  void expectedCostsFollowTheHead() {
    Decisions d = OVA.decide(LINEAR_TABLE);
    assertThat(d.hasExpectedCosts()).isTrue();
    for (int i = 0; i < 50; i++) {
      for (int j = 0; j < 2; j++) {
        assertThat(d.expectedCost(i, j))
            .isCloseTo(1 - StableMath.sigmoid(d.score(i, j)), within(1e-15));
      }
    }
    assertThat(CE.decide(DISCRETE_TABLE).hasExpectedCosts()).isFalse();
    assertThat(CE.decide(DISCRETE.sample(1, new SplittableRandom(0))).get(0).expectedCost("e1"))
        .isNaN();
  }

  /** The margins are what a threshold rule compares with θ. */
  @Test
  void marginsDriveTheThresholdRule() {
    Availability av =
        randomAvailability(CE.agents(), DISCRETE_TABLE.rows(), new SplittableRandom(4));
    double theta = 0.3;
    LearnedPolicy thresholded = CE.withRule(DecisionRules.threshold(theta));
    Decisions d = thresholded.decide(DISCRETE_TABLE, av);
    double[] m = thresholded.margins(DISCRETE_TABLE, av);
    assertThat(LearnedPolicy.margins(d)).containsExactly(m);
    for (int i = 0; i < m.length; i++) {
      assertThat(d.agent(i) != 0).as("row %d, margin %s", i, m[i]).isEqualTo(m[i] > theta);
    }
    // The argmax policy's margins are the same scores read the same way.
    assertThat(CE.margins(DISCRETE_TABLE, av)).containsExactly(m);
    assertThatThrownBy(() -> LearnedPolicy.margins(Decisions.of(new int[] {0})))
        .hasMessageContaining("margins need decisions with scores");
    // The router score of expert j is s_j − s_0, availability ignored.
    double[] s = CE.agentScores(DISCRETE_TABLE);
    double[] r = RouterScores.of(CE, DISCRETE_TABLE, 2);
    for (int i = 0; i < r.length; i++) {
      assertThat(r[i]).isEqualTo(s[i * 4 + 2] - s[i * 4]);
    }
  }

  /**
   * A one-stage policy's answer is the argmax of its learned class scores, and the model's agent
   * score is that top class score (ScoreHead.CLASS_MAX); two-stage policies have no answer of their
   * own.
   */
  @Test
  void oneStagePoliciesAnswerAsTheModel() {
    assertThat(CE.learnsModel()).isTrue();
    assertThat(SCORE_BASED.learnsModel()).isFalse();
    Decisions d = CE.decide(DISCRETE_TABLE);
    assertThat(d.hasModelOutputs()).isTrue();
    assertThat(SCORE_BASED.decide(CONFIDENCE_TABLE).hasModelOutputs()).isFalse();
    assertThat(SCORE_BASED.decide(CONFIDENCE_TABLE).predictedClass(0)).isEqualTo(-1);
    Scorer scorer = CE.scorer();
    double[] x = CE.features().transform(DISCRETE_TABLE);
    double[] raw = new double[scorer.outputDim()];
    int d0 = CE.features().dimension();
    for (int i = 0; i < 50; i++) {
      scorer.forward(x, i * d0, raw, scorer.newWorkspace());
      int best = 0;
      for (int k = 1; k < 3; k++) {
        if (raw[k] > raw[best]) {
          best = k;
        }
      }
      assertThat(d.predictedClass(i)).isEqualTo(best);
      assertThat(d.score(i, 0))
          .isCloseTo(raw[best], within(TOL * Math.max(1, Math.abs(raw[best]))));
      assertThat(d.modelOutputs().predictedClass(i)).isEqualTo(best);
    }
  }

  @Test
  void nameRuleAndProvenance() {
    assertThat(OVA.name()).isEqualTo("ova");
    assertThat(OVA.head()).isEqualTo(ScoreHead.ONE_VS_ALL);
    assertThat(OVA.rule()).isSameAs(DecisionRules.argmax());
    assertThat(OVA.provenance().method()).isEqualTo("ova");
    assertThat(OVA.provenance().algorithm()).isEqualTo("adam");
    assertThat(OVA.provenance().seed()).isEqualTo(5L);
    assertThat(OVA.provenance().trainRows()).isEqualTo(600);
    assertThat(OVA.provenance().options()).containsEntry("standardize", "true");
    assertThat(OVA.features().standardization()).isNotNull();
    LearnedPolicy renamed = OVA.withName("triage-v2");
    assertThat(renamed.name()).isEqualTo("triage-v2");
    assertThat(renamed.decide(LINEAR_TABLE)).isEqualTo(OVA.decide(LINEAR_TABLE));
    assertThatThrownBy(() -> OVA.withName(" ")).hasMessageContaining("must not be blank");
    LearnedPolicy tagged = OVA.withProvenance(OVA.provenance().withMetrics(Map.of("x", 1.0)));
    assertThat(tagged.provenance().metrics()).containsEntry("x", 1.0);
    assertThat(OVA.toString()).contains("ova").contains("one-vs-all").contains("argmax");
    // The scorer is copied out: changing the copy does not change the policy.
    Scorer copy = OVA.scorer();
    Arrays.fill(copy.parameters(), 0.0);
    assertThat(OVA.scorer().parameters()).isNotEqualTo(copy.parameters());
  }

  @Test
  void inputsAndAvailabilityAreChecked() {
    Map<String, Object> one = caseOf(OVA, LINEAR_TABLE, 0, "7");
    assertThat(OVA.decide(one).id()).isEqualTo("7");
    assertThatThrownBy(() -> OVA.decide(one, List.of("zed")))
        .hasMessageContaining("'zed' is not an agent");
    assertThatThrownBy(() -> OVA.decide(one, List.of()))
        .hasMessageContaining("no agent is available");
    Map<String, Object> missing = new HashMap<>(one);
    missing.remove("x0");
    missing.remove("x.x0");
    assertThatThrownBy(() -> OVA.decide(missing)).hasMessageContaining("missing feature 'x0'");
    DeferralTable noX =
        DeferralTable.builder("cases.csv", 1).features(List.of("x1"), new double[] {0}).build();
    assertThatThrownBy(() -> OVA.decide(noX)).hasMessageContaining("missing feature columns x.x0");
    assertThatThrownBy(() -> OVA.decide(LINEAR_TABLE, Availability.all(OVA.agents(), 3)))
        .hasMessageContaining("availability rows");
    assertThatThrownBy(
            () -> OVA.decide(LINEAR_TABLE, Availability.all(CE.agents(), LINEAR_TABLE.rows())))
        .hasMessageContaining("availability is over agents");
    // 2s-sb reads the confidence from the case.
    Map<String, Object> noProb = caseOf(SCORE_BASED, CONFIDENCE_TABLE, 0, "1");
    noProb.remove("m.net.p.b");
    assertThatThrownBy(() -> SCORE_BASED.decide(noProb)).hasMessageContaining("m.net.p.b");
  }

  /** A one-stage head cannot route around a frozen model, nor a confidence head without one. */
  @Test
  void headsMustFitTheTask() {
    Scorer s = Scorers.create(ScorerSpec.linear(2, 3), new SplittableRandom(1));
    FeaturePipeline p = FeaturePipeline.of(List.of("x0", "x1"), List.of());
    TaskSpec oneStage =
        TaskSpec.classification(List.of("a", "b"), null, List.of(Agent.expert("e1", 0)));
    TaskSpec twoStage =
        TaskSpec.classification(List.of("a", "b"), "net", List.of(Agent.expert("e1", 0)));
    assertThatThrownBy(
            () ->
                new LearnedPolicy(
                    twoStage,
                    p,
                    s,
                    ScoreHead.CLASS_MAX,
                    DecisionRules.argmax(),
                    Provenance.of("ce")))
        .hasMessageContaining("cannot route around the frozen model");
    Scorer agents = Scorers.create(ScorerSpec.linear(2, 2), new SplittableRandom(1));
    assertThatThrownBy(
            () ->
                new LearnedPolicy(
                    oneStage,
                    p,
                    agents,
                    ScoreHead.MODEL_CONFIDENCE,
                    DecisionRules.argmax(),
                    Provenance.of("2s-sb")))
        .hasMessageContaining("reads the frozen model's confidence");
    assertThatThrownBy(
            () ->
                new LearnedPolicy(
                    oneStage,
                    p,
                    agents,
                    ScoreHead.CLASS_MAX,
                    DecisionRules.argmax(),
                    Provenance.of("ce")))
        .hasMessageContaining("scorer outputs");
  }

  // --- The frozen model's outputs as two-stage inputs (formerly FrozenModelInputsTest) ---

  /**
   * 2s-sb: agent score 0 of the fitted policy is max_k p_net(k | x) from the cases, and the
   * scorer's own output 0 never moved from its initialisation (it got no gradient).
   */
  @Test
  void scoreBasedTwoStageReadsTheModelConfidenceAndLearnsOnlyTheExperts() {
    DeferralTable train = confidenceTable(400, new SplittableRandom(1));
    LearnedPolicy m =
        new DeferralTrainer(
                Surrogates.twoStageScoreBased(), DeferralTrainer.linear(0), LBFGS, false)
            .fit(TWO_STAGE, train, null, TrainingListener.NONE);
    assertThat(m.head()).isEqualTo(ScoreHead.MODEL_CONFIDENCE);
    double[] s = m.agentScores(train);
    AgentColumns net = train.agent("net");
    for (int i = 0; i < train.rows(); i++) {
      assertThat(s[3 * i]).isEqualTo(net.maxProbability(i));
    }
    assertThat(m.confidence(train)).containsExactly(netConfidence(train));
    // The trainer initialises with new SplittableRandom(seed).split() (DeferralTrainer.fit); the
    // scorer reads the pipeline's (standardised) inputs.
    Scorer init =
        Scorers.create(ScorerSpec.linear(2, 3), new SplittableRandom(LBFGS.seed()).split());
    Scorer fitted = m.scorer();
    double[] x = m.features().transform(train);
    double[] a = new double[3];
    double[] b = new double[3];
    for (int i = 0; i < 20; i++) {
      init.forward(x, 2 * i, a, init.newWorkspace());
      fitted.forward(x, 2 * i, b, fitted.newWorkspace());
      assertThat(b[0]).isEqualTo(a[0]);
      assertThat(b[1]).isNotEqualTo(a[1]);
    }
  }

  private static double[] netConfidence(DeferralTable t) {
    return ModelProbabilities.confidence(t, "net", 2);
  }

  @Test
  void scoreBasedTwoStageNeedsProbabilities() {
    DeferralTable t = confidenceTable(50, new SplittableRandom(2));
    DeferralTable noProb =
        t.withAgent(
            "net", new AgentColumns(50, t.agent("net").predictedClasses(), null, null, 0, null));
    assertThatThrownBy(
            () ->
                new DeferralTrainer(
                        Surrogates.twoStageScoreBased(), DeferralTrainer.linear(0), LBFGS, false)
                    .fit(TWO_STAGE, noProb, null, TrainingListener.NONE))
        .hasMessageContaining("m.net.p.<class>");
    // A fitted 2s-sb policy refuses cases without them too.
    assertThatThrownBy(() -> SCORE_BASED.decide(noProb)).hasMessageContaining("m.net.p.<class>");
  }

  /**
   * With x pure noise, a rejector that also reads the model's probabilities can apply the Bayes
   * rule (keep iff p ≥ 0.75, see {@link #confidenceTable}); one that reads x alone can only pick
   * one agent for every row. Expected test costs: Bayes ≈ E[min(1 − p, 0.25, 0.3)] = 0.1875 (p ~
   * U[0.5, 1]: 1 − p averaged over p ≥ 0.75 is 0.125, else 0.25); the best constant agent costs
   * 0.25. We require the probability-input rejector below 0.21 and below the x-only one by 0.02.
   */
  @Test
  void probabilityInputsLetTheRejectorUseTheModelConfidence() {
    DeferralTable train = confidenceTable(3000, new SplittableRandom(4));
    DeferralTable test = confidenceTable(3000, new SplittableRandom(5));
    DeferralTrainer plain =
        new DeferralTrainer(
            Surrogates.complementaryCost(1),
            DeferralTrainer.mlp(List.of(8), Activation.TANH, 0),
            LBFGS.withEpochs(200),
            false);
    LearnedPolicy withProb =
        plain.withModelProbabilities().fit(TWO_STAGE, train, null, TrainingListener.NONE);
    LearnedPolicy without = plain.fit(TWO_STAGE, train, null, TrainingListener.NONE);
    assertThat(withProb.features().names()).containsExactly("x0", "x1", "net.p.a", "net.p.b");
    assertThat(without.features().names()).containsExactly("x0", "x1");
    assertThat(withProb.provenance().options()).containsEntry("model_probabilities", "true");
    // The policy reads the probabilities from the cases itself; the test table's features are x.
    double costWith = Evaluation.of(withProb, TWO_STAGE, test).report().meanCost();
    double costWithout = Evaluation.of(without, TWO_STAGE, test).report().meanCost();
    assertThat(costWith).isLessThan(0.21);
    assertThat(costWith).isLessThan(costWithout - 0.02);
    assertThat(costWithout).isCloseTo(0.25, within(0.03));
    // Batch and single case agree with the probability inputs too.
    Decisions d = withProb.decide(test);
    for (int i = 0; i < 200; i++) {
      assertSameDecision(withProb.decide(caseOf(withProb, test, i, d.id(i))), d.get(i), "row " + i);
    }
  }
}
