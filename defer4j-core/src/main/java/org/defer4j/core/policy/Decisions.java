package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;

/**
 * The decisions for a batch of cases, stored by column so that millions of rows cost a few arrays:
 * the chosen agent of each case (0 is the model, 1..J the experts), whether the preferred agent was
 * unavailable (a fallback), and — when the policy has them — each agent's score and estimated
 * expected cost, the availability the policy was given, and the learned model's own answers
 * (one-stage policies). {@link #get(int)} gives one case as a {@link Decision}.
 *
 * <p><b>Fallback rule</b> (shared by every built-in policy): when the agent a policy prefers is
 * unavailable for a case, the case goes to the best-scored available agent, or — for policies
 * without scores — the first available agent in index order, so to the model whenever the model is
 * available. A case on which no agent is available cannot be decided and is an error.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class Decisions {
  private final AgentSet agents;
  private final int[] chosen;
  private final boolean[] fallback;
  private final int fallbackCount;
  private final double[] scores;
  private final double[] expectedCosts;
  private final Availability availability;
  private final int[] predictedClass;
  private final double[] predictedValue;
  private final String[] ids;
  private final Committees committees;

  private Decisions(Builder b) {
    this.agents = b.agents;
    this.chosen = b.adopted ? b.chosen : b.chosen.clone();
    int n = chosen.length;
    this.fallback =
        b.fallback == null ? new boolean[n] : b.adopted ? b.fallback : b.fallback.clone();
    Checks.checkDimension("fallback flags", fallback.length, n);
    int a = agents == null ? -1 : agents.size();
    this.scores = copyMatrix("scores", b.scores, n, a, b.adopted);
    this.expectedCosts = copyMatrix("expected costs", b.expectedCosts, n, a, b.adopted);
    this.availability = b.availability;
    if (availability != null) {
      Checks.checkDimension("availability rows", availability.rows(), n);
    }
    this.predictedClass = copy("predicted classes", b.predictedClass, n, b.adopted);
    this.predictedValue = copy("predicted values", b.predictedValue, n, b.adopted);
    if (b.ids != null) {
      Checks.checkDimension("ids", b.ids.length, n);
    }
    this.ids = b.ids == null ? null : b.ids.clone();
    this.committees = b.committees;
    if (committees != null) {
      Checks.checkDimension("committee rows", committees.rows(), n);
    }
    int c = 0;
    for (boolean f : fallback) {
      if (f) {
        c++;
      }
    }
    this.fallbackCount = c;
  }

  /**
   * @param agents the chosen agent of each row
   * @param fallback whether each row's choice came from the fallback rule
   * @throws IllegalArgumentException when the lengths differ
   */
  public Decisions(int[] agents, boolean[] fallback) {
    this(new Builder(null, agents).fallback(fallback));
  }

  /** Decisions with no fallback recorded (for example a bare decision array). */
  public static Decisions of(int[] agents) {
    return new Decisions(agents, new boolean[agents.length]);
  }

  /** A builder for decisions over {@code agents} (may be null for bare agent indices). */
  public static Builder builder(AgentSet agents, int[] chosen) {
    return new Builder(agents, chosen);
  }

  /**
   * Applies the fallback rule to preferred agents of a policy without scores.
   *
   * @param preferred each row's preferred agent index (0 ≤ index &lt; A)
   * @param availability which agents may be asked
   * @return the decisions, with the rows that fell back flagged
   * @throws IllegalArgumentException on a length mismatch, an index out of range, or a row where no
   *     agent is available
   */
  public static Decisions resolve(int[] preferred, Availability availability) {
    Checks.checkDimension("preferred agents", preferred.length, availability.rows());
    int n = preferred.length;
    int[] out = new int[n];
    boolean[] fellBack = new boolean[n];
    for (int i = 0; i < n; i++) {
      int p = preferred[i];
      Checks.checkIndex("preferred agent of row " + i, p, availability.agents().size());
      if (availability.available(i, p)) {
        out[i] = p;
      } else {
        out[i] = firstAvailable(availability, i);
        fellBack[i] = true;
      }
    }
    return builder(availability.agents(), out)
        .fallback(fellBack)
        .availability(availability)
        .build();
  }

  /**
   * The first available agent of a row in index order.
   *
   * @throws IllegalArgumentException when no agent is available on the row
   */
  public static int firstAvailable(Availability availability, int row) {
    for (int j = 0; j < availability.agents().size(); j++) {
      if (availability.available(row, j)) {
        return j;
      }
    }
    throw noAgent(row);
  }

  /**
   * The first agent of a row whose cost is known, in index order.
   *
   * @throws IllegalArgumentException when every cost of the row is unknown
   */
  public static int firstAvailable(CostMatrix costs, int row) {
    for (int j = 0; j < costs.agentCount(); j++) {
      if (costs.available(row, j)) {
        return j;
      }
    }
    throw noAgent(row);
  }

  static IllegalArgumentException noAgent(int row) {
    return new IllegalArgumentException(
        "row " + (row + 1) + ": no agent is available, so the case cannot be decided");
  }

  /** Number of rows. */
  public int rows() {
    return chosen.length;
  }

  /** The agents, or null for bare agent indices. */
  public AgentSet agentSet() {
    return agents;
  }

  /** The agent chosen for row {@code i}. */
  public int agent(int i) {
    return chosen[i];
  }

  /** Whether row {@code i}'s choice came from the fallback rule. */
  public boolean fellBack(int i) {
    return fallback[i];
  }

  /** Number of rows decided by the fallback rule. */
  public int fallbackCount() {
    return fallbackCount;
  }

  /** A copy of the chosen agents. */
  public int[] agents() {
    return chosen.clone();
  }

  /** A copy of the fallback flags. */
  public boolean[] fallbacks() {
    return fallback.clone();
  }

  /** Whether the policy gave each agent a score. */
  public boolean hasScores() {
    return scores != null;
  }

  /** The score of agent j on row i (NaN when the policy has no scores). */
  public double score(int i, int j) {
    return scores == null ? Double.NaN : scores[i * agents.size() + j];
  }

  /** Whether the policy estimated each agent's expected cost. */
  public boolean hasExpectedCosts() {
    return expectedCosts != null;
  }

  /** The estimated expected cost of agent j on row i (NaN when unknown). */
  public double expectedCost(int i, int j) {
    return expectedCosts == null ? Double.NaN : expectedCosts[i * agents.size() + j];
  }

  /** The availability the decisions were made under, or null when not recorded. */
  public Availability availability() {
    return availability;
  }

  /** Whether the decisions carry a learned model's answers (one-stage policies). */
  public boolean hasModelOutputs() {
    return predictedClass != null || predictedValue != null;
  }

  /**
   * The learned model's answers as the agent columns of agent 0, for the cost model: its predicted
   * class and/or value per row. Null when the policy has no learned model.
   */
  public AgentColumns modelOutputs() {
    if (!hasModelOutputs()) {
      return null;
    }
    return new AgentColumns(chosen.length, predictedClass, predictedValue, null, 0, null);
  }

  /** Whether the decisions carry the learned model's classes. */
  public boolean hasPredictedClass() {
    return predictedClass != null;
  }

  /** Whether the decisions carry the learned model's numeric predictions. */
  public boolean hasPredictedValue() {
    return predictedValue != null;
  }

  /** The learned model's class on row i, or −1. */
  public int predictedClass(int i) {
    return predictedClass == null ? -1 : predictedClass[i];
  }

  /** The learned model's numeric prediction on row i, or NaN. */
  public double predictedValue(int i) {
    return predictedValue == null ? Double.NaN : predictedValue[i];
  }

  /** Whether the decisions are committees (top-k) rather than one agent per case. */
  public boolean hasCommittees() {
    return committees != null;
  }

  /**
   * The committees, or null when each case went to one agent. {@link #agent(int)} is then each
   * committee's first (best-scored) member.
   */
  public Committees committees() {
    return committees;
  }

  /** These decisions with the committees dropped: each case goes to its first member alone. */
  public Decisions withoutCommittees() {
    if (committees == null) {
      return this;
    }
    Builder b = toBuilder(chosen);
    b.committees = null;
    return b.build();
  }

  /**
   * These decisions with other choices — what a rule applied after the policy (a capacity per
   * period, in arrival order) chose — keeping the scores, expected costs, model answers and ids.
   *
   * @param newChosen per case the agent that now serves it
   * @param newFallback per case whether it no longer went to the agent the policy preferred
   * @param newAvailability the availability the choices were made under (e.g. with an expert at
   *     capacity marked unavailable on the cases it was passed over for), or null to keep this one
   * @throws IllegalStateException for committee decisions
   * @throws IllegalArgumentException when the lengths differ from the rows
   */
  public Decisions withChoices(
      int[] newChosen, boolean[] newFallback, Availability newAvailability) {
    if (committees != null) {
      throw new IllegalStateException("committee decisions keep their members; no new choices");
    }
    Checks.checkDimension("choices", newChosen.length, chosen.length);
    Builder b = toBuilder(newChosen).fallback(newFallback);
    if (newAvailability != null) {
      b.availability(newAvailability);
    }
    return b.build();
  }

  private Builder toBuilder(int[] c) {
    return new Builder(agents, c)
        .fallback(fallback)
        .scores(scores)
        .expectedCosts(expectedCosts)
        .availability(availability)
        .predictedClass(predictedClass)
        .predictedValue(predictedValue)
        .ids(ids)
        .committees(committees);
  }

  /** The case id of row i: the table's id, or the 1-based row number. */
  public String id(int i) {
    return ids == null ? Integer.toString(i + 1) : ids[i];
  }

  /** The decisions of the given rows, in that order. */
  public Decisions select(int[] rows) {
    int[] c = new int[rows.length];
    boolean[] f = new boolean[rows.length];
    for (int r = 0; r < rows.length; r++) {
      c[r] = chosen[rows[r]];
      f[r] = fallback[rows[r]];
    }
    Builder b = new Builder(agents, c).fallback(f);
    if (scores != null) {
      b.scores(selectMatrix(scores, rows));
    }
    if (expectedCosts != null) {
      b.expectedCosts(selectMatrix(expectedCosts, rows));
    }
    if (availability != null) {
      b.availability(availability.select(rows));
    }
    if (predictedClass != null) {
      int[] p = new int[rows.length];
      for (int r = 0; r < rows.length; r++) {
        p[r] = predictedClass[rows[r]];
      }
      b.predictedClass(p);
    }
    if (predictedValue != null) {
      double[] p = new double[rows.length];
      for (int r = 0; r < rows.length; r++) {
        p[r] = predictedValue[rows[r]];
      }
      b.predictedValue(p);
    }
    if (ids != null) {
      String[] s = new String[rows.length];
      for (int r = 0; r < rows.length; r++) {
        s[r] = ids[rows[r]];
      }
      b.ids(s);
    }
    if (committees != null) {
      b.committees(committees.select(rows));
    }
    return b.build();
  }

  /**
   * The decisions of consecutive batches as one, in order (the batches must come from one policy:
   * the same agents and the same optional columns).
   *
   * @throws IllegalArgumentException when the batches differ in agents or columns
   */
  public static Decisions concat(List<Decisions> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    Decisions first = parts.get(0);
    int n = 0;
    for (Decisions d : parts) {
      if (d.agents != first.agents
          || (d.scores == null) != (first.scores == null)
          || (d.expectedCosts == null) != (first.expectedCosts == null)
          || (d.availability == null) != (first.availability == null)
          || (d.predictedClass == null) != (first.predictedClass == null)
          || (d.predictedValue == null) != (first.predictedValue == null)
          || (d.ids == null) != (first.ids == null)
          || (d.committees == null) != (first.committees == null)) {
        throw new IllegalArgumentException("decisions of different shapes cannot be concatenated");
      }
      n += d.rows();
    }
    int a = first.agents == null ? 0 : first.agents.size();
    int[] c = new int[n];
    boolean[] f = new boolean[n];
    double[] s = first.scores == null ? null : new double[n * a];
    double[] e = first.expectedCosts == null ? null : new double[n * a];
    boolean[] av = first.availability == null ? null : new boolean[n * a];
    int[] pc = first.predictedClass == null ? null : new int[n];
    double[] pv = first.predictedValue == null ? null : new double[n];
    String[] ids = first.ids == null ? null : new String[n];
    int at = 0;
    for (Decisions d : parts) {
      int m = d.rows();
      System.arraycopy(d.chosen, 0, c, at, m);
      System.arraycopy(d.fallback, 0, f, at, m);
      if (s != null) {
        System.arraycopy(d.scores, 0, s, at * a, m * a);
      }
      if (e != null) {
        System.arraycopy(d.expectedCosts, 0, e, at * a, m * a);
      }
      if (av != null) {
        System.arraycopy(d.availability.cells(), 0, av, at * a, m * a);
      }
      if (pc != null) {
        System.arraycopy(d.predictedClass, 0, pc, at, m);
      }
      if (pv != null) {
        System.arraycopy(d.predictedValue, 0, pv, at, m);
      }
      if (ids != null) {
        System.arraycopy(d.ids, 0, ids, at, m);
      }
      at += m;
    }
    Builder b =
        new Builder(first.agents, c)
            .fallback(f)
            .scores(s)
            .expectedCosts(e)
            .predictedClass(pc)
            .predictedValue(pv)
            .ids(ids);
    if (av != null) {
      b.availability(Availability.of(first.agents, av));
    }
    if (first.committees != null) {
      List<Committees> cs = new ArrayList<>(parts.size());
      for (Decisions d : parts) {
        cs.add(d.committees);
      }
      b.committees(Committees.concat(cs));
    }
    return b.build();
  }

  private double[] selectMatrix(double[] m, int[] rows) {
    int a = agents.size();
    double[] out = new double[rows.length * a];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(m, rows[r] * a, out, r * a, a);
    }
    return out;
  }

  /**
   * One case's decision.
   *
   * @throws IllegalStateException for bare agent indices (no agent set)
   */
  public Decision get(int i) {
    if (agents == null) {
      throw new IllegalStateException("bare decisions carry no agent names");
    }
    int a = agents.size();
    List<String> names = Arrays.asList(agents.names());
    double[] s = new double[a];
    double[] e = new double[a];
    List<Decision.Reason> reasons = new ArrayList<>(a);
    int c = chosen[i];
    int[] members = committees == null ? new int[] {c} : committees.distinctAgents(i);
    for (int j = 0; j < a; j++) {
      s[j] = score(i, j);
      e[j] = expectedCost(i, j);
      Decision.Reason r;
      if (contains(members, j)) {
        r = Decision.Reason.CHOSEN;
      } else if (availability != null && !availability.available(i, j)) {
        r = Decision.Reason.UNAVAILABLE;
      } else if (scores == null || s[j] > score(i, c)) {
        r = Decision.Reason.RULE;
      } else {
        r = Decision.Reason.LOWER_SCORE;
      }
      reasons.add(r);
    }
    List<String> chosenNames = new ArrayList<>(members.length);
    for (int m : members) {
      chosenNames.add(names.get(m));
    }
    return new Decision(
        id(i),
        committees == null ? Decision.Kind.AGENT : Decision.Kind.COMMITTEE,
        chosenNames,
        names,
        s,
        e,
        reasons,
        fallback[i],
        predictedClass(i),
        predictedValue(i));
  }

  private static boolean contains(int[] v, int x) {
    for (int y : v) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }

  /** Identical choices, fallbacks, scores, expected costs, model answers and committees. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Decisions d
        && Arrays.equals(chosen, d.chosen)
        && Arrays.equals(fallback, d.fallback)
        && Arrays.equals(scores, d.scores)
        && Arrays.equals(expectedCosts, d.expectedCosts)
        && Arrays.equals(predictedClass, d.predictedClass)
        && Arrays.equals(predictedValue, d.predictedValue)
        && java.util.Objects.equals(committees, d.committees);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(chosen);
  }

  private static double[] copyMatrix(String what, double[] m, int n, int a, boolean adopted) {
    if (m == null) {
      return null;
    }
    if (a < 0) {
      throw new IllegalArgumentException(what + " need the agent set");
    }
    Checks.checkDimension(what, m.length, n * a);
    return adopted ? m : m.clone();
  }

  private static int[] copy(String what, int[] v, int n, boolean adopted) {
    if (v == null) {
      return null;
    }
    Checks.checkDimension(what, v.length, n);
    return adopted ? v : v.clone();
  }

  private static double[] copy(String what, double[] v, int n, boolean adopted) {
    if (v == null) {
      return null;
    }
    Checks.checkDimension(what, v.length, n);
    return adopted ? v : v.clone();
  }

  /** Collects the optional columns of a batch of decisions. */
  public static final class Builder {
    private final AgentSet agents;
    private final int[] chosen;
    private boolean[] fallback;
    private double[] scores;
    private double[] expectedCosts;
    private Availability availability;
    private int[] predictedClass;
    private double[] predictedValue;
    private String[] ids;
    private Committees committees;
    private boolean adopted;

    private Builder(AgentSet agents, int[] chosen) {
      this.agents = agents;
      this.chosen = chosen;
    }

    /**
     * The decisions take the arrays given to this builder without copying them: for this package's
     * policies, which hand over arrays they have just made and never touch again.
     */
    Builder adopt() {
      this.adopted = true;
      return this;
    }

    /** Fallback flags per row. */
    public Builder fallback(boolean[] f) {
      this.fallback = f;
      return this;
    }

    /** Scores, n × A row-major. */
    public Builder scores(double[] s) {
      this.scores = s;
      return this;
    }

    /** Estimated expected costs, n × A row-major (NaN where unknown). */
    public Builder expectedCosts(double[] e) {
      this.expectedCosts = e;
      return this;
    }

    /** The availability the decisions were made under. */
    public Builder availability(Availability a) {
      this.availability = a;
      return this;
    }

    /** The learned model's class per row. */
    public Builder predictedClass(int[] p) {
      this.predictedClass = p;
      return this;
    }

    /** The learned model's numeric prediction per row. */
    public Builder predictedValue(double[] p) {
      this.predictedValue = p;
      return this;
    }

    /** Case ids per row. */
    public Builder ids(String[] s) {
      this.ids = s;
      return this;
    }

    /** The committees (top-k decisions); the chosen agent of a row is its first member. */
    public Builder committees(Committees c) {
      this.committees = c;
      return this;
    }

    /** The decisions (arrays are copied). */
    public Decisions build() {
      return new Decisions(this);
    }
  }
}
