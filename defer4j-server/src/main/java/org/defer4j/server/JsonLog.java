package org.defer4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured logs: one JSON object per line ({@code ts}, {@code level}, {@code event} and the
 * event's fields), written to standard output, so that a log collector can parse them.
 */
public final class JsonLog {
  private static volatile PrintStream out = System.out;

  private JsonLog() {}

  /** Redirects the log (tests). */
  public static void to(PrintStream s) {
    out = s;
  }

  /** Writes one event; {@code kv} alternates field names and values. */
  public static void event(String level, String event, Object... kv) {
    ObjectNode o = Json.object();
    o.put("ts", Instant.now().toString());
    o.put("level", level);
    o.put("event", event);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      Object v = kv[i + 1];
      String k = String.valueOf(kv[i]);
      if (v == null) {
        o.putNull(k);
      } else if (v instanceof Integer n) {
        o.put(k, n.intValue());
      } else if (v instanceof Long n) {
        o.put(k, n.longValue());
      } else if (v instanceof Double n) {
        o.put(k, n.doubleValue());
      } else if (v instanceof Number n) {
        o.set(k, Router.nodeOf(n));
      } else if (v instanceof Boolean b) {
        o.put(k, b);
      } else {
        o.put(k, v.toString());
      }
    }
    out.println(Json.write(o));
  }
}
