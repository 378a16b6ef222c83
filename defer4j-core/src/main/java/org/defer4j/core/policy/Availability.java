package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * Which agents may be asked for each case, n × A, in the agent order of an {@link AgentSet} (0 is
 * the model, 1..J the experts). It is an input of every decision, separate from any cost: a policy
 * never infers availability from missing outcomes.
 *
 * <p>Sources: {@link #all} (every agent on every case), {@link #fromTable} (the table's {@code
 * avail.<agent>} columns; an agent without a column is available), {@link #observed} (in
 * evaluation: an agent is available where the table records its answer or cost), restricted with
 * {@link #restrictTo} (the CLI's {@code --available}) and combined with {@link #and}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Availability {
  private final AgentSet agents;
  private final int rows;
  private final boolean[] cells;

  private Availability(AgentSet agents, int rows, boolean[] cells) {
    this.agents = agents;
    this.rows = rows;
    this.cells = cells;
  }

  /**
   * Availability from a row-major n × A mask (copied).
   *
   * @throws IllegalArgumentException when the mask's length is not a multiple of A
   */
  public static Availability of(AgentSet agents, boolean[] mask) {
    int a = agents.size();
    if (mask.length % a != 0) {
      throw new IllegalArgumentException(
          "availability mask has length " + mask.length + ", not a multiple of " + a + " agents");
    }
    return new Availability(agents, mask.length / a, mask.clone());
  }

  /** Every agent available on every one of {@code rows} cases. */
  public static Availability all(AgentSet agents, int rows) {
    Checks.checkNonNegative("rows", rows);
    boolean[] cells = new boolean[rows * agents.size()];
    Arrays.fill(cells, true);
    return new Availability(agents, rows, cells);
  }

  /**
   * The availability a cases table declares in its {@code avail.<agent>} columns; agents without
   * such a column are available on every case.
   *
   * @throws IllegalArgumentException when a column names an agent outside {@code agents}
   */
  public static Availability fromTable(AgentSet agents, DeferralTable cases) {
    Availability out = all(agents, cases.rows());
    if (!cases.hasAvailability()) {
      return out;
    }
    int a = agents.size();
    for (Map.Entry<String, boolean[]> e : cases.availability().entrySet()) {
      int j = indexOf(agents, e.getKey(), "avail." + e.getKey());
      boolean[] v = e.getValue();
      for (int i = 0; i < out.rows; i++) {
        out.cells[i * a + j] = v[i];
      }
    }
    return out;
  }

  /**
   * Availability in evaluation: an agent recorded in the table (the frozen model, an expert) is
   * available where the table observes it (its answer or cost is not empty); the learned model of a
   * one-stage task is always available; then the table's {@code avail.*} columns restrict it
   * further.
   */
  public static Availability observed(TaskSpec task, DeferralTable table) {
    AgentSet agents = task.agents();
    Availability out = fromTable(agents, table);
    int a = agents.size();
    for (int j = 0; j < a; j++) {
      if (j == 0 && !task.hasFrozenModel()) {
        continue;
      }
      String name = agents.get(j).name();
      if (!table.agents().containsKey(name)) {
        continue;
      }
      AgentColumns cols = table.agent(name);
      for (int i = 0; i < out.rows; i++) {
        if (!cols.observed(i)) {
          out.cells[i * a + j] = false;
        }
      }
    }
    return out;
  }

  /**
   * This availability with every agent outside {@code names} made unavailable.
   *
   * @throws IllegalArgumentException when a name is not an agent
   */
  public Availability restrictTo(Collection<String> names) {
    boolean[] keep = new boolean[agents.size()];
    for (String n : names) {
      keep[indexOf(agents, n, "--available")] = true;
    }
    boolean[] c = cells.clone();
    int a = agents.size();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < a; j++) {
        c[i * a + j] &= keep[j];
      }
    }
    return new Availability(agents, rows, c);
  }

  /** Available where both are. */
  public Availability and(Availability other) {
    Checks.checkDimension("availability rows", other.rows, rows);
    Checks.checkDimension("availability agents", other.agents.size(), agents.size());
    boolean[] c = cells.clone();
    for (int k = 0; k < c.length; k++) {
      c[k] &= other.cells[k];
    }
    return new Availability(agents, rows, c);
  }

  /** The agents, in index order. */
  public AgentSet agents() {
    return agents;
  }

  /** Number of cases. */
  public int rows() {
    return rows;
  }

  /** Whether agent j may be asked for case i. */
  public boolean available(int i, int j) {
    return cells[i * agents.size() + j];
  }

  /** Whether some agent is available for case i. */
  public boolean any(int i) {
    int a = agents.size();
    for (int j = 0; j < a; j++) {
      if (cells[i * a + j]) {
        return true;
      }
    }
    return false;
  }

  /** The names of the agents available for case i, in index order. */
  public List<String> availableNames(int i) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < agents.size(); j++) {
      if (available(i, j)) {
        out.add(agents.get(j).name());
      }
    }
    return out;
  }

  /** The cases at the given row indices, in that order. */
  public Availability select(int[] rowIndices) {
    int a = agents.size();
    boolean[] c = new boolean[rowIndices.length * a];
    for (int r = 0; r < rowIndices.length; r++) {
      Checks.checkIndex("row", rowIndices[r], rows);
      System.arraycopy(cells, rowIndices[r] * a, c, r * a, a);
    }
    return new Availability(agents, rowIndices.length, c);
  }

  /** Row-major n × A mask, read-only view for the decision loops of this package. */
  boolean[] cells() {
    return cells;
  }

  static int indexOf(AgentSet agents, String name, String where) {
    if (!agents.contains(name)) {
      throw new IllegalArgumentException(
          where + ": '" + name + "' is not an agent of the task; agents are " + agents);
    }
    return agents.indexOf(name);
  }
}
