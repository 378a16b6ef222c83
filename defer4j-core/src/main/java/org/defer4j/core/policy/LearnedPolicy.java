package org.defer4j.core.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * What training produces: a feature pipeline, a scorer and a decision rule, applied to cases whose
 * outcome is unknown (DESIGN.md §3, the decision contract).
 *
 * <pre>
 *   case ──► {@link FeaturePipeline} ──► {@link Scorer} ──► {@link ScoreHead} (agent scores)
 *        ──► {@link DecisionRule} over the available agents ──► {@link Decision}
 * </pre>
 *
 * The head is chosen from the training surrogate, so the argmax rule over the agent scores is the
 * surrogate's own routing rule; a threshold rule replaces it when the rejection margin was tuned.
 * One-stage policies also answer as the model: their decisions carry the learned classifier's (or
 * regressor's) prediction, which evaluation turns into the model's cost.
 *
 * <p>Immutable and thread-safe: the scorer is copied in and only read; every call uses its own
 * buffers (a thread-local workspace for single cases).
 */
public final class LearnedPolicy implements DeferralPolicy {
  private final String name;
  private final TaskSpec task;
  private final FeaturePipeline features;
  private final Scorer scorer;
  private final ScoreHead head;
  private final DecisionRule rule;
  private final Provenance provenance;
  private final CommitteeRule committee;
  private final AgentSet agents;
  private final List<String> agentNames;
  private final int classes;
  private final boolean estimatesCosts;
  private final double[] alpha;
  private final double[] fee;
  private final ThreadLocal<Single> single;

  /**
   * @param task the task the policy was trained for
   * @param features the feature pipeline (its dimension is the scorer's input)
   * @param scorer the fitted scorer (copied)
   * @param head how raw scores become agent scores
   * @param rule the decision rule over agent scores
   * @param provenance how the policy was made
   * @throws IllegalArgumentException when the shapes disagree or the head does not fit the task
   */
  public LearnedPolicy(
      TaskSpec task,
      FeaturePipeline features,
      Scorer scorer,
      ScoreHead head,
      DecisionRule rule,
      Provenance provenance) {
    this(provenance.method(), task, features, scorer, head, rule, provenance, null);
  }

  private LearnedPolicy(
      String name,
      TaskSpec task,
      FeaturePipeline features,
      Scorer scorer,
      ScoreHead head,
      DecisionRule rule,
      Provenance provenance,
      CommitteeRule committee) {
    this.name = name;
    this.task = task;
    this.features = features;
    this.scorer = scorer.copy();
    this.head = head;
    this.rule = rule;
    this.provenance = provenance;
    this.committee = committee;
    this.agents = task.agents();
    this.agentNames = List.of(agents.names());
    this.classes = task.classCount();
    Checks.checkDimension("scorer inputs", scorer.inputDim(), features.dimension());
    Checks.checkDimension(
        "scorer outputs for " + head.spec(),
        scorer.outputDim(),
        head.layout().scoreCount(classes, agents.expertCount()));
    if (head.predictsClass() && task.hasFrozenModel()) {
      throw new IllegalArgumentException(
          "a one-stage head (" + head.spec() + ") cannot route around the frozen model");
    }
    if (head.readsModelConfidence() && !task.hasFrozenModel()) {
      throw new IllegalArgumentException(
          "head " + head.spec() + " reads the frozen model's confidence; the task names none");
    }
    this.estimatesCosts = head.estimatesCosts(task.kind() == TaskKind.CLASSIFICATION);
    this.alpha = new double[agents.size()];
    this.fee = agents.fees();
    for (int j = 0; j < alpha.length; j++) {
      alpha[j] = agents.get(j).alpha() * task.cost().classification();
    }
    this.single = ThreadLocal.withInitial(() -> new Single(this));
  }

  @Override
  public String name() {
    return name;
  }

  /** The task. */
  public TaskSpec task() {
    return task;
  }

  /** The feature pipeline. */
  public FeaturePipeline features() {
    return features;
  }

  /** A copy of the scorer. */
  public Scorer scorer() {
    return scorer.copy();
  }

  /** The score head. */
  public ScoreHead head() {
    return head;
  }

  /** The decision rule. */
  public DecisionRule rule() {
    return rule;
  }

  /** How the policy was made. */
  public Provenance provenance() {
    return provenance;
  }

  /** The agents, in index order. */
  public AgentSet agents() {
    return agents;
  }

  /** This policy with another decision rule. */
  public LearnedPolicy withRule(DecisionRule r) {
    return new LearnedPolicy(name, task, features, scorer, head, r, provenance, committee);
  }

  /** The committee rule, or null when the policy chooses one agent per case. */
  public CommitteeRule committee() {
    return committee;
  }

  /**
   * This policy forming committees by {@code c} ({@link CommitteeRule}), or choosing one agent
   * again when {@code c} is null.
   *
   * @throws IllegalArgumentException when the policy's rule is not argmax, or an adaptive rule's
   *     cardinality model does not read this policy's inputs
   */
  public LearnedPolicy withCommittee(CommitteeRule c) {
    if (c != null) {
      if (!rule.spec().equals(DecisionRules.argmax().spec())) {
        throw new IllegalArgumentException(
            "committees rank the agents' scores, so they need the argmax rule; policy "
                + name
                + " decides by "
                + rule.spec());
      }
      if (c.adaptive()) {
        Checks.checkDimension(
            "cardinality model inputs", c.cardinality().view().inputDim(), features.dimension());
      }
    }
    return new LearnedPolicy(name, task, features, scorer, head, rule, provenance, c);
  }

  /**
   * Whether committee members are the K class entities and the J experts (one-stage heads whose raw
   * scores rank classes and experts on one scale) rather than the A agents.
   */
  public boolean committeesOverClasses() {
    return head == ScoreHead.CLASS_MAX || head == ScoreHead.ONE_VS_ALL;
  }

  /** This policy with another provenance. */
  public LearnedPolicy withProvenance(Provenance p) {
    return new LearnedPolicy(name, task, features, scorer, head, rule, p, committee);
  }

  /**
   * This policy reading its inputs through another pipeline of the same dimension (a trainer that
   * fitted the scorer on already transformed inputs attaches the pipeline that made them).
   */
  public LearnedPolicy withFeatures(FeaturePipeline f) {
    return new LearnedPolicy(name, task, f, scorer, head, rule, provenance, committee);
  }

  /** This policy under another name in reports. */
  public LearnedPolicy withName(String n) {
    if (n == null || n.isBlank()) {
      throw new IllegalArgumentException("a policy name must not be blank");
    }
    return new LearnedPolicy(n, task, features, scorer, head, rule, provenance, committee);
  }

  /** Whether the policy answers as the model itself (one-stage). */
  public boolean learnsModel() {
    return head.predictsClass() || head.predictsValue();
  }

  @Override
  public Decisions decide(DeferralTable cases, Availability availability) {
    checkAvailability(cases.rows(), availability);
    String[] groups = null;
    if (rule instanceof GroupRule) {
      if (!cases.hasGroups()) {
        throw new IllegalArgumentException(
            cases.source()
                + ": decision rule "
                + rule.spec()
                + " reads each case's group, but the table has no 'group' column");
      }
      groups = new String[cases.rows()];
      for (int i = 0; i < groups.length; i++) {
        groups[i] = cases.group(i);
      }
    }
    return decideInputs(
        features.transform(cases),
        confidence(cases),
        availability,
        ids(cases),
        cases.source(),
        groups);
  }

  /** {@link #decide(DeferralTable, Availability)} with every agent available. */
  public Decisions decide(DeferralTable cases) {
    return decide(cases, Availability.fromTable(agents, cases));
  }

  /**
   * Decides cases whose inputs already went through {@link #features()} (training loops reuse one
   * transformed block for every epoch).
   *
   * @param inputs row-major n × d scorer inputs
   * @param confidence the frozen model's confidence per case, read by heads that need it (may be
   *     null otherwise)
   * @param availability which agents may be asked
   * @param ids case ids, or null
   * @param source the table's name for messages
   */
  public Decisions decideInputs(
      double[] inputs,
      double[] confidence,
      Availability availability,
      String[] ids,
      String source) {
    return decideInputs(inputs, confidence, availability, ids, source, null);
  }

  /**
   * As {@link #decideInputs(double[], double[], Availability, String[], String)}, with each case's
   * group for a {@link GroupRule} (null: none).
   */
  public Decisions decideInputs(
      double[] inputs,
      double[] confidence,
      Availability availability,
      String[] ids,
      String source,
      String[] groups) {
    GroupRule grouped = groups != null && rule instanceof GroupRule g ? g : null;
    int n = availability.rows();
    int d = features.dimension();
    Checks.checkDimension("inputs", inputs.length, n * d);
    int a = agents.size();
    int width = scorer.outputDim();
    double[] raw = new double[n * width];
    scorer.scoreRows(inputs, 0, n, raw, scorer.newWorkspace());
    // Heads that pass the raw scores through use them as the agent scores (no copy).
    boolean passThrough = (head == ScoreHead.AGENTS || head == ScoreHead.PLUGIN) && width == a;
    double[] scores = passThrough ? raw : new double[n * a];
    int[] chosen = new int[n];
    boolean[] fallback = new boolean[n];
    boolean[] mask = availability.cells();
    boolean[] all = new boolean[a];
    Arrays.fill(all, true);
    boolean conf = head.readsModelConfidence();
    for (int i = 0; i < n; i++) {
      int s = i * a;
      if (!passThrough) {
        head.agentScores(raw, i * width, classes, conf ? confidence[i] : 0.0, scores, s, a);
      }
      int c =
          grouped != null
              ? grouped.chooseInGroup(scores, s, mask, s, a, groups[i])
              : rule.choose(scores, s, mask, s, a);
      if (c < 0) {
        throw new IllegalArgumentException(
            source + ": row " + (i + 1) + ": no agent is available, so the case cannot be decided");
      }
      chosen[i] = c;
      // The unconstrained choice differs from c only where some agent is unavailable.
      boolean full = true;
      for (int j = 0; j < a && full; j++) {
        full = mask[s + j];
      }
      fallback[i] =
          !full
              && c
                  != (grouped != null
                      ? grouped.chooseInGroup(scores, s, all, 0, a, groups[i])
                      : rule.choose(scores, s, all, 0, a));
    }
    Decisions.Builder b =
        Decisions.builder(agents, chosen)
            .adopt()
            .fallback(fallback)
            .scores(scores)
            .availability(availability)
            .ids(ids);
    if (head.predictsClass()) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = head.predictedClass(raw, i * width, classes);
      }
      b.predictedClass(p);
    } else if (head.predictsValue()) {
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = head.predictedValue(raw, i * width);
      }
      b.predictedValue(p);
    }
    if (estimatesCosts) {
      double[] e = new double[n * a];
      for (int i = 0; i < n; i++) {
        head.expectedCosts(raw, i * width, classes, alpha, fee, e, i * a);
      }
      b.expectedCosts(e);
    }
    if (committee != null) {
      b.committees(committees(inputs, raw, scores, mask, n));
    }
    return b.build();
  }

  /**
   * The committees of a batch: per case the k best-scored available entities (see {@link
   * CommitteeRule}), k fixed or 1 + argmax of the cardinality model, never more than are available.
   */
  private Committees committees(
      double[] inputs, double[] raw, double[] scores, boolean[] mask, int n) {
    int a = agents.size();
    int width = scorer.outputDim();
    boolean overClasses = committeesOverClasses();
    int entities = overClasses ? classes + a - 1 : a;
    int[] sizes = new int[n];
    if (committee.adaptive()) {
      Scorer q = committee.cardinality().view();
      int kmax = q.outputDim();
      double[] card = new double[n * kmax];
      q.scoreRows(inputs, 0, n, card, q.newWorkspace());
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < kmax; k++) {
          if (card[i * kmax + k] > card[i * kmax + best]) {
            best = k;
          }
        }
        sizes[i] = best + 1;
      }
    } else {
      Arrays.fill(sizes, committee.k());
    }
    int[] offsets = new int[n + 1];
    boolean[] free = new boolean[entities];
    double[] es = new double[entities];
    int[] agentOf = new int[entities];
    int[] voteOf = new int[entities];
    for (int e = 0; e < entities; e++) {
      boolean cls = overClasses && e < classes;
      agentOf[e] = cls ? 0 : overClasses ? e - classes + 1 : e;
      voteOf[e] = cls ? e : -1;
    }
    int total = 0;
    for (int i = 0; i < n; i++) {
      int available = 0;
      for (int e = 0; e < entities; e++) {
        available += mask[i * a + agentOf[e]] ? 1 : 0;
      }
      sizes[i] = Math.min(sizes[i], available);
      total += sizes[i];
      offsets[i + 1] = total;
    }
    int[] memberAgent = new int[total];
    int[] memberVote = new int[total];
    double[] memberScore = new double[total];
    boolean modelVotes = !overClasses && head.predictsClass();
    for (int i = 0; i < n; i++) {
      for (int e = 0; e < entities; e++) {
        free[e] = mask[i * a + agentOf[e]];
        es[e] = overClasses ? raw[i * width + e] : scores[i * a + e];
      }
      for (int m = offsets[i]; m < offsets[i + 1]; m++) {
        int best = -1;
        for (int e = 0; e < entities; e++) {
          if (free[e] && (best < 0 || es[e] > es[best])) {
            best = e;
          }
        }
        free[best] = false;
        memberAgent[m] = agentOf[best];
        memberVote[m] =
            modelVotes && agentOf[best] == 0
                ? head.predictedClass(raw, i * width, classes)
                : voteOf[best];
        memberScore[m] = es[best];
      }
    }
    return Committees.adopt(offsets, memberAgent, memberVote, memberScore, committee.aggregator());
  }

  /**
   * The decision for one case given by name (see {@link FeaturePipeline#transform(Map)} for the
   * keys), every agent available.
   */
  public Decision decide(Map<String, ?> features) {
    return decide(features, null);
  }

  /**
   * The decision for one case given by name, among the named available agents.
   *
   * @param features the case's inputs by name
   * @param available the agents that may be asked now, or null for all
   * @throws IllegalArgumentException naming a missing input or an unknown agent, or when no agent
   *     is available
   */
  public Decision decide(Map<String, ?> features, Collection<String> available) {
    Single s = single.get();
    int a = agents.size();
    if (available == null) {
      Arrays.fill(s.mask, true);
    } else {
      Arrays.fill(s.mask, false);
      for (String name : available) {
        s.mask[Availability.indexOf(agents, name, "available agents")] = true;
      }
    }
    this.features.transform(features, s.x);
    if (committee != null) {
      // Committees take the batch path with one row (the cardinality model, the entity ranking).
      double[] conf =
          head.readsModelConfidence()
              ? new double[] {ModelProbabilities.confidence(features, task.model(), task.classes())}
              : null;
      Object id = features.get("id");
      return decideInputs(
              s.x.clone(),
              conf,
              Availability.of(agents, s.mask.clone()),
              new String[] {id == null ? "1" : id.toString()},
              "case")
          .get(0);
    }
    scorer.forward(s.x, 0, s.raw, s.ws);
    double conf =
        head.readsModelConfidence()
            ? ModelProbabilities.confidence(features, task.model(), task.classes())
            : 0.0;
    head.agentScores(s.raw, 0, classes, conf, s.scores, 0, a);
    int c = rule.choose(s.scores, 0, s.mask, 0, a);
    if (c < 0) {
      throw new IllegalArgumentException("no agent is available, so the case cannot be decided");
    }
    boolean fell = c != rule.choose(s.scores, 0, s.all, 0, a);
    Decision.Reason[] reasons = new Decision.Reason[a];
    for (int j = 0; j < a; j++) {
      reasons[j] =
          j == c
              ? Decision.Reason.CHOSEN
              : !s.mask[j]
                  ? Decision.Reason.UNAVAILABLE
                  : s.scores[j] > s.scores[c] ? Decision.Reason.RULE : Decision.Reason.LOWER_SCORE;
    }
    double[] expected = new double[a];
    if (estimatesCosts) {
      head.expectedCosts(s.raw, 0, classes, alpha, fee, expected, 0);
    } else {
      Arrays.fill(expected, Double.NaN);
    }
    Object id = features.get("id");
    return new Decision(
        id == null ? "1" : id.toString(),
        Decision.Kind.AGENT,
        List.of(agentNames.get(c)),
        agentNames,
        s.scores,
        expected,
        Arrays.asList(reasons),
        fell,
        head.predictsClass() ? head.predictedClass(s.raw, 0, classes) : -1,
        head.predictsValue() ? head.predictedValue(s.raw, 0) : Double.NaN);
  }

  /** The agent scores of every case, row-major n × A. */
  public double[] agentScores(DeferralTable cases) {
    return scoresOf(decide(cases, Availability.all(agents, cases.rows())));
  }

  /**
   * The rejection margin of every case: the best available expert's agent score minus the model's
   * (−∞ where no expert is available, +∞ where the model is not). A threshold rule defers iff it
   * exceeds θ; sweeping θ traces the policy's accuracy–coverage curve.
   */
  public double[] margins(DeferralTable cases, Availability availability) {
    return margins(decide(cases, availability));
  }

  /** The rejection margins of decisions made by a learned policy (see {@link #margins}). */
  public static double[] margins(Decisions decisions) {
    if (!decisions.hasScores() || decisions.availability() == null) {
      throw new IllegalArgumentException("margins need decisions with scores and availability");
    }
    int n = decisions.rows();
    int a = decisions.agentSet().size();
    double[] s = new double[a];
    boolean[] m = new boolean[a];
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        s[j] = decisions.score(i, j);
        m[j] = decisions.availability().available(i, j);
      }
      out[i] = DecisionRules.margin(s, 0, m, 0, a);
    }
    return out;
  }

  private static double[] scoresOf(Decisions d) {
    int n = d.rows();
    int a = d.agentSet().size();
    double[] out = new double[n * a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        out[i * a + j] = d.score(i, j);
      }
    }
    return out;
  }

  /**
   * The learned classifier's class probabilities of every case: the softmax p(k | x) = e^{s_k} /
   * Σ_{k'} e^{s_k'} of the K class scores s_0..s_{K−1} of a one-stage head, row-major n × K (a new
   * array; rows sum to 1). Its largest entry is the classifier's confidence, read for instance by
   * the compare-confidence baseline ({@link ModelConfidence#classifier}). For heads whose class
   * scores are one-vs-all logits (one-vs-all, Verma &amp; Nalisnick 2022) this is the softmax of
   * those logits, a normalised score with the same argmax, not the sigmoid σ(s_k) the surrogate
   * calibrates.
   *
   * @param cases the cases (the inputs the pipeline reads)
   * @throws IllegalStateException when the head does not learn a classifier ({@link
   *     ScoreHead#predictsClass()} is false: two-stage and regression heads)
   * @throws IllegalArgumentException when the cases lack an input
   */
  public double[] classProbabilities(DeferralTable cases) {
    if (!head.predictsClass()) {
      throw new IllegalStateException(
          "policy "
              + name
              + " (head "
              + head.spec()
              + ") learns no classifier, so it has no class"
              + " probabilities");
    }
    int n = cases.rows();
    int width = scorer.outputDim();
    double[] raw = new double[n * width];
    scorer.scoreRows(features.transform(cases), 0, n, raw, scorer.newWorkspace());
    double[] out = new double[n * classes];
    for (int i = 0; i < n; i++) {
      int off = i * width;
      double lse = StableMath.logSumExp(raw, off, off + classes);
      for (int k = 0; k < classes; k++) {
        out[i * classes + k] = Math.exp(raw[off + k] - lse);
      }
    }
    return out;
  }

  /** The frozen model's confidence per case when the head reads it, else null. */
  public double[] confidence(DeferralTable cases) {
    return head.readsModelConfidence()
        ? ModelProbabilities.confidence(cases, task.model(), classes)
        : null;
  }

  private void checkAvailability(int rows, Availability availability) {
    Checks.checkDimension("availability rows", availability.rows(), rows);
    if (!Arrays.equals(availability.agents().names(), agents.names())) {
      throw new IllegalArgumentException(
          "availability is over agents "
              + availability.agents()
              + ", the policy decides among "
              + agents);
    }
  }

  private static String[] ids(DeferralTable cases) {
    if (!cases.hasIds()) {
      return null;
    }
    String[] out = new String[cases.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cases.id(i);
    }
    return out;
  }

  @Override
  public String toString() {
    return "LearnedPolicy["
        + name
        + ", "
        + features
        + ", "
        + head.spec()
        + ", "
        + rule.spec()
        + "]";
  }

  /** Per-thread buffers of the single-case path. */
  private static final class Single {
    final double[] x;
    final double[] raw;
    final double[] scores;
    final boolean[] mask;
    final boolean[] all;
    final Workspace ws;

    Single(LearnedPolicy p) {
      int a = p.agents.size();
      x = new double[p.features.dimension()];
      raw = new double[p.scorer.outputDim()];
      scores = new double[a];
      mask = new boolean[a];
      all = new boolean[a];
      Arrays.fill(all, true);
      ws = p.scorer.newWorkspace();
    }
  }
}
