package org.defer4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * The role of every column of a Spark {@code Dataset} under the defer4j data contract (DESIGN.md
 * §4), resolved once on the driver from the schema and the task spec, and the decoding of a
 * partition's rows into a {@link DeferralTable} on the executors.
 *
 * <p>Columns: {@code y} (a class name as a string, or its index as an integer when no class name is
 * itself an integer), {@code t}, {@code x.<name>} (numbers) or one Spark ML {@code Vector} column
 * whose entries are the features (named by the vector's ML attributes, e.g. those a {@code
 * VectorAssembler} writes, with any {@code x.} prefix dropped; {@code 0..d-1} without attributes;
 * {@code x.*} columns are then passed through unread), {@code m.<agent>.y}, {@code m.<agent>.t},
 * {@code m.<agent>.p.<class>}, {@code cost.<agent>}, {@code avail.<agent>} (boolean or 0/1), {@code
 * id}, {@code group}, {@code weight}. A null {@code m.*} or {@code cost.*} cell means the agent did
 * not see the case; a null anywhere else is an error. Spark ML stages pass other columns through,
 * so columns outside the contract are ignored here, except {@code m.*}, {@code cost.*} and {@code
 * avail.*} columns of undeclared agents, which are rejected. Raw text columns are not featurised on
 * Spark.
 */
public final class SparkTableLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where one agent's outputs are; −1 when the table does not record that output. */
  static final class AgentSlots implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    int predictedClass = -1;
    int predictedValue = -1;
    int[] probabilities;
    int cost = -1;
    int avail = -1;

    AgentSlots(String name) {
      this.name = name;
    }

    boolean hasOutputs() {
      return predictedClass >= 0 || predictedValue >= 0 || probabilities != null || cost >= 0;
    }
  }

  private final String source;
  private final List<String> classes;
  private final boolean indexSpelling;
  private final String[] fieldNames;
  private int label = -1;
  private int target = -1;
  private int weight = -1;
  private int id = -1;
  private int group = -1;
  private int vector = -1;
  private boolean unsizedVector;
  private final List<String> featureNames = new ArrayList<>();
  private final List<Integer> featureColumns = new ArrayList<>();
  private final Map<String, AgentSlots> agents = new LinkedHashMap<>();

  private SparkTableLayout(String source, StructType schema, TaskSpec spec) {
    this.source = source;
    this.classes = List.copyOf(spec.classes());
    this.indexSpelling = classes.stream().noneMatch(c -> c.matches("[0-9]+"));
    this.fieldNames = schema.fieldNames();
    for (String a : spec.observedAgentNames()) {
      agents.put(a, new AgentSlots(a));
    }
  }

  /**
   * The layout of a labelled table (training, evaluation): truth and every declared agent's outputs
   * must be present.
   *
   * @param source the table's name for messages
   * @param featuresCol a Vector column holding the features, or null to read {@code x.*} columns
   * @throws IllegalArgumentException naming the column that breaks the contract
   */
  public static SparkTableLayout labelled(
      String source, StructType schema, TaskSpec spec, String featuresCol) {
    SparkTableLayout l = of(source, schema, spec, featuresCol);
    if (spec.kind().hasLabels() && l.label < 0) {
      throw l.fail("y", "missing column; a " + spec.kind().specName() + " task needs y");
    }
    if (spec.kind().hasTargets() && l.target < 0) {
      throw l.fail("t", "missing column; a " + spec.kind().specName() + " task needs t");
    }
    for (AgentSlots a : l.agents.values()) {
      if (!a.hasOutputs()) {
        throw l.fail(
            "m." + a.name + ".*",
            "agent '"
                + a.name
                + "' is declared in the task spec but the table has no column of it");
      }
    }
    return l;
  }

  /** The layout of a cases table (routing): truth and the agents' outputs are optional. */
  public static SparkTableLayout cases(
      String source, StructType schema, TaskSpec spec, String featuresCol) {
    return of(source, schema, spec, featuresCol);
  }

  private static SparkTableLayout of(
      String source, StructType schema, TaskSpec spec, String featuresCol) {
    if (spec.textColumn() != null) {
      throw new IllegalArgumentException(
          "the task names a text column ('"
              + spec.textColumn()
              + "'); defer4j-spark reads numeric x.* features only: featurise the text first");
    }
    SparkTableLayout l = new SparkTableLayout(source, schema, spec);
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      l.assign(i, fields[i], featuresCol);
    }
    if (featuresCol != null && l.vector < 0) {
      throw l.fail(featuresCol, "missing column (the features column)");
    }
    for (AgentSlots a : l.agents.values()) {
      if (a.probabilities != null) {
        for (int k = 0; k < a.probabilities.length; k++) {
          if (a.probabilities[k] < 0) {
            throw l.fail(
                "m." + a.name + ".p." + l.classes.get(k),
                "missing column; the m." + a.name + ".p.* columns must give all classes");
          }
        }
      }
    }
    return l;
  }

  private void assign(int i, StructField f, String featuresCol) {
    String c = f.name();
    DataType t = f.dataType();
    if (c.equals(featuresCol)) {
      if (!(t instanceof VectorUDT)) {
        throw fail(c, "the features column must be a Spark ML Vector, got " + t.simpleString());
      }
      vector = i;
      List<String> names = vectorNames(f);
      if (names == null) {
        // Before the data flows (a Pipeline checking schemas) a vector's size may be unknown.
        unsizedVector = true;
      } else {
        featureNames.addAll(names);
      }
    } else if (c.equals("y")) {
      requireType(c, t, t instanceof StringType || isIntegral(t), "a class name or index");
      label = i;
    } else if (c.equals("t")) {
      requireNumber(c, t);
      target = i;
    } else if (c.equals("weight")) {
      requireNumber(c, t);
      weight = i;
    } else if (c.equals("id")) {
      id = i;
    } else if (c.equals("group")) {
      group = i;
    } else if (c.startsWith("x.") && c.length() > 2) {
      if (featuresCol != null) {
        return; // the features come from the vector column; x.* columns pass through
      }
      requireNumber(c, t);
      featureNames.add(c.substring(2));
      featureColumns.add(i);
    } else if (c.startsWith("cost.")) {
      requireNumber(c, t);
      agent(c, c.substring(5)).cost = i;
    } else if (c.startsWith("avail.")) {
      requireType(c, t, t instanceof BooleanType || t instanceof NumericType, "boolean or 0/1");
      agent(c, c.substring(6)).avail = i;
    } else if (c.startsWith("m.")) {
      String rest = c.substring(2);
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        throw fail(c, "expected m.<agent>.y, m.<agent>.t or m.<agent>.p.<class>");
      }
      AgentSlots a = agent(c, rest.substring(0, dot));
      String suffix = rest.substring(dot + 1);
      if (suffix.equals("y")) {
        requireType(c, t, t instanceof StringType || isIntegral(t), "a class name or index");
        a.predictedClass = i;
      } else if (suffix.equals("t")) {
        requireNumber(c, t);
        a.predictedValue = i;
      } else if (suffix.startsWith("p.") && suffix.length() > 2) {
        requireNumber(c, t);
        int k = classOf(c, suffix.substring(2));
        if (a.probabilities == null) {
          a.probabilities = new int[classes.size()];
          java.util.Arrays.fill(a.probabilities, -1);
        }
        a.probabilities[k] = i;
      } else {
        throw fail(c, "expected m.<agent>.y, m.<agent>.t or m.<agent>.p.<class>");
      }
    }
  }

  private static List<String> vectorNames(StructField f) {
    AttributeGroup g = AttributeGroup.fromStructField(f);
    List<String> names = new ArrayList<>();
    if (g.attributes().isDefined()) {
      Attribute[] attrs = g.attributes().get();
      for (int j = 0; j < attrs.length; j++) {
        String n = attrs[j].name().isDefined() ? attrs[j].name().get() : Integer.toString(j);
        names.add(n.startsWith("x.") ? n.substring(2) : n);
      }
    } else if (g.size() >= 0) {
      for (int j = 0; j < g.size(); j++) {
        names.add(Integer.toString(j));
      }
    } else {
      return null;
    }
    return names;
  }

  private static boolean isIntegral(DataType t) {
    return t instanceof IntegerType
        || t instanceof LongType
        || t instanceof ShortType
        || t instanceof ByteType;
  }

  private void requireNumber(String c, DataType t) {
    requireType(c, t, t instanceof NumericType, "a number");
  }

  private void requireType(String c, DataType t, boolean ok, String expected) {
    if (!ok) {
      throw fail(c, "expected " + expected + ", got Spark type " + t.simpleString());
    }
  }

  private int classOf(String column, String key) {
    int k = classes.indexOf(key);
    if (k < 0 && indexSpelling && key.matches("[0-9]{1,9}")) {
      k = Integer.parseInt(key);
      k = k < classes.size() ? k : -1;
    }
    if (k < 0) {
      throw fail(column, "class '" + key + "' is not one of " + classes);
    }
    return k;
  }

  private AgentSlots agent(String column, String name) {
    AgentSlots a = agents.get(name);
    if (a == null) {
      throw fail(
          column,
          "agent '"
              + name
              + "' is not declared in the task spec; declared agents: "
              + List.copyOf(agents.keySet()));
    }
    return a;
  }

  private IllegalArgumentException fail(String column, String detail) {
    return new IllegalArgumentException(source + ": column " + column + ": " + detail);
  }

  /**
   * The feature names (without {@code x.}), in column (or vector) order.
   *
   * @throws IllegalArgumentException when they come from a vector column without a size in its
   *     metadata
   */
  public List<String> featureNames() {
    if (unsizedVector) {
      throw new IllegalArgumentException(
          source
              + ": column "
              + fieldNames[vector]
              + ": the vector column has no size in its metadata (VectorAssembler and"
              + " VectorSizeHint write one); its features cannot be named");
    }
    return List.copyOf(featureNames);
  }

  /** Whether the table has a {@code weight} column. */
  public boolean hasWeights() {
    return weight >= 0;
  }

  /** Whether the table has an {@code id} column. */
  public boolean hasIds() {
    return id >= 0;
  }

  /** The column names of the schema this layout was resolved on. */
  String[] fieldNames() {
    return fieldNames.clone();
  }

  /**
   * Decodes one partition's rows.
   *
   * @param rows the partition's rows (consumed)
   * @param partition the partition index, for messages
   * @throws IllegalArgumentException naming the partition, the row within it and the column of a
   *     cell that breaks the contract
   */
  public DeferralTable decode(Iterator<Row> rows, int partition) {
    List<Row> buffer = new ArrayList<>();
    rows.forEachRemaining(buffer::add);
    featureNames();
    int n = buffer.size();
    int d = featureNames.size();
    int k = classes.size();
    double[] x = new double[n * d];
    int[] y = label >= 0 ? new int[n] : null;
    double[] tv = target >= 0 ? new double[n] : null;
    double[] w = weight >= 0 ? new double[n] : null;
    String[] ids = id >= 0 ? new String[n] : null;
    String[] groups = group >= 0 ? new String[n] : null;
    Map<String, int[]> pc = new LinkedHashMap<>();
    Map<String, double[]> pv = new LinkedHashMap<>();
    Map<String, double[]> pp = new LinkedHashMap<>();
    Map<String, double[]> cc = new LinkedHashMap<>();
    Map<String, boolean[]> av = new LinkedHashMap<>();
    for (AgentSlots a : agents.values()) {
      if (a.predictedClass >= 0) {
        pc.put(a.name, new int[n]);
      }
      if (a.predictedValue >= 0) {
        pv.put(a.name, new double[n]);
      }
      if (a.probabilities != null) {
        pp.put(a.name, new double[n * k]);
      }
      if (a.cost >= 0) {
        cc.put(a.name, new double[n]);
      }
      if (a.avail >= 0) {
        av.put(a.name, new boolean[n]);
      }
    }
    for (int r = 0; r < n; r++) {
      Row row = buffer.get(r);
      if (vector >= 0) {
        Object v = row.get(vector);
        if (v == null) {
          throw cell(partition, r, vector, "the features vector is null");
        }
        Vector vec = (Vector) v;
        if (vec.size() != d) {
          throw cell(
              partition, r, vector, "the vector has " + vec.size() + " entries, expected " + d);
        }
        for (int j = 0; j < d; j++) {
          x[r * d + j] = finite(vec.apply(j), partition, r, vector);
        }
      } else {
        for (int j = 0; j < d; j++) {
          int col = featureColumns.get(j);
          x[r * d + j] = finite(number(row, col, partition, r), partition, r, col);
        }
      }
      if (y != null) {
        y[r] = classCell(row, label, partition, r, false);
      }
      if (tv != null) {
        tv[r] = finite(number(row, target, partition, r), partition, r, target);
      }
      if (w != null) {
        double wr = finite(number(row, weight, partition, r), partition, r, weight);
        if (wr < 0) {
          throw cell(partition, r, weight, "a weight must be >= 0, got " + wr);
        }
        w[r] = wr;
      }
      if (ids != null) {
        ids[r] = text(row, id, partition, r);
      }
      if (groups != null) {
        groups[r] = text(row, group, partition, r);
      }
      for (AgentSlots a : agents.values()) {
        if (a.predictedClass >= 0) {
          pc.get(a.name)[r] = classCell(row, a.predictedClass, partition, r, true);
        }
        if (a.predictedValue >= 0) {
          pv.get(a.name)[r] = optionalNumber(row, a.predictedValue, partition, r);
        }
        if (a.probabilities != null) {
          double[] p = pp.get(a.name);
          int nulls = 0;
          for (int c = 0; c < k; c++) {
            double v = optionalNumber(row, a.probabilities[c], partition, r);
            if (Double.isNaN(v)) {
              nulls++;
            } else if (v < 0 || v > 1) {
              throw cell(partition, r, a.probabilities[c], "a probability must be in [0, 1]");
            }
            p[r * k + c] = v;
          }
          if (nulls != 0 && nulls != k) {
            throw cell(
                partition,
                r,
                a.probabilities[0],
                "agent " + a.name + "'s probabilities must be all present or all empty");
          }
        }
        if (a.cost >= 0) {
          double v = optionalNumber(row, a.cost, partition, r);
          if (v < 0) {
            throw cell(partition, r, a.cost, "a cost must be >= 0, got " + v);
          }
          cc.get(a.name)[r] = v;
        }
        if (a.avail >= 0) {
          av.get(a.name)[r] = availability(row, a.avail, partition, r);
        }
      }
    }
    DeferralTable.Builder b =
        DeferralTable.builder(source + " (partition " + partition + ")", n)
            .features(featureNames(), x);
    if (y != null) {
      b.labels(y);
    }
    if (tv != null) {
      b.targets(tv);
    }
    if (w != null) {
      b.weights(w);
    }
    if (ids != null) {
      b.ids(ids);
    }
    if (groups != null) {
      b.groups(groups);
    }
    for (AgentSlots a : agents.values()) {
      if (a.hasOutputs()) {
        b.agent(
            a.name,
            new AgentColumns(
                n,
                pc.get(a.name),
                pv.get(a.name),
                pp.get(a.name),
                a.probabilities == null ? 0 : k,
                cc.get(a.name)));
      }
      if (a.avail >= 0) {
        b.availability(a.name, av.get(a.name));
      }
    }
    return b.build();
  }

  private double number(Row row, int col, int partition, int r) {
    Object v = row.get(col);
    if (v == null) {
      throw cell(partition, r, col, "empty cell");
    }
    return ((Number) v).doubleValue();
  }

  private static double optionalNumber(Row row, int col, int partition, int r) {
    Object v = row.get(col);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private double finite(double v, int partition, int r, int col) {
    if (!Double.isFinite(v)) {
      throw cell(partition, r, col, "expected a finite number, got " + v);
    }
    return v;
  }

  private String text(Row row, int col, int partition, int r) {
    Object v = row.get(col);
    if (v == null) {
      throw cell(partition, r, col, "empty cell");
    }
    return v.toString();
  }

  private boolean availability(Row row, int col, int partition, int r) {
    Object v = row.get(col);
    if (v instanceof Boolean bv) {
      return bv;
    }
    if (v instanceof Number num) {
      double d = num.doubleValue();
      if (d == 0 || d == 1) {
        return d == 1;
      }
    }
    throw cell(partition, r, col, "an availability cell is 1 or 0, got " + v);
  }

  private int classCell(Row row, int col, int partition, int r, boolean optional) {
    Object v = row.get(col);
    if (v == null) {
      if (optional) {
        return AgentColumns.UNOBSERVED;
      }
      throw cell(partition, r, col, "empty cell; every row needs its class");
    }
    String s = v.toString();
    int k = classes.indexOf(s);
    if (k < 0 && indexSpelling && v instanceof Number num) {
      long idx = num.longValue();
      k = idx >= 0 && idx < classes.size() ? (int) idx : -1;
    }
    if (k < 0) {
      throw cell(partition, r, col, "class '" + s + "' is not one of " + classes);
    }
    return k;
  }

  private IllegalArgumentException cell(int partition, int r, int col, String detail) {
    return new IllegalArgumentException(
        source
            + ": partition "
            + partition
            + ", row "
            + (r + 1)
            + ", column "
            + fieldNames[col]
            + ": "
            + detail);
  }
}
