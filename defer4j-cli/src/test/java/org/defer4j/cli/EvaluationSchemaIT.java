package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defer4j.cli.CommandLineIT.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --json} follows {@code docs/evaluation.schema.json} for one policy and for
 * several (one shape, with a schema_version). The check implements the part of JSON Schema the file
 * uses: type (with null), const, enum, required, properties, additionalProperties, items and local
 * $ref; it is itself tested on a document that breaks the schema.
 */
class EvaluationSchemaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", "."));
  private static final Path DATA = ROOT.resolve("datasets");

  static List<String> violations(JsonNode schema, JsonNode root, JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    check(schema, root, node, at, out);
    return out;
  }

  private static void check(JsonNode s, JsonNode root, JsonNode v, String at, List<String> out) {
    if (s.has("$ref")) {
      JsonNode target = root;
      for (String part : s.get("$ref").asText().substring(2).split("/")) {
        target = target.get(part);
      }
      check(target, root, v, at, out);
      return;
    }
    if (s.has("type")) {
      List<String> types = new ArrayList<>();
      if (s.get("type").isArray()) {
        s.get("type").forEach(t -> types.add(t.asText()));
      } else {
        types.add(s.get("type").asText());
      }
      if (types.stream().noneMatch(t -> isType(v, t))) {
        out.add(at + ": expected " + types + ", got " + v.getNodeType());
        return;
      }
    }
    if (v.isNull()) {
      return;
    }
    if (s.has("const") && !s.get("const").equals(v)) {
      out.add(at + ": expected " + s.get("const") + ", got " + v);
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v);
      }
      if (!found) {
        out.add(at + ": " + v + " is not one of " + s.get("enum"));
      }
    }
    if (v.isObject()) {
      if (s.has("required")) {
        s.get("required")
            .forEach(
                r -> {
                  if (!v.has(r.asText())) {
                    out.add(at + ": missing " + r.asText());
                  }
                });
      }
      v.properties()
          .forEach(
              e -> {
                JsonNode ps = s.path("properties").get(e.getKey());
                if (ps != null) {
                  check(ps, root, e.getValue(), at + "." + e.getKey(), out);
                } else if (s.has("additionalProperties")) {
                  check(
                      s.get("additionalProperties"),
                      root,
                      e.getValue(),
                      at + "." + e.getKey(),
                      out);
                } else if (s.has("properties")) {
                  out.add(at + ": undocumented field " + e.getKey());
                }
              });
    }
    if (v.isArray() && s.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        check(s.get("items"), root, v.get(i), at + "[" + i + "]", out);
      }
    }
  }

  private static boolean isType(JsonNode v, String t) {
    return switch (t) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }

  @Test
  void theJsonFollowsTheDocumentedSchemaForOneAndForSeveralPolicies(@TempDir Path tmp)
      throws IOException {
    JsonNode schema = JSON.readTree(ROOT.resolve("docs/evaluation.schema.json").toFile());
    Path policy = tmp.resolve("ova.json");
    CommandLineIT.trainHateSpeech("ova", policy, "--epochs", "2");
    for (String[] policies :
        List.of(
            new String[] {"--policy", policy.toString()},
            new String[] {
              "--policy",
              policy.toString(),
              "--policy",
              "model",
              "--policy",
              "expert:annotator",
              "--policy",
              "oracle"
            })) {
      Path json = tmp.resolve("e" + policies.length + ".json");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "evaluate",
                  "--data",
                  DATA.resolve("hatespeech-test.parquet").toString(),
                  "--task",
                  DATA.resolve("hatespeech.yaml").toString(),
                  "--json",
                  json.toString()));
      args.addAll(List.of(policies));
      Run e = CommandLineIT.run(args.toArray(String[]::new));
      assertThat(e.exit()).as(e.err()).isZero();
      JsonNode doc = JSON.readTree(json.toFile());
      assertThat(violations(schema, schema, doc, "$")).isEmpty();
      assertThat(doc.get("schema_version").asInt()).isEqualTo(EvaluationJson.SCHEMA_VERSION);
      assertThat(doc.get("policies").size()).isEqualTo(policies.length / 2);
      assertThat(doc.get("policies").get(0).get("curve").get("points").size()).isPositive();
    }
    // The check itself catches a broken document.
    JsonNode bad = JSON.readTree("{\"schema_version\": 2, \"policies\": [{\"policy\": 3}]}");
    assertThat(violations(schema, schema, bad, "$"))
        .anyMatch(v -> v.contains("missing rows"))
        .anyMatch(v -> v.contains("schema_version"))
        .anyMatch(v -> v.contains("$.policies[0].policy"));
  }
}
