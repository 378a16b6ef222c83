package org.defer4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.ScorerState;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.DeferralModel;
import org.defer4j.io.text.FittedTextFeaturizer;
import org.defer4j.io.text.TextFeatures;
import org.defer4j.io.text.TextFeaturizerState;

/**
 * A trained deferral policy in one JSON file: format version, checksum, the task spec, the feature
 * schema, the text featurizer (when the task has a text column), the scorer's weights, the decision
 * rule (method and threshold) and provenance (version, seed, data hash, validation metrics).
 *
 * <p>The checksum is the SHA-256 of the canonical JSON of the {@code payload} object; loading
 * recomputes it, so a damaged or hand-edited file fails with a clear error instead of routing
 * wrongly. Doubles are written in shortest round-trip form, so a loaded policy gives the same
 * scores bit for bit.
 */
public final class PolicyArtifact {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "defer4j-policy";

  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final DeferralModel model;
  private final String method;
  private final FittedTextFeaturizer text;

  /**
   * @param model the fitted model
   * @param method the surrogate's catalogue name ({@link Surrogates#byName}), e.g. {@code ce}
   * @param text the fitted featurizer of the task's text column, or null
   */
  public PolicyArtifact(DeferralModel model, String method, FittedTextFeaturizer text) {
    this.model = model;
    this.method = method;
    this.text = text;
    Surrogate check = Surrogates.byName(method);
    if (check.layout() != model.surrogate().layout()) {
      throw new IllegalArgumentException(
          "method '"
              + method
              + "' does not name the model's surrogate "
              + model.surrogate().name());
    }
  }

  /** The model. */
  public DeferralModel model() {
    return model;
  }

  /** The surrogate's catalogue name. */
  public String method() {
    return method;
  }

  /** The text featurizer, or null. */
  public FittedTextFeaturizer text() {
    return text;
  }

  /**
   * The table as the model sees it: with the text column featurised when the policy has a text
   * featurizer.
   */
  public DeferralTable prepare(DeferralTable table) {
    if (text == null) {
      return table;
    }
    String column = model.task().textColumn();
    if (table.featureNames().equals(model.featureNames())) {
      return table;
    }
    return TextFeatures.append(table, text, column);
  }

  /** Writes the artifact, creating parent folders. */
  public void save(Path file) throws IOException {
    ObjectNode payload = CANONICAL.createObjectNode();
    payload.put("defer4j_version", version());
    payload.put("created", Instant.now().toString());
    payload.put("method", method);
    if (Double.isNaN(model.threshold())) {
      payload.putNull("threshold");
    } else {
      payload.put("threshold", model.threshold());
    }
    payload.put("task", TaskSpecIo.toYaml(model.task()));
    ArrayNode features = payload.putArray("features");
    model.featureNames().forEach(features::add);
    payload.set("text", text == null ? null : CANONICAL.valueToTree(text.state()));
    ScorerState state = model.scorer().state();
    ObjectNode scorer = payload.putObject("scorer");
    ScorerSpec spec = state.spec();
    scorer.put("kind", spec.kind().name());
    scorer.put("input_dim", spec.inputDim());
    scorer.put("output_dim", spec.outputDim());
    ArrayNode hidden = scorer.putArray("hidden");
    for (int h : spec.hidden()) {
      hidden.add(h);
    }
    if (spec.activation() == null) {
      scorer.putNull("activation");
    } else {
      scorer.put("activation", spec.activation().name());
    }
    scorer.put("l2", spec.l2());
    ArrayNode params = scorer.putArray("parameters");
    for (double p : state.parameters()) {
      params.add(p);
    }
    ObjectNode prov = payload.putObject("provenance");
    new java.util.TreeMap<>(model.provenance()).forEach(prov::put);
    ObjectNode root = PRETTY.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("checksum", "sha256:" + sha256(canonical(payload)));
    root.set("payload", payload);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, PRETTY.writeValueAsString(root), StandardCharsets.UTF_8);
  }

  /**
   * Reads an artifact.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and the problem: not a policy, another format
   *     version, a checksum mismatch (damaged or edited), or inconsistent contents
   */
  public static PolicyArtifact load(Path file) throws IOException {
    JsonNode root;
    try {
      root = CANONICAL.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + ": not a defer4j policy (invalid JSON: " + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          file + ": not a defer4j policy (no format '" + FORMAT + "')");
    }
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          file + ": policy format version " + version + ", this defer4j reads " + FORMAT_VERSION);
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new IllegalArgumentException(file + ": policy has no payload");
    }
    String expected = root.path("checksum").asText();
    String actual = "sha256:" + sha256(canonical(payload));
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException(
          file
              + ": checksum mismatch (file says "
              + expected
              + ", contents give "
              + actual
              + "); the policy is damaged or was edited");
    }
    try {
      return fromPayload(payload, file.toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": inconsistent policy: " + e.getMessage(), e);
    }
  }

  private static PolicyArtifact fromPayload(JsonNode p, String source) throws IOException {
    String method = p.path("method").asText();
    Surrogate surrogate = Surrogates.byName(method);
    TaskSpec task = TaskSpecIo.parse(p.path("task").asText(), source + "#task");
    List<String> features = new ArrayList<>();
    p.path("features").forEach(f -> features.add(f.asText()));
    JsonNode s = p.get("scorer");
    int[] hidden = new int[s.path("hidden").size()];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = s.path("hidden").get(i).asInt();
    }
    JsonNode act = s.get("activation");
    ScorerSpec spec =
        new ScorerSpec(
            ScorerSpec.Kind.valueOf(s.path("kind").asText()),
            s.path("input_dim").asInt(),
            s.path("output_dim").asInt(),
            hidden,
            act == null || act.isNull() ? null : Activation.valueOf(act.asText()),
            s.path("l2").asDouble());
    double[] params = new double[s.path("parameters").size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = s.path("parameters").get(i).asDouble();
    }
    Scorer scorer = Scorers.fromState(new ScorerState(spec, params));
    JsonNode th = p.get("threshold");
    double threshold = th == null || th.isNull() ? Double.NaN : th.asDouble();
    Map<String, String> prov = new LinkedHashMap<>();
    p.path("provenance").properties().forEach(e -> prov.put(e.getKey(), e.getValue().asText()));
    JsonNode t = p.get("text");
    FittedTextFeaturizer text =
        t == null || t.isNull()
            ? null
            : FittedTextFeaturizer.fromState(CANONICAL.treeToValue(t, TextFeaturizerState.class));
    DeferralModel model = new DeferralModel(task, surrogate, scorer, features, threshold, prov);
    return new PolicyArtifact(model, method, text);
  }

  private static byte[] canonical(JsonNode node) throws JsonProcessingException {
    Object sorted = CANONICAL.treeToValue(node, Object.class);
    return CANONICAL.writeValueAsBytes(sorted);
  }

  private static String sha256(byte[] bytes) {
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

  static String version() {
    String v = PolicyArtifact.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
