package org.defer4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.defer4j.core.train.StageOneModel;
import org.defer4j.core.train.StageOneTrainer;

/**
 * A stage-one model (the classifier and/or regressor that two-stage deferral then freezes, from
 * {@code defer4j fit-model --out-model}) in one JSON file: format {@value #FORMAT}, a checksum, and
 * a payload with its agent name, heads, classes, feature pipeline, scorer and target
 * standardisation. Loaded back, it gives the same outputs bit for bit.
 */
public final class StageOneArtifact {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "defer4j-stage-one";

  /** The format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private StageOneArtifact() {}

  /** Writes a model to a file, creating parent folders. */
  public static void save(StageOneModel model, Path file) throws IOException {
    ObjectNode p = PolicyArtifact.newPayload();
    p.put("name", model.name());
    p.put("heads", model.heads().name().toLowerCase(Locale.ROOT));
    ArrayNode classes = p.putArray("classes");
    model.classes().forEach(classes::add);
    p.set("features", PolicyArtifact.pipeline(model.features()));
    p.set("scorer", PolicyArtifact.scorer(model.scorer()));
    p.put("target_mean", model.targetMean());
    p.put("target_scale", model.targetScale());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, PolicyArtifact.envelope(FORMAT, FORMAT_VERSION, p));
  }

  /**
   * Reads a model file.
   *
   * @throws IllegalArgumentException naming the file and the problem (missing, another format or
   *     version, a checksum mismatch, inconsistent contents)
   */
  public static StageOneModel load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such stage-one model file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      String source = file.toString();
      JsonNode root = PolicyArtifact.readTree(in, source, "stage-one model");
      JsonNode p =
          PolicyArtifact.verified(
              root, source, FORMAT, "stage-one model", FORMAT_VERSION, FORMAT_VERSION);
      try {
        List<String> classes = new ArrayList<>();
        p.path("classes").forEach(c -> classes.add(c.asText()));
        return StageOneModel.restore(
            p.path("name").asText(),
            StageOneTrainer.Heads.valueOf(p.path("heads").asText().toUpperCase(Locale.ROOT)),
            classes,
            PolicyArtifact.scorer(p.path("scorer")),
            PolicyArtifact.pipeline(p.path("features")),
            p.path("target_mean").asDouble(),
            p.path("target_scale").asDouble());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            source + ": inconsistent stage-one model: " + e.getMessage(), e);
      }
    }
  }
}
