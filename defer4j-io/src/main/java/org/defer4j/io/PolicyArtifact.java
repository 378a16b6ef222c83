package org.defer4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.FeatureStep;
import org.defer4j.core.feature.FeatureSteps;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.feature.Standardization;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerCodec;
import org.defer4j.core.model.ScorerCodecs;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.DecisionRule;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatureStep;
import org.defer4j.io.text.TextFeaturizerState;

/**
 * A learned policy in one JSON file that the CLI, the Java API, the server and Spark all load: the
 * format version, a checksum, and a payload with the task spec, the feature pipeline (named inputs,
 * derived steps such as text features or the frozen model's probabilities, standardisation), the
 * scorer (its registered kind and state), the score head, the decision rule and the typed
 * provenance.
 *
 * <p>The checksum is the SHA-256 of the canonical JSON of the {@code payload} object; loading
 * recomputes it, so a damaged or hand-edited file fails with a clear error instead of routing
 * wrongly. Doubles are written in shortest round-trip form, so a loaded policy gives the same
 * scores bit for bit.
 *
 * <p><b>Versions.</b> Version 2 is written. Version 1 files (one surrogate name for head and rule,
 * features by position, no standardisation, an optional text featurizer) are migrated on load into
 * the same policy: the named inputs, the frozen model's probability inputs when the feature list
 * ends with them, the text step, the head of the surrogate and its threshold.
 */
public final class PolicyArtifact {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "defer4j-policy";

  /** The format version this code writes. */
  public static final int FORMAT_VERSION = 2;

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PolicyArtifact() {}

  /** Writes a policy to a file, creating parent folders. */
  public static void save(LearnedPolicy policy, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, toBytes(policy));
  }

  /** Writes a policy to a stream (not closed). */
  public static void write(LearnedPolicy policy, OutputStream out) throws IOException {
    out.write(toBytes(policy));
  }

  /** A policy as the bytes of its file. */
  public static byte[] toBytes(LearnedPolicy policy) throws IOException {
    ObjectNode payload = newPayload();
    payload.put("name", policy.name());
    payload.put("task", TaskSpecIo.toYaml(policy.task()));
    payload.set("features", pipeline(policy.features()));
    payload.set("scorer", scorer(policy.scorer()));
    payload.put("head", policy.head().spec());
    payload.put("rule", policy.rule().spec());
    if (policy.committee() != null) {
      payload.set("committee", committee(policy.committee()));
    }
    payload.set("provenance", CANONICAL.valueToTree(provenance(policy.provenance())));
    return envelope(FORMAT, FORMAT_VERSION, payload);
  }

  /**
   * Reads a policy file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and the problem: missing, not a policy, an
   *     unknown format version, a checksum mismatch (damaged or edited), or inconsistent contents
   */
  public static LearnedPolicy load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + ": no such policy file" + (Files.isDirectory(file) ? " (it is a folder)" : ""));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such policy file", e);
    }
  }

  /** Reads a policy from a stream (not closed); {@code source} names it in messages. */
  public static LearnedPolicy load(InputStream in, String source) throws IOException {
    return fromTree(readTree(in, source, "policy"), source);
  }

  /** Reads a policy from the bytes of its file. */
  public static LearnedPolicy fromBytes(byte[] bytes, String source) throws IOException {
    return load(new ByteArrayInputStream(bytes), source);
  }

  /**
   * Whether a file is a defer4j policy, judged by its content (a JSON object whose {@code format}
   * is {@value #FORMAT}), whatever its name.
   */
  public static boolean isPolicy(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(256);
      String s = new String(head, java.nio.charset.StandardCharsets.UTF_8);
      return s.stripLeading().startsWith("{") && s.contains("\"" + FORMAT + "\"");
    } catch (IOException e) {
      return false;
    }
  }

  private static LearnedPolicy fromTree(JsonNode root, String source) throws IOException {
    JsonNode payload = verified(root, source, FORMAT, "policy", 1, FORMAT_VERSION);
    int version = root.path("format_version").asInt();
    try {
      return version == 1 ? fromVersion1(payload, source) : fromPayload(payload, source);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": inconsistent policy: " + e.getMessage(), e);
    }
  }

  /**
   * The payload of an artifact envelope after checking its format, version and checksum.
   *
   * @param what "policy", "stage-one model", for messages
   */
  static JsonNode verified(
      JsonNode root, String source, String format, String what, int oldest, int newest)
      throws IOException {
    if (root == null || !root.isObject() || !format.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          source + ": not a defer4j " + what + " (no format '" + format + "')");
    }
    int version = root.path("format_version").asInt(-1);
    if (version < oldest || version > newest) {
      throw new IllegalArgumentException(
          source
              + ": "
              + what
              + " format version "
              + version
              + "; this defer4j reads versions "
              + (oldest == newest ? Integer.toString(newest) : oldest + " and " + newest));
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new IllegalArgumentException(source + ": " + what + " has no payload");
    }
    String expected = root.path("checksum").asText();
    String actual = "sha256:" + sha256(canonical(payload));
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException(
          source
              + ": checksum mismatch (file says "
              + expected
              + ", contents give "
              + actual
              + "); the "
              + what
              + " is damaged or was edited");
    }
    return payload;
  }

  /** The bytes of an artifact envelope around a payload. */
  static byte[] envelope(String format, int version, ObjectNode payload) throws IOException {
    ObjectNode root = PRETTY.createObjectNode();
    root.put("format", format);
    root.put("format_version", version);
    root.put("checksum", "sha256:" + sha256(canonical(payload)));
    root.set("payload", payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PRETTY.writeValue(out, root);
    return out.toByteArray();
  }

  /** Parses JSON, naming the source and what was expected when it is not JSON. */
  static JsonNode readTree(InputStream in, String source, String what) throws IOException {
    try {
      return CANONICAL.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          source + ": not a defer4j " + what + " (invalid JSON: " + e.getOriginalMessage() + ")",
          e);
    }
  }

  /** An empty payload object. */
  static ObjectNode newPayload() {
    return CANONICAL.createObjectNode();
  }

  /** A scorer as {@code {kind, state}}. */
  static ObjectNode scorer(Scorer scorer) {
    ScorerCodec codec = ScorerCodecs.forScorer(scorer);
    ObjectNode s = CANONICAL.createObjectNode();
    s.put("kind", codec.kind());
    s.set("state", CANONICAL.valueToTree(codec.encode(scorer)));
    return s;
  }

  /**
   * A committee rule as {@code {rule}} (fixed k) or {@code {rule, lambda, penalty, scorer}} (a
   * learned k(x), whose scorer is saved like the policy's).
   */
  static ObjectNode committee(CommitteeRule c) {
    ObjectNode o = CANONICAL.createObjectNode();
    o.put("rule", c.spec());
    if (c.adaptive()) {
      o.put("lambda", c.cardinality().lambda());
      o.put("penalty", c.cardinality().penalty().spec());
      o.set("scorer", scorer(c.cardinality().scorer()));
    }
    return o;
  }

  /** The committee rule of {@link #committee(CommitteeRule)}. */
  static CommitteeRule committee(JsonNode o) throws IOException {
    String spec = o.path("rule").asText();
    if (spec.startsWith("adaptive:")) {
      CommitteeRule.Cardinality card =
          new CommitteeRule.Cardinality(
              scorer(o.path("scorer")),
              o.path("lambda").asDouble(),
              CommitteeRule.Penalty.parse(o.path("penalty").asText()));
      return CommitteeRule.adaptive(card, Aggregator.parse(spec.substring("adaptive:".length())));
    }
    return CommitteeRule.parseFixed(spec);
  }

  /** The scorer of {@link #scorer(Scorer)}. */
  static Scorer scorer(JsonNode s) throws IOException {
    return ScorerCodecs.forKind(s.path("kind").asText())
        .decode(map(s.path("state"), "scorer state"));
  }

  private static LearnedPolicy fromPayload(JsonNode p, String source) throws IOException {
    TaskSpec task = TaskSpecIo.parse(p.path("task").asText(), source + "#task");
    FeaturePipeline features = pipeline(p.path("features"));
    Scorer scorer = scorer(p.path("scorer"));
    ScoreHead head = ScoreHead.parse(p.path("head").asText());
    DecisionRule rule = DecisionRules.parse(p.path("rule").asText());
    Provenance prov = provenance(p.path("provenance"));
    LearnedPolicy policy = new LearnedPolicy(task, features, scorer, head, rule, prov);
    if (p.hasNonNull("committee")) {
      policy = policy.withCommittee(committee(p.path("committee")));
    }
    String name = p.path("name").asText(prov.method());
    return name.equals(prov.method()) ? policy : policy.withName(name);
  }

  /** Version 1 (the first trained policies): see the class comment. */
  private static LearnedPolicy fromVersion1(JsonNode p, String source) throws IOException {
    String method = p.path("method").asText();
    // dce left the catalogue; its version-1 policies kept the class-max head of its layout.
    ScoreHead head =
        method.equals("dce") ? ScoreHead.CLASS_MAX : ScoreHead.of(Surrogates.byName(method));
    TaskSpec task = TaskSpecIo.parse(p.path("task").asText(), source + "#task");
    List<String> names = new ArrayList<>();
    p.path("features").forEach(f -> names.add(f.asText()));
    List<FeatureStep> steps = new ArrayList<>();
    JsonNode t = p.get("text");
    if (t != null && !t.isNull()) {
      FittedTextFeaturizer f =
          FittedTextFeaturizer.fromState(CANONICAL.treeToValue(t, TextFeaturizerState.class));
      int d = f.dimension();
      names.subList(names.size() - d, names.size()).clear();
      steps.add(new TextFeatureStep(task.textColumn(), FittedTextFeaturizer.DEFAULT_PREFIX, f));
    } else if (task.hasFrozenModel()) {
      ModelProbabilities mp = new ModelProbabilities(task.model(), task.classes());
      int k = mp.names().size();
      if (names.size() >= k && names.subList(names.size() - k, names.size()).equals(mp.names())) {
        names.subList(names.size() - k, names.size()).clear();
        steps.add(mp);
      }
    }
    JsonNode s = p.get("scorer");
    Map<String, Object> state = map(s, "scorer");
    String kind = s.path("kind").asText().toLowerCase(java.util.Locale.ROOT);
    Scorer scorer = ScorerCodecs.forKind(kind).decode(state);
    JsonNode th = p.get("threshold");
    DecisionRule rule =
        th == null || th.isNull() ? DecisionRules.argmax() : DecisionRules.threshold(th.asDouble());
    Map<String, String> old = new LinkedHashMap<>();
    p.path("provenance").properties().forEach(e -> old.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : old.entrySet()) {
      if (e.getKey().startsWith("validation_")) {
        metrics.put(e.getKey(), Double.parseDouble(e.getValue()));
      } else if (!List.of("method", "algorithm", "seed", "epochs", "best_epoch", "train_rows")
          .contains(e.getKey())) {
        options.put(e.getKey(), e.getValue());
      }
    }
    options.put("migrated_from_format_version", "1");
    Provenance prov =
        new Provenance(
            old.getOrDefault("method", method),
            old.getOrDefault("algorithm", ""),
            Long.parseLong(old.getOrDefault("seed", "0")),
            Integer.parseInt(old.getOrDefault("epochs", "0")),
            Integer.parseInt(old.getOrDefault("best_epoch", "0")),
            Integer.parseInt(old.getOrDefault("train_rows", "0")),
            old.getOrDefault("data_sha256", ""),
            p.path("defer4j_version").asText(""),
            p.path("created").asText(""),
            options,
            metrics);
    return new LearnedPolicy(task, FeaturePipeline.of(names, steps), scorer, head, rule, prov);
  }

  static ObjectNode pipeline(FeaturePipeline f) {
    ObjectNode n = CANONICAL.createObjectNode();
    ArrayNode cols = n.putArray("columns");
    f.columns().forEach(cols::add);
    ArrayNode steps = n.putArray("steps");
    for (FeatureStep s : f.steps()) {
      ObjectNode o = steps.addObject();
      o.put("kind", s.kind());
      o.set("state", CANONICAL.valueToTree(s.state()));
    }
    Standardization st = f.standardization();
    if (st == null) {
      n.putNull("standardization");
    } else {
      ObjectNode o = n.putObject("standardization");
      ArrayNode mean = o.putArray("mean");
      for (double v : st.mean()) {
        mean.add(v);
      }
      ArrayNode scale = o.putArray("scale");
      for (double v : st.scale()) {
        scale.add(v);
      }
    }
    return n;
  }

  static FeaturePipeline pipeline(JsonNode n) throws IOException {
    List<String> cols = new ArrayList<>();
    n.path("columns").forEach(c -> cols.add(c.asText()));
    List<FeatureStep> steps = new ArrayList<>();
    for (JsonNode s : n.path("steps")) {
      steps.add(FeatureSteps.decode(s.path("kind").asText(), map(s.path("state"), "step state")));
    }
    FeaturePipeline p = FeaturePipeline.of(cols, steps);
    JsonNode st = n.get("standardization");
    if (st != null && !st.isNull()) {
      p =
          p.withStandardization(
              new Standardization(doubles(st.path("mean")), doubles(st.path("scale"))));
    }
    return p;
  }

  private static Map<String, Object> provenance(Provenance p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", p.method());
    m.put("algorithm", p.algorithm());
    m.put("seed", p.seed());
    m.put("epochs", p.epochs());
    m.put("best_epoch", p.bestEpoch());
    m.put("train_rows", p.trainRows());
    m.put("data_sha256", p.dataSha256());
    m.put("defer4j_version", p.defer4jVersion());
    m.put("created", p.created());
    m.put("options", p.options());
    Map<String, Object> metrics = new LinkedHashMap<>();
    p.metrics().forEach((k, v) -> metrics.put(k, Double.isFinite(v) ? v : null));
    m.put("metrics", metrics);
    return m;
  }

  private static Provenance provenance(JsonNode n) {
    Map<String, String> options = new LinkedHashMap<>();
    n.path("options").properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    n.path("metrics")
        .properties()
        .forEach(
            e ->
                metrics.put(
                    e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble()));
    return new Provenance(
        n.path("method").asText(),
        n.path("algorithm").asText(""),
        n.path("seed").asLong(),
        n.path("epochs").asInt(),
        n.path("best_epoch").asInt(),
        n.path("train_rows").asInt(),
        n.path("data_sha256").asText(""),
        n.path("defer4j_version").asText(""),
        n.path("created").asText(""),
        options,
        metrics);
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(JsonNode n, String what) throws IOException {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(what + " must be an object");
    }
    return CANONICAL.treeToValue(n, Map.class);
  }

  static byte[] canonical(JsonNode node) throws JsonProcessingException {
    Object sorted = CANONICAL.treeToValue(node, Object.class);
    return CANONICAL.writeValueAsBytes(sorted);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** SHA-256 of a file's bytes, hex, for provenance. */
  public static String fileHash(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  /** The defer4j version of this build ({@code dev} outside a packaged jar). */
  public static String version() {
    String v = PolicyArtifact.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
