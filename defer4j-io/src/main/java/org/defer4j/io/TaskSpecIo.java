package org.defer4j.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Reads and writes task specs in the YAML shape of DESIGN.md §4:
 *
 * <pre>
 * task: classification            # classification | regression | multitask | costs
 * classes: [hate, offensive, neither]   # names in index order, or an integer K (names "0".."K-1")
 * model: densenet                 # optional: the frozen model's agent name (two-stage)
 * experts:
 *   - name: alice
 *     fee: 0.1                    # consultation cost beta_j (default 0)
 *     alpha: 1.0                  # weight alpha_j of the expert's error (default 1)
 *   - name: bob
 * cost:
 *   classification: 1.0           # default 1 for classification and multitask, else 0
 *   regression: 0.0               # default 1 for regression, else 0
 *   regression_loss: smooth_l1    # squared | absolute | smooth_l1 (default smooth_l1)
 *   clip: 5.0                     # optional upper bound on the regression loss
 * text: tweet                     # optional raw text column
 * </pre>
 *
 * <p>Reading is strict because specs are written by hand: an unknown key is rejected with the list
 * of accepted keys (a typo such as {@code fees:} must not silently leave a fee at 0), a repeated
 * key is rejected, and every value is type- and range-checked. Every error is a {@link
 * TaskSpecFormatException} whose message names the source and the key path, e.g. {@code "task.yaml:
 * experts[1].fee: must be >= 0, got -1"}. An expert may also be written as a bare name ({@code -
 * bob}) when it has no fee. Class names are taken as written; quote names that YAML would read as
 * floating-point numbers ({@code "1e3"}).
 *
 * <p>{@link #toYaml} writes every key explicitly (defaults included) so that {@code
 * parse(toYaml(s))} equals {@code s}.
 */
public final class TaskSpecIo {
  /** The keys accepted at the top level. */
  public static final List<String> TOP_LEVEL_KEYS =
      List.of("task", "classes", "model", "experts", "cost", "text");

  /** The keys accepted in one entry of {@code experts}. */
  public static final List<String> EXPERT_KEYS = List.of("name", "fee", "alpha");

  /** The keys accepted in the {@code cost} block. */
  public static final List<String> COST_KEYS =
      List.of("classification", "regression", "regression_loss", "clip");

  /** Guards against a typo such as {@code classes: 1000000000} allocating a huge name list. */
  private static final int MAX_CLASSES = 1_000_000;

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private TaskSpecIo() {}

  /**
   * Reads a task spec from a UTF-8 YAML file.
   *
   * @throws TaskSpecFormatException naming the file and the key path when the spec is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TaskSpec read(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read task spec " + file + ": " + e.getMessage(), e);
    }
    return parse(yaml, file.toString());
  }

  /**
   * Parses a task spec.
   *
   * @param yaml the YAML text
   * @param sourceName where the text came from (a file name), used in messages
   * @throws TaskSpecFormatException naming {@code sourceName} and the key path when the spec is
   *     malformed
   */
  public static TaskSpec parse(String yaml, String sourceName) {
    String source = sourceName == null ? "<task spec>" : sourceName;
    Node root;
    try (JsonParser p = MAPPER.getFactory().createParser(yaml == null ? "" : yaml)) {
      root = p.nextToken() == null ? null : tree(p);
      if (p.nextToken() != null) {
        throw new TaskSpecFormatException(
            source, null, "more than one YAML document" + at(p.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      throw new TaskSpecFormatException(
          source, null, "malformed YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Parser(source).spec(root);
  }

  private static String at(JsonLocation at) {
    return at == null || at.getLineNr() < 1
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * Builds the YAML tree keeping every scalar's text as written. Jackson's own tree would turn the
   * YAML 1.1 words {@code yes/no/on/off} into booleans and {@code 1e3} into {@code 1000.0}, which
   * would silently rename classes such as {@code [no, yes]}.
   */
  private static Node tree(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Node> entries = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            entries.put(key, tree(p));
          }
          return new MapNode(entries);
        }
      case START_ARRAY:
        {
          List<Node> items = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(tree(p));
          }
          return new ListNode(items);
        }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new Scalar(
            t == JsonToken.VALUE_NUMBER_INT ? Kind.INTEGER : Kind.FLOAT,
            p.getText(),
            yamlNumber(p));
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Scalar(Kind.BOOLEAN, p.getText(), Double.NaN);
      case VALUE_NULL:
        return new Scalar(Kind.NULL, p.getText(), Double.NaN);
      default:
        return new Scalar(Kind.STRING, p.getText(), Double.NaN);
    }
  }

  /** A YAML number, including the {@code .inf} and {@code .nan} spellings Jackson leaves to us. */
  private static double yamlNumber(JsonParser p) throws IOException {
    String s = p.getText().toLowerCase(Locale.ROOT);
    if (s.equals(".nan")) {
      return Double.NaN;
    }
    if (s.equals(".inf") || s.equals("+.inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (s.equals("-.inf")) {
      return Double.NEGATIVE_INFINITY;
    }
    return p.getDoubleValue();
  }

  /** A node of the YAML tree. */
  private sealed interface Node permits MapNode, ListNode, Scalar {}

  private record MapNode(Map<String, Node> entries) implements Node {}

  private record ListNode(List<Node> items) implements Node {}

  private enum Kind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  /** A scalar with its text as written and, for numbers, its value. */
  private record Scalar(Kind kind, String text, double number) implements Node {}

  /**
   * Writes a task spec as UTF-8 YAML, replacing the file.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(TaskSpec spec, Path file) {
    try {
      Files.writeString(file, toYaml(spec), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write task spec " + file + ": " + e.getMessage(), e);
    }
  }

  /** The YAML text of a spec, with every key written explicitly; {@link #parse} reads it back. */
  public static String toYaml(TaskSpec spec) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("task", spec.kind().specName());
    if (!spec.classes().isEmpty()) {
      if (isCanonicalIndexList(spec.classes())) {
        root.put("classes", spec.classes().size());
      } else {
        ArrayNode classes = root.putArray("classes");
        spec.classes().forEach(classes::add);
      }
    }
    if (spec.model() != null) {
      root.put("model", spec.model());
    }
    if (!spec.experts().isEmpty()) {
      ArrayNode experts = root.putArray("experts");
      for (Agent e : spec.experts()) {
        ObjectNode o = experts.addObject();
        o.put("name", e.name());
        o.put("fee", e.fee());
        o.put("alpha", e.alpha());
      }
    }
    CostWeights w = spec.cost();
    ObjectNode cost = root.putObject("cost");
    cost.put("classification", w.classification());
    cost.put("regression", w.regression());
    cost.put("regression_loss", w.regressionLoss().specName());
    if (Double.isFinite(w.clip())) {
      cost.put("clip", w.clip());
    }
    if (spec.textColumn() != null) {
      root.put("text", spec.textColumn());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise task spec " + spec, e);
    }
  }

  private static boolean isCanonicalIndexList(List<String> classes) {
    for (int k = 0; k < classes.size(); k++) {
      if (!classes.get(k).equals(Integer.toString(k))) {
        return false;
      }
    }
    return true;
  }

  /** Walks the YAML tree, keeping the source for messages. */
  private static final class Parser {
    private final String source;

    Parser(String source) {
      this.source = source;
    }

    TaskSpec spec(Node root) {
      if (absent(root)) {
        throw fail(null, "empty task spec; expected the keys " + TOP_LEVEL_KEYS);
      }
      if (!(root instanceof MapNode top)) {
        throw fail(null, "a task spec must be a mapping of the keys " + TOP_LEVEL_KEYS);
      }
      Map<String, Node> m = top.entries();
      checkKeys(m, "", TOP_LEVEL_KEYS);
      TaskKind kind = kind(m.get("task"));
      List<String> classes = classes(m.get("classes"), kind);
      String model = name(m.get("model"), "model");
      List<Agent> experts = experts(m.get("experts"), model);
      CostWeights cost = cost(m.get("cost"), kind);
      String text = string(m.get("text"), "text");
      try {
        return new TaskSpec(kind, classes, model, experts, cost, text);
      } catch (IllegalArgumentException e) {
        // Every rule TaskSpec enforces is checked above with a key path; this is a safety net.
        throw new TaskSpecFormatException(source, null, e.getMessage(), e);
      }
    }

    private TaskKind kind(Node node) {
      String accepted = "[classification, regression, multitask, costs]";
      if (absent(node)) {
        throw fail("task", "missing; expected one of " + accepted);
      }
      if (!isText(node)) {
        throw fail("task", "expected one of " + accepted + ", got " + describe(node));
      }
      String s = ((Scalar) node).text();
      try {
        return TaskKind.parse(s);
      } catch (IllegalArgumentException e) {
        throw fail("task", "'" + s + "' is not one of " + accepted);
      }
    }

    private List<String> classes(Node node, TaskKind kind) {
      if (absent(node)) {
        if (kind.hasLabels()) {
          throw fail(
              "classes",
              "missing; a "
                  + kind.specName()
                  + " task needs its classes (a list of names in index order, or an integer K)");
        }
        return List.of();
      }
      List<String> names = new ArrayList<>();
      if (node instanceof Scalar s && s.kind() == Kind.INTEGER) {
        if (!(s.number() >= 2 && s.number() <= MAX_CLASSES)) {
          throw fail(
              "classes", "an integer K must lie in [2, " + MAX_CLASSES + "], got " + s.text());
        }
        for (int k = 0; k < (int) s.number(); k++) {
          names.add(Integer.toString(k));
        }
        return names;
      }
      if (!(node instanceof ListNode list)) {
        throw fail(
            "classes", "expected a list of class names or an integer K, got " + describe(node));
      }
      Set<String> seen = new HashSet<>();
      for (int k = 0; k < list.items().size(); k++) {
        Node c = list.items().get(k);
        String key = "classes[" + k + "]";
        if (absent(c) || !(c instanceof Scalar s)) {
          throw fail(key, "expected a class name, got " + describe(c));
        }
        String name = s.text();
        if (name.isEmpty()) {
          throw fail(key, "a class name must be non-empty");
        }
        if (!seen.add(name)) {
          throw fail(key, "class '" + name + "' is listed twice");
        }
        names.add(name);
      }
      if (names.size() < 2) {
        throw fail("classes", "at least 2 classes are needed, got " + names);
      }
      return names;
    }

    private List<Agent> experts(Node node, String model) {
      if (absent(node)) {
        return List.of();
      }
      if (!(node instanceof ListNode list)) {
        throw fail("experts", "expected a list of experts, got " + describe(node));
      }
      List<Agent> experts = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      String agent0 = model == null ? AgentSet.LEARNED_MODEL : model;
      for (int j = 0; j < list.items().size(); j++) {
        Node e = list.items().get(j);
        String key = "experts[" + j + "]";
        String nameKey;
        String name;
        double fee = 0.0;
        double alpha = 1.0;
        if (isText(e)) {
          nameKey = key;
          name = name(e, key);
        } else if (e instanceof MapNode m) {
          checkKeys(m.entries(), key + ".", EXPERT_KEYS);
          nameKey = key + ".name";
          if (absent(m.entries().get("name"))) {
            throw fail(nameKey, "missing; every expert needs a name");
          }
          name = name(m.entries().get("name"), nameKey);
          fee = nonNegative(m.entries().get("fee"), key + ".fee", 0.0);
          alpha = nonNegative(m.entries().get("alpha"), key + ".alpha", 1.0);
        } else {
          throw fail(key, "expected a mapping with keys " + EXPERT_KEYS + ", got " + describe(e));
        }
        if (name.equals(agent0)) {
          throw fail(
              nameKey,
              model == null
                  ? "'"
                      + name
                      + "' is the name of the learned model (agent 0) when no frozen model is"
                      + " declared; choose another name"
                  : "'" + name + "' is already the frozen model's name");
        }
        if (!seen.add(name)) {
          throw fail(nameKey, "expert '" + name + "' is declared twice");
        }
        experts.add(new Agent(name, Agent.Role.EXPERT, fee, alpha));
      }
      return experts;
    }

    private CostWeights cost(Node node, TaskKind kind) {
      CostWeights d = CostWeights.defaults(kind);
      if (absent(node)) {
        return d;
      }
      if (!(node instanceof MapNode block)) {
        throw fail("cost", "expected a mapping with keys " + COST_KEYS + ", got " + describe(node));
      }
      Map<String, Node> m = block.entries();
      checkKeys(m, "cost.", COST_KEYS);
      double classification =
          nonNegative(m.get("classification"), "cost.classification", d.classification());
      double regression = nonNegative(m.get("regression"), "cost.regression", d.regression());
      RegressionLoss loss = d.regressionLoss();
      Node l = m.get("regression_loss");
      if (!absent(l)) {
        try {
          if (!isText(l)) {
            throw new IllegalArgumentException("not a string");
          }
          loss = RegressionLoss.parse(((Scalar) l).text());
        } catch (IllegalArgumentException e) {
          throw fail(
              "cost.regression_loss",
              describe(l) + " is not one of [squared, absolute, smooth_l1]");
        }
      }
      double clip = d.clip();
      Node c = m.get("clip");
      if (!absent(c)) {
        clip = number(c, "cost.clip");
        if (!(clip > 0)) {
          throw fail("cost.clip", "must be > 0, got " + describe(c));
        }
      }
      return new CostWeights(classification, regression, loss, clip);
    }

    private String name(Node node, String key) {
      String s = string(node, key);
      if (s != null && !s.matches("[A-Za-z0-9_\\-]+")) {
        throw fail(
            key, "agent name '" + s + "' may only hold letters, digits, '_' and '-' (and no dots)");
      }
      return s;
    }

    private String string(Node node, String key) {
      if (absent(node)) {
        return null;
      }
      if (!isText(node)) {
        throw fail(key, "expected a string, got " + describe(node));
      }
      String s = ((Scalar) node).text();
      if (s.isEmpty()) {
        throw fail(key, "must be non-empty");
      }
      return s;
    }

    private double nonNegative(Node node, String key, double fallback) {
      if (absent(node)) {
        return fallback;
      }
      double v = number(node, key);
      if (!Double.isFinite(v)) {
        throw fail(key, "must be finite, got " + describe(node));
      }
      if (v < 0) {
        throw fail(key, "must be >= 0, got " + describe(node));
      }
      return v;
    }

    private double number(Node node, String key) {
      if (!(node instanceof Scalar s) || (s.kind() != Kind.INTEGER && s.kind() != Kind.FLOAT)) {
        throw fail(key, "must be a number, got " + describe(node));
      }
      return s.number();
    }

    private void checkKeys(Map<String, Node> entries, String prefix, List<String> accepted) {
      for (String k : entries.keySet()) {
        if (!accepted.contains(k)) {
          throw fail(prefix + k, "unknown key; accepted keys are " + accepted);
        }
      }
    }

    /** Strings, and the words YAML 1.1 would read as booleans, are names; numbers are not. */
    private static boolean isText(Node node) {
      return node instanceof Scalar s && (s.kind() == Kind.STRING || s.kind() == Kind.BOOLEAN);
    }

    private static boolean absent(Node node) {
      return node == null || (node instanceof Scalar s && s.kind() == Kind.NULL);
    }

    private static String describe(Node node) {
      if (absent(node)) {
        return "nothing";
      }
      if (node instanceof ListNode) {
        return "a list";
      }
      if (node instanceof MapNode) {
        return "a mapping";
      }
      Scalar s = (Scalar) node;
      return s.kind() == Kind.STRING ? "'" + s.text() + "'" : s.text();
    }

    private TaskSpecFormatException fail(String key, String detail) {
      return new TaskSpecFormatException(source, key, detail);
    }
  }
}
