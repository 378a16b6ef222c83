package org.defer4j.core.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.Checks;

/**
 * A deferral table in memory: one row per case with its features, its truth and what each agent
 * said or cost (DESIGN.md §4). Columnar and immutable; features are a dense row-major n × d block
 * so that scorers read a row without copying.
 *
 * <p>Labels are class indices 0..K−1 (the task spec maps names to indices); targets are numbers.
 * Either may be absent ({@code null}) when the task does not use it, or when the table is a cases
 * table (what a deployed router reads: no outcomes).
 *
 * <p>Availability ({@code avail.<agent>} columns) says, per agent and row, whether the agent may be
 * asked for the case now (shifts, capacity, outages). It is optional per agent: an agent without an
 * availability column may always be asked.
 */
public final class DeferralTable {
  private final String source;
  private final int rows;
  private final List<String> featureNames;
  private final double[] features;
  private final int[] labels;
  private final double[] targets;
  private final Map<String, AgentColumns> agents;
  private final String[] ids;
  private final String[] groups;
  private final double[] weights;
  private final Map<String, String[]> text;
  private final Map<String, boolean[]> availability;

  private DeferralTable(Builder b) {
    this.source = b.source;
    this.rows = b.rows;
    this.featureNames = List.copyOf(b.featureNames);
    int d = featureNames.size();
    if (b.features.length != (long) rows * d) {
      throw new IllegalArgumentException(
          "features have length " + b.features.length + ", expected " + rows + " × " + d);
    }
    this.features = b.features;
    this.labels = checkLength("labels", b.labels);
    this.targets = checkLength("targets", b.targets);
    this.ids = checkLength("ids", b.ids);
    this.groups = checkLength("groups", b.groups);
    this.weights = checkLength("weights", b.weights);
    for (Map.Entry<String, AgentColumns> e : b.agents.entrySet()) {
      Checks.checkDimension("rows of agent '" + e.getKey() + "'", e.getValue().rows(), rows);
    }
    this.agents = Collections.unmodifiableMap(new LinkedHashMap<>(b.agents));
    for (Map.Entry<String, String[]> e : b.text.entrySet()) {
      Checks.checkDimension("text column '" + e.getKey() + "'", e.getValue().length, rows);
    }
    this.text = Collections.unmodifiableMap(new LinkedHashMap<>(b.text));
    this.availability = new LinkedHashMap<>(b.availability);
  }

  private int[] checkLength(String what, int[] a) {
    if (a != null) {
      Checks.checkDimension(what, a.length, rows);
    }
    return a;
  }

  private double[] checkLength(String what, double[] a) {
    if (a != null) {
      Checks.checkDimension(what, a.length, rows);
    }
    return a;
  }

  private String[] checkLength(String what, String[] a) {
    if (a != null) {
      Checks.checkDimension(what, a.length, rows);
    }
    return a;
  }

  /**
   * A builder for a table of {@code rows} rows read from {@code source} (a file name, for
   * messages).
   */
  public static Builder builder(String source, int rows) {
    return new Builder(source, rows);
  }

  /** Where the table came from (a file name), for messages. */
  public String source() {
    return source;
  }

  /** Number of rows n. */
  public int rows() {
    return rows;
  }

  /** Number of features d. */
  public int featureCount() {
    return featureNames.size();
  }

  /** Feature names without the {@code x.} prefix, in column order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Feature {@code j} of row {@code i}. */
  public double feature(int i, int j) {
    return features[i * featureNames.size() + j];
  }

  /** A copy of row {@code i}'s features. */
  public double[] featureRow(int i) {
    int d = featureNames.size();
    return Arrays.copyOfRange(features, i * d, (i + 1) * d);
  }

  /**
   * The row-major n × d feature block itself, not a copy, for scorers that read rows in place.
   * Callers must not write to it.
   */
  public double[] featureBlock() {
    return features;
  }

  /** Whether rows carry class labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The class label of row {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** A copy of the labels, or null. */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  /** Whether rows carry numeric targets. */
  public boolean hasTargets() {
    return targets != null;
  }

  /** The numeric target of row {@code i}. */
  public double target(int i) {
    return targets[i];
  }

  /** A copy of the targets, or null. */
  public double[] targets() {
    return targets == null ? null : targets.clone();
  }

  /** Agents with columns in the table, in column order, unmodifiable. */
  public Map<String, AgentColumns> agents() {
    return agents;
  }

  /**
   * The columns of a named agent.
   *
   * @throws IllegalArgumentException when the table has no column for it
   */
  public AgentColumns agent(String name) {
    AgentColumns a = agents.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          source
              + ": no m."
              + name
              + ".* or cost."
              + name
              + " column; agents present: "
              + agents.keySet());
    }
    return a;
  }

  /** Case ids, or null when the table has no {@code id} column. */
  public String id(int i) {
    return ids == null ? null : ids[i];
  }

  /** Whether the table has an {@code id} column. */
  public boolean hasIds() {
    return ids != null;
  }

  /** Whether the table has a {@code group} column. */
  public boolean hasGroups() {
    return groups != null;
  }

  /** The group of row {@code i}, or null when there is no {@code group} column. */
  public String group(int i) {
    return groups == null ? null : groups[i];
  }

  /** Whether the table has a {@code weight} column. */
  public boolean hasWeights() {
    return weights != null;
  }

  /** The sample weight of row {@code i} (1 when there is no {@code weight} column). */
  public double weight(int i) {
    return weights == null ? 1.0 : weights[i];
  }

  /** Whether the table has at least one {@code avail.<agent>} column. */
  public boolean hasAvailability() {
    return !availability.isEmpty();
  }

  /**
   * The availability columns: agent name → per row {@code true} when the agent may be asked for the
   * case now. Agents in column order; an agent absent from the map may always be asked.
   *
   * @return an unmodifiable map of copies, made on each call (use {@link #available} per row)
   */
  public Map<String, boolean[]> availability() {
    Map<String, boolean[]> out = new LinkedHashMap<>();
    availability.forEach((name, col) -> out.put(name, col.clone()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Whether {@code agent} may be asked for row {@code i}: its {@code avail.<agent>} cell, or {@code
   * true} when the table has no availability column for it.
   */
  public boolean available(String agent, int i) {
    boolean[] col = availability.get(agent);
    if (col == null) {
      Checks.checkIndex("row", i, rows);
      return true;
    }
    return col[i];
  }

  /** Raw text columns kept for featurisers, unmodifiable. */
  public Map<String, String[]> text() {
    return text;
  }

  /** The rows {@code rowIndices} of this table, in that order. */
  public DeferralTable select(int[] rowIndices) {
    int m = rowIndices.length;
    int d = featureNames.size();
    Builder b = new Builder(source, m);
    double[] f = new double[m * d];
    for (int i = 0; i < m; i++) {
      Checks.checkIndex("row", rowIndices[i], rows);
      System.arraycopy(features, rowIndices[i] * d, f, i * d, d);
    }
    b.features(featureNames, f);
    if (labels != null) {
      int[] l = new int[m];
      for (int i = 0; i < m; i++) {
        l[i] = labels[rowIndices[i]];
      }
      b.labels(l);
    }
    if (targets != null) {
      b.targets(pick(targets, rowIndices));
    }
    if (weights != null) {
      b.weights(pick(weights, rowIndices));
    }
    if (ids != null) {
      b.ids(pick(ids, rowIndices));
    }
    if (groups != null) {
      b.groups(pick(groups, rowIndices));
    }
    agents.forEach((name, cols) -> b.agent(name, cols.select(rowIndices)));
    text.forEach((name, col) -> b.text(name, pick(col, rowIndices)));
    availability.forEach((name, col) -> b.availability(name, pick(col, rowIndices)));
    return b.build();
  }

  /**
   * This table with other features (same rows, truth, agents and availability).
   *
   * @param names feature names without {@code x.}
   * @param block the row-major n × d block, owned by the new table
   * @throws IllegalArgumentException when the block does not have n × names.size() entries
   */
  public DeferralTable withFeatures(List<String> names, double[] block) {
    return copyBuilder().features(names, block).build();
  }

  /**
   * This table with one agent's columns added, or replaced when the agent already has columns.
   *
   * @throws IllegalArgumentException when the columns do not have n rows
   */
  public DeferralTable withAgent(String name, AgentColumns columns) {
    return copyBuilder().agent(name, columns).build();
  }

  private Builder copyBuilder() {
    Builder b = new Builder(source, rows).features(featureNames, features);
    b.labels(labels).targets(targets).weights(weights).ids(ids).groups(groups);
    agents.forEach(b::agent);
    text.forEach(b::text);
    availability.forEach(b::availability);
    return b;
  }

  private static double[] pick(double[] a, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }

  private static boolean[] pick(boolean[] a, int[] idx) {
    boolean[] out = new boolean[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }

  private static String[] pick(String[] a, int[] idx) {
    String[] out = new String[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }

  /** Builds a {@link DeferralTable}; arrays handed to it are owned by the table afterwards. */
  public static final class Builder {
    private final String source;
    private final int rows;
    private List<String> featureNames = List.of();
    private double[] features = new double[0];
    private int[] labels;
    private double[] targets;
    private String[] ids;
    private String[] groups;
    private double[] weights;
    private final Map<String, AgentColumns> agents = new LinkedHashMap<>();
    private final Map<String, String[]> text = new LinkedHashMap<>();
    private final Map<String, boolean[]> availability = new LinkedHashMap<>();

    private Builder(String source, int rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("rows must be >= 0, got " + rows);
      }
      this.source = source == null ? "<memory>" : source;
      this.rows = rows;
    }

    /** Feature names (without {@code x.}) and the row-major n × d block. */
    public Builder features(List<String> names, double[] block) {
      this.featureNames = names;
      this.features = block;
      return this;
    }

    /** Class labels 0..K−1. */
    public Builder labels(int[] labels) {
      this.labels = labels;
      return this;
    }

    /** Numeric targets. */
    public Builder targets(double[] targets) {
      this.targets = targets;
      return this;
    }

    /** Case ids. */
    public Builder ids(String[] ids) {
      this.ids = ids;
      return this;
    }

    /** Protected-attribute groups. */
    public Builder groups(String[] groups) {
      this.groups = groups;
      return this;
    }

    /** Sample weights. */
    public Builder weights(double[] weights) {
      this.weights = weights;
      return this;
    }

    /** One agent's columns. */
    public Builder agent(String name, AgentColumns columns) {
      agents.put(name, columns);
      return this;
    }

    /** A raw text column. */
    public Builder text(String name, String[] values) {
      text.put(name, values);
      return this;
    }

    /**
     * One agent's availability: per row {@code true} when the agent may be asked for the case now.
     * Replaces an earlier call for the same agent.
     *
     * @param agent the agent's name, as in its {@code avail.<agent>} column
     * @param values n flags, owned by the table afterwards
     * @throws IllegalArgumentException when {@code values} does not have n entries
     */
    public Builder availability(String agent, boolean[] values) {
      if (agent == null || agent.isEmpty()) {
        throw new IllegalArgumentException("availability needs an agent name, got '" + agent + "'");
      }
      if (values == null) {
        throw new IllegalArgumentException("availability of agent '" + agent + "' is null");
      }
      Checks.checkDimension("availability of agent '" + agent + "'", values.length, rows);
      availability.put(agent, values);
      return this;
    }

    /** The table. */
    public DeferralTable build() {
      return new DeferralTable(this);
    }
  }
}
