package org.defer4j.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parsing of the web UI endpoints' inputs. Every malformed input becomes a {@link
 * UiRequestException} (400) naming the offending value; nothing else escapes.
 */
public final class UiRequests {
  /** Most points a learn request may carry. */
  public static final int MAX_POINTS = 2000;

  /** Largest coordinate magnitude of a posted point. */
  public static final double MAX_COORDINATE = 1e6;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static final Set<String> LEARN_FIELDS = Set.of("points", "deferralCost");
  private static final Set<String> POINT_FIELDS = Set.of("x", "y", "label");

  private UiRequests() {}

  /**
   * A learn request: the points and the deferral cost.
   *
   * @param points the labelled points
   * @param deferralCost the expert's fee c in (0, 1)
   */
  public record LearnRequest(List<PocketProblem.Point> points, double deferralCost) {
    /** Copies the points. */
    public LearnRequest {
      points = List.copyOf(points);
    }
  }

  /**
   * Parses {@code {"points": [{"x": .., "y": .., "label": 0|1}, ..], "deferralCost": c}}.
   *
   * @throws UiRequestException on anything else
   */
  public static LearnRequest learn(String body) {
    JsonNode root = parse(body);
    if (!root.isObject()) {
      throw UiRequestException.badRequest("the body must be a JSON object, got " + kind(root));
    }
    checkFields(root, LEARN_FIELDS, "the body");
    JsonNode pts = root.get("points");
    if (pts == null || !pts.isArray()) {
      throw UiRequestException.badRequest(
          "'points' must be an array of {x, y, label}, got " + kind(pts));
    }
    if (pts.isEmpty() || pts.size() > MAX_POINTS) {
      throw UiRequestException.badRequest(
          "'points' must hold 1.." + MAX_POINTS + " points, got " + pts.size());
    }
    List<PocketProblem.Point> points = new ArrayList<>(pts.size());
    for (int i = 0; i < pts.size(); i++) {
      JsonNode p = pts.get(i);
      String where = "points[" + i + "]";
      if (!p.isObject()) {
        throw UiRequestException.badRequest(where + " must be an object, got " + kind(p));
      }
      checkFields(p, POINT_FIELDS, where);
      double x = coordinate(p.get("x"), where + ".x");
      double y = coordinate(p.get("y"), where + ".y");
      JsonNode l = p.get("label");
      if (l == null
          || !l.isIntegralNumber()
          || !l.canConvertToInt()
          || (l.intValue() != 0 && l.intValue() != 1)) {
        throw UiRequestException.badRequest(
            where + ".label must be 0 (circle) or 1 (cross), got " + text(l));
      }
      points.add(new PocketProblem.Point(x, y, l.intValue()));
    }
    JsonNode c = root.get("deferralCost");
    double cost;
    if (c == null) {
      cost = WebUi.DEFAULT_DEFERRAL_COST;
    } else if (!c.isNumber() || !(c.doubleValue() > 0 && c.doubleValue() < 1)) {
      throw UiRequestException.badRequest(
          "'deferralCost' must be a number in (0, 1), got " + text(c));
    } else {
      cost = c.doubleValue();
    }
    return new LearnRequest(points, cost);
  }

  /**
   * An optional integer query parameter.
   *
   * @throws UiRequestException when it is not an integer in [min, max]
   */
  public static long integer(String name, String value, long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    long v;
    try {
      v = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw UiRequestException.badRequest(
          "'" + name + "' must be an integer, got '" + abbreviate(value) + "'");
    }
    if (v < min || v > max) {
      throw UiRequestException.badRequest(
          "'" + name + "' must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  /**
   * An optional finite number query parameter.
   *
   * @throws UiRequestException when it is not a finite number of magnitude at most {@link
   *     #MAX_COORDINATE}
   */
  public static double number(String name, String value, double fallback) {
    if (value == null) {
      return fallback;
    }
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw UiRequestException.badRequest(
          "'" + name + "' must be a number, got '" + abbreviate(value) + "'");
    }
    if (!Double.isFinite(v) || Math.abs(v) > MAX_COORDINATE) {
      throw UiRequestException.badRequest(
          "'" + name + "' must be a finite number of magnitude <= 1e6, got " + v);
    }
    return v;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw UiRequestException.badRequest("the body is empty; expected a JSON object");
    }
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || root.isMissingNode()) {
        throw UiRequestException.badRequest("the body is empty; expected a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw UiRequestException.badRequest(
          "the body is not valid JSON: " + abbreviate(e.getOriginalMessage()));
    }
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!allowed.contains(f)) {
        throw UiRequestException.badRequest(
            where
                + " has an unknown field '"
                + abbreviate(f)
                + "'; expected "
                + allowed.stream().sorted().toList());
      }
    }
  }

  private static double coordinate(JsonNode v, String where) {
    if (v == null || !v.isNumber()) {
      throw UiRequestException.badRequest(where + " must be a number, got " + text(v));
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d) || Math.abs(d) > MAX_COORDINATE) {
      throw UiRequestException.badRequest(
          where + " must be a finite number of magnitude <= 1e6, got " + text(v));
    }
    return d;
  }

  private static String kind(JsonNode n) {
    return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String text(JsonNode n) {
    return n == null ? "nothing" : abbreviate(n.toString());
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
