package org.defer4j.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.defer4j.core.task.TaskSpec;

/**
 * The role of every column of a deferral table (DESIGN.md §4), checked against a task spec before
 * any cell is read: unknown columns, undeclared agents, declared agents without columns, missing
 * truth columns, incomplete probability blocks and repeated names are all rejected here with the
 * column named.
 *
 * <p>A cases table (what a deployed router reads) holds only what is known before the outcome, so
 * in cases mode the truth columns and the agents' {@code m.*} / {@code cost.*} columns are
 * optional; the columns that are present are checked the same way.
 */
final class ColumnLayout {
  /** Where an agent's outputs live; a null column means the table does not record that output. */
  static final class AgentLayout {
    final String name;
    String predictedClass;
    String predictedValue;
    String[] probabilities;
    String cost;

    AgentLayout(String name) {
      this.name = name;
    }

    boolean hasAnyColumn() {
      return predictedClass != null
          || predictedValue != null
          || probabilities != null
          || cost != null;
    }
  }

  final List<String> columns;
  String label;
  String target;
  String weight;
  String id;
  String group;
  String text;
  final List<String> features = new ArrayList<>();
  final Map<String, AgentLayout> agents = new LinkedHashMap<>();

  /** The {@code time} column of a stream table, or null. */
  String time;

  /** Agent name → its {@code avail.<agent>} column, in column order. */
  final Map<String, String> availability = new LinkedHashMap<>();

  private final String file;
  private final TaskSpec spec;
  private final boolean cases;
  private final boolean stream;
  private final boolean indexSpelling;

  private ColumnLayout(
      String file, List<String> columns, TaskSpec spec, boolean cases, boolean stream) {
    this.file = file;
    this.columns = List.copyOf(columns);
    this.spec = spec;
    this.cases = cases;
    this.stream = stream;
    this.indexSpelling = indexSpellingAllowed(spec.classes());
    for (String a : spec.observedAgentNames()) {
      agents.put(a, new AgentLayout(a));
    }
  }

  /**
   * Whether a class may also be written as its index "0".."K−1". Not when some class name is itself
   * spelled as an integer: with classes [1, 2, 3] the cell "1" must mean the class named "1", and
   * the cell "0" must be rejected rather than read as the class at index 0.
   */
  static boolean indexSpellingAllowed(List<String> classes) {
    return classes.stream().noneMatch(c -> c.matches("[0-9]+"));
  }

  /**
   * Assigns a role to every column.
   *
   * @param file the file name for messages
   * @param columns the column names in file order, as written in the file
   * @param cases whether the table is a cases table: {@code y}, {@code t} and the agents' {@code
   *     m.*} / {@code cost.*} columns may then be absent
   * @throws TableFormatException naming the offending column (row 0)
   */
  static ColumnLayout of(String file, List<String> columns, TaskSpec spec, boolean cases) {
    return of(file, columns, spec, cases, false);
  }

  /**
   * As {@link #of(String, List, TaskSpec, boolean)}; with {@code stream} a {@code time} column (the
   * order of an online stream, DESIGN.md §4) is accepted too.
   */
  static ColumnLayout of(
      String file, List<String> columns, TaskSpec spec, boolean cases, boolean stream) {
    ColumnLayout layout = new ColumnLayout(file, columns, spec, cases, stream);
    layout.assign();
    layout.checkComplete();
    return layout;
  }

  private void assign() {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      if (c == null || c.isEmpty()) {
        throw fail("#" + (i + 1), "the header has an empty column name");
      }
      // DuckDB, like SQL, compares identifiers ignoring case, so "x.A" and "x.a" cannot coexist.
      String previous = seen.put(c.toLowerCase(Locale.ROOT), c);
      if (previous != null) {
        throw fail(
            c,
            previous.equals(c)
                ? "the column appears twice in the header"
                : "the column clashes with column "
                    + previous
                    + " (column names are compared ignoring case)");
      }
      assign(c);
    }
  }

  private void assign(String c) {
    if (c.equals(spec.textColumn())) {
      text = c;
    } else if (c.equals("y")) {
      if (spec.classCount() == 0) {
        throw fail(c, noClasses("a y column"));
      }
      label = c;
    } else if (c.equals("t")) {
      target = c;
    } else if (c.equals("weight")) {
      weight = c;
    } else if (c.equals("id")) {
      id = c;
    } else if (c.equals("group")) {
      group = c;
    } else if (stream && c.equals("time")) {
      time = c;
    } else if (c.startsWith("x.")) {
      if (c.length() == 2) {
        throw fail(c, "a feature column needs a name after 'x.'");
      }
      features.add(c);
    } else if (c.startsWith("cost.")) {
      agent(c, c.substring("cost.".length())).cost = c;
    } else if (c.startsWith("m.")) {
      assignAgentOutput(c);
    } else if (c.startsWith("avail.")) {
      String name = c.substring("avail.".length());
      if (name.isEmpty()) {
        throw fail(c, "an availability column needs an agent name after 'avail.'");
      }
      agent(c, name);
      availability.put(name, c);
    } else {
      throw fail(c, "unknown column; accepted columns are " + acceptedColumns());
    }
  }

  private void assignAgentOutput(String c) {
    String rest = c.substring(2);
    int dot = rest.indexOf('.');
    if (dot <= 0) {
      throw fail(c, "expected m.<agent>.y, m.<agent>.t or m.<agent>.p.<class>");
    }
    String suffix = rest.substring(dot + 1);
    AgentLayout a;
    if (suffix.equals("y")) {
      a = agent(c, rest.substring(0, dot));
      if (spec.classCount() == 0) {
        throw fail(c, noClasses("a predicted-class column"));
      }
      a.predictedClass = c;
    } else if (suffix.equals("t")) {
      agent(c, rest.substring(0, dot)).predictedValue = c;
    } else if (suffix.startsWith("p.") && suffix.length() > 2) {
      a = agent(c, rest.substring(0, dot));
      if (spec.classCount() == 0) {
        throw fail(c, noClasses("a probability column"));
      }
      int k = classOf(c, suffix.substring(2));
      if (a.probabilities == null) {
        a.probabilities = new String[spec.classCount()];
      }
      if (a.probabilities[k] != null) {
        throw fail(
            c,
            "gives class '"
                + spec.classes().get(k)
                + "' like column "
                + a.probabilities[k]
                + " does");
      }
      a.probabilities[k] = c;
    } else {
      throw fail(c, "expected m.<agent>.y, m.<agent>.t or m.<agent>.p.<class>");
    }
  }

  private int classOf(String column, String key) {
    int k = spec.classIndex(key);
    if (k < 0 && indexSpelling && key.matches("[0-9]+")) {
      k = key.length() <= 9 ? Integer.parseInt(key) : -1;
      k = k < spec.classCount() ? k : -1;
    }
    if (k < 0) {
      throw fail(column, "class '" + key + "' is not one of " + spec.classes());
    }
    return k;
  }

  private AgentLayout agent(String column, String name) {
    AgentLayout a = agents.get(name);
    if (a == null) {
      throw fail(
          column,
          "agent '"
              + name
              + "' is not declared in the task spec; declared agents: "
              + spec.observedAgentNames());
    }
    return a;
  }

  private void checkComplete() {
    // A cases table is read before the outcome: truth and the agents' answers may be absent.
    if (!cases && spec.kind().hasLabels() && label == null) {
      throw fail(
          "y",
          "missing column; a "
              + spec.kind().specName()
              + " task needs the true class y of every row");
    }
    if (!cases && spec.kind().hasTargets() && target == null) {
      throw fail(
          "t",
          "missing column; a "
              + spec.kind().specName()
              + " task needs the true target t of every row");
    }
    if (spec.textColumn() != null && text == null) {
      throw fail(spec.textColumn(), "missing column; the task spec names it as the text column");
    }
    for (AgentLayout a : agents.values()) {
      if (!cases && !a.hasAnyColumn()) {
        throw fail(
            "m." + a.name + ".*",
            "agent '"
                + a.name
                + "' is declared in the task spec but the table has no m."
                + a.name
                + ".* or cost."
                + a.name
                + " column");
      }
      if (a.probabilities != null) {
        for (int k = 0; k < a.probabilities.length; k++) {
          if (a.probabilities[k] == null) {
            throw fail(
                "m." + a.name + ".p." + spec.classes().get(k),
                "missing column; the m."
                    + a.name
                    + ".p.* columns must give all "
                    + spec.classCount()
                    + " classes "
                    + spec.classes());
          }
        }
      }
    }
  }

  private String noClasses(String what) {
    return "the "
        + spec.kind().specName()
        + " task declares no classes, so "
        + what
        + " cannot be read; list the classes in the task spec";
  }

  private String acceptedColumns() {
    return "y, t, x.<feature>, m.<agent>.y, m.<agent>.t, m.<agent>.p.<class>, cost.<agent>,"
        + " avail.<agent>, id, group, weight"
        + (stream ? ", time" : "")
        + (spec.textColumn() == null ? "" : ", " + spec.textColumn() + " (the text column)");
  }

  private TableFormatException fail(String column, String detail) {
    return new TableFormatException(file, 0, column, detail);
  }

  /** Columns whose cells must be numbers, in file order; every other column is read as text. */
  List<String> numericColumns() {
    Set<String> numeric = new HashSet<>(features);
    if (target != null) {
      numeric.add(target);
    }
    if (weight != null) {
      numeric.add(weight);
    }
    for (AgentLayout a : agents.values()) {
      numeric.add(a.predictedValue);
      numeric.add(a.cost);
      if (a.probabilities != null) {
        numeric.addAll(Arrays.asList(a.probabilities));
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      if (numeric.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
