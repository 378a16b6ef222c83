package org.defer4j.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * JSON in and out: one strict mapper (a repeated key is an error, numbers keep their exact decimal
 * form, map keys are written sorted so that equal documents are equal text) and the checks that
 * turn a malformed request into a 400 naming the field.
 */
public final class Json {
  /** The mapper. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(100)
                .maxStringLength(10_000_000)
                .build());
  }

  private Json() {}

  /** A new object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new array node. */
  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * Parses a request body that must be one JSON object.
   *
   * @throws ApiException 400 naming where the text stops being JSON
   */
  public static ObjectNode parseObject(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("the request body is empty; send a JSON object");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      throw ApiException.badRequest(
          "the request body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")")
              + ": "
              + firstLine(m));
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest(
          "the request body must be a JSON object, got " + (n == null ? "nothing" : kind(n)));
    }
    return (ObjectNode) n;
  }

  /** Canonical text of a node: keys sorted at every level, no spaces. */
  public static String canonical(JsonNode n) {
    try {
      Object plain = MAPPER.treeToValue(n, Object.class);
      return MAPPER.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compact text of a node. */
  public static String write(Object n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses stored JSON text (written by this server). */
  public static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Refuses keys of {@code o} outside {@code allowed}.
   *
   * @param where the object's path in the request, e.g. {@code cases[2]}
   */
  public static void onlyKeys(ObjectNode o, String where, Set<String> allowed) {
    Iterator<String> it = o.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw ApiException.badRequest(
            (where.isEmpty() ? "" : where + ": ")
                + "unknown field '"
                + k
                + "'; the fields are "
                + new TreeSet<>(allowed));
      }
    }
  }

  /** A JSON type in words, for messages. */
  public static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "the string " + abbreviate(n.asText());
      case NUMBER -> "the number " + n.asText();
      case BOOLEAN -> n.asText();
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** A string in quotes, cut at 40 characters. */
  public static String abbreviate(String s) {
    return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
  }

  /** The path of a field: {@code where.key} or {@code key}. */
  public static String path(String where, String key) {
    return where.isEmpty() ? key : where + "." + key;
  }

  /** An optional string field; null when absent or JSON null. */
  public static String optString(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(path(where, key) + " must be a string, got " + kind(n));
    }
    return n.asText();
  }

  /** A required string field. */
  public static String string(ObjectNode o, String key, String where) {
    String s = optString(o, key, where);
    if (s == null) {
      throw ApiException.badRequest(path(where, key) + " is required");
    }
    return s;
  }

  /** An optional finite number; null when absent or JSON null. */
  public static Double optNumber(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    return number(n, path(where, key));
  }

  /** A finite number. */
  public static double number(JsonNode n, String where) {
    if (!n.isNumber()) {
      throw ApiException.badRequest(where + " must be a number, got " + kind(n));
    }
    double v = n.doubleValue();
    if (!Double.isFinite(v)) {
      throw ApiException.badRequest(where + " must be a finite number, got " + n.asText());
    }
    return v;
  }

  /** An optional boolean; null when absent or JSON null. */
  public static Boolean optBoolean(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw ApiException.badRequest(path(where, key) + " must be true or false, got " + kind(n));
    }
    return n.booleanValue();
  }

  /** An optional integer in [min, max]; null when absent or JSON null. */
  public static Long optInteger(ObjectNode o, String key, String where, long min, long max) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber()
        && !(n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0)) {
      throw ApiException.badRequest(path(where, key) + " must be an integer, got " + kind(n));
    }
    if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
      throw ApiException.badRequest(
          path(where, key) + " must be in [" + min + ", " + max + "], got " + n.asText());
    }
    return n.longValue();
  }

  /** An optional object field; null when absent or JSON null. */
  public static ObjectNode optObject(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw ApiException.badRequest(path(where, key) + " must be an object, got " + kind(n));
    }
    return (ObjectNode) n;
  }

  /** An optional array field; null when absent or JSON null. */
  public static ArrayNode optArray(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw ApiException.badRequest(path(where, key) + " must be an array, got " + kind(n));
    }
    return (ArrayNode) n;
  }

  /** An optional array of strings; null when absent. */
  public static List<String> optStrings(ObjectNode o, String key, String where) {
    ArrayNode a = optArray(o, key, where);
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonNode n = a.get(i);
      if (!n.isTextual()) {
        throw ApiException.badRequest(
            path(where, key) + "[" + i + "] must be a string, got " + kind(n));
      }
      out.add(n.asText());
    }
    return out;
  }

  /** A JSON number for a double: null when it is not finite. */
  public static JsonNode num(double v) {
    return Double.isFinite(v)
        ? JsonNodeFactory.instance.numberNode(v)
        : JsonNodeFactory.instance.nullNode();
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
