package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One agent's entry in the expert registry: whether it may be asked (on/off and weekly time
 * windows), its capacity per period, its fee and its largest share of the decisions. An agent
 * without an entry is always available, has no capacity limit and keeps the fee of the policy's
 * task.
 *
 * @param name the agent's name
 * @param enabled false: never asked
 * @param windows when it may be asked (empty: always)
 * @param zone the time zone of the windows
 * @param capacity the most decisions it serves per period, or null for no limit
 * @param period the period of the capacity and of the share target (epoch-aligned), or null
 * @param fee its consultation fee (null: the task's fee)
 * @param targetShare the largest share of the decisions it serves per period (all time without a
 *     period), or null
 */
public record ExpertSpec(
    String name,
    boolean enabled,
    List<TimeWindow> windows,
    ZoneId zone,
    Integer capacity,
    Duration period,
    Double fee,
    Double targetShare) {

  /** The fields of an entry in JSON. */
  public static final Set<String> FIELDS =
      Set.of("name", "enabled", "windows", "timezone", "capacity", "period", "fee", "targetShare");

  /** Validates. */
  public ExpertSpec {
    windows = List.copyOf(windows);
    if (capacity != null && period == null) {
      throw new IllegalArgumentException("a capacity needs a period");
    }
  }

  /** The entry of an agent without one. */
  public static ExpertSpec defaults(String name) {
    return new ExpertSpec(name, true, List.of(), ZoneOffset.UTC, null, null, null, null);
  }

  /** The period in seconds, 0 without one. */
  public long periodSeconds() {
    return period == null ? 0 : period.getSeconds();
  }

  /** Whether decisions for this agent must be counted at decision time. */
  public boolean budgeted() {
    return capacity != null || targetShare != null;
  }

  /** Whether the agent may be asked at {@code now} by its switch and windows. */
  public boolean availableAt(Instant now) {
    if (!enabled) {
      return false;
    }
    if (windows.isEmpty()) {
      return true;
    }
    java.time.ZonedDateTime t = now.atZone(zone);
    for (TimeWindow w : windows) {
      if (w.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /** Why the agent may not be asked at {@code now}, or null when it may. */
  public String unavailableBecause(Instant now) {
    if (!enabled) {
      return "switched off in the expert registry";
    }
    if (!availableAt(now)) {
      return "outside its time windows " + windows + " (" + zone + ")";
    }
    return null;
  }

  /** The entry as JSON. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("name", name);
    o.put("enabled", enabled);
    ArrayNode w = o.putArray("windows");
    windows.forEach(x -> w.add(x.text()));
    o.put("timezone", zone.getId());
    if (capacity == null) {
      o.putNull("capacity");
    } else {
      o.put("capacity", capacity.intValue());
    }
    if (period == null) {
      o.putNull("period");
    } else {
      o.put("period", period.toString());
    }
    if (fee == null) {
      o.putNull("fee");
    } else {
      o.put("fee", fee.doubleValue());
    }
    if (targetShare == null) {
      o.putNull("targetShare");
    } else {
      o.put("targetShare", targetShare.doubleValue());
    }
    return o;
  }

  /**
   * Reads an entry. Absent fields keep the defaults (on, always, no capacity, the task's fee, no
   * share target).
   *
   * @param where the entry's path in the request, for messages
   * @throws ApiException 400 naming the field that is wrong
   */
  public static ExpertSpec fromJson(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest(where + " must be an object, got " + Json.kind(n));
    }
    ObjectNode o = (ObjectNode) n;
    Json.onlyKeys(o, where, FIELDS);
    String name = Json.string(o, "name", where);
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw ApiException.badRequest(
          Json.path(where, "name")
              + " must be 1 to 64 letters, digits, '_' or '-', got "
              + Json.abbreviate(name));
    }
    Boolean enabled = Json.optBoolean(o, "enabled", where);
    List<TimeWindow> windows = new ArrayList<>();
    List<String> ws = Json.optStrings(o, "windows", where);
    if (ws != null) {
      for (int i = 0; i < ws.size(); i++) {
        try {
          windows.add(TimeWindow.parse(ws.get(i)));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              Json.path(where, "windows") + "[" + i + "]: " + e.getMessage());
        }
      }
    }
    ZoneId zone = ZoneOffset.UTC;
    String tz = Json.optString(o, "timezone", where);
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException e) {
        throw ApiException.badRequest(
            Json.path(where, "timezone")
                + " must be a time zone such as UTC or Europe/Paris, got "
                + Json.abbreviate(tz));
      }
    }
    Long capacity = Json.optInteger(o, "capacity", where, 0, Integer.MAX_VALUE - 1);
    Duration period = null;
    String p = Json.optString(o, "period", where);
    if (p != null) {
      try {
        period = Duration.parse(p);
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest(
            Json.path(where, "period")
                + " must be an ISO-8601 duration such as PT1H or P1D, got "
                + Json.abbreviate(p));
      }
      if (period.getNano() != 0 || period.getSeconds() < 1 || period.getSeconds() > 366 * 86400L) {
        throw ApiException.badRequest(
            Json.path(where, "period")
                + " must be a whole number of seconds from 1 s to 366 days, got "
                + p);
      }
      if (period.getSeconds() == 60) {
        // 60 s is the dashboard's minute counter; a one-minute budget shares it.
        period = Duration.ofSeconds(60);
      }
    }
    if (capacity != null && period == null) {
      throw ApiException.badRequest(
          Json.path(where, "capacity") + " needs a period (for example \"period\": \"PT1H\")");
    }
    Double fee = Json.optNumber(o, "fee", where);
    if (fee != null && fee < 0) {
      throw ApiException.badRequest(Json.path(where, "fee") + " must be >= 0, got " + fee);
    }
    Double share = Json.optNumber(o, "targetShare", where);
    if (share != null && (share < 0 || share > 1)) {
      throw ApiException.badRequest(
          Json.path(where, "targetShare") + " must be in [0, 1], got " + share);
    }
    return new ExpertSpec(
        name,
        enabled == null || enabled,
        windows,
        zone,
        capacity == null ? null : capacity.intValue(),
        period,
        fee,
        share);
  }
}
