package org.defer4j.core.online;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A method's options as {@code key=value} text (the CLI's {@code --set}), read with defaults. Every
 * key must be one the method reads: {@link #finish} rejects the others with a message listing the
 * method's keys.
 */
public final class OnlineSettings {
  private final Map<String, String> values;
  private final Map<String, String> known = new LinkedHashMap<>();

  private OnlineSettings(Map<String, String> values) {
    this.values = new LinkedHashMap<>(values);
  }

  /** Settings from a key → value map (copied). */
  public static OnlineSettings of(Map<String, String> values) {
    return new OnlineSettings(values);
  }

  /** No settings: every option at its default. */
  public static OnlineSettings defaults() {
    return new OnlineSettings(Map.of());
  }

  /** A number option. */
  public double number(String key, double fallback) {
    known.put(key, format(fallback));
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set " + key + "=" + v + ": not a finite number");
    }
  }

  /** An integer option. */
  public int integer(String key, int fallback) {
    known.put(key, Integer.toString(fallback));
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set " + key + "=" + v + ": not an integer");
    }
  }

  /** A list of numbers, comma-separated (e.g. {@code a_g=0.98,0.97}). */
  public double[] numbers(String key, double[] fallback) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < fallback.length; i++) {
      text.append(i == 0 ? "" : ",").append(format(fallback[i]));
    }
    known.put(key, text.toString());
    String v = values.get(key);
    if (v == null) {
      return fallback.clone();
    }
    String[] parts = v.split(",", -1);
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--set " + key + "=" + v + ": expected comma-separated numbers");
      }
      if (!Double.isFinite(out[i])) {
        throw new IllegalArgumentException("--set " + key + "=" + v + ": not finite");
      }
    }
    return out;
  }

  /** A text option, one of {@code choices}. */
  public String choice(String key, String fallback, String... choices) {
    known.put(key, fallback);
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    String lower = v.trim().toLowerCase(Locale.ROOT);
    for (String c : choices) {
      if (c.equals(lower)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "--set " + key + "=" + v + ": expected one of " + String.join(", ", choices));
  }

  /**
   * Checks that every given key was read.
   *
   * @throws IllegalArgumentException naming the first unknown key and the method's keys
   */
  public void finish(String method) {
    for (String key : values.keySet()) {
      if (!known.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown --set key '"
                + key
                + "' for method "
                + method
                + "; its keys are "
                + new TreeSet<>(known.keySet()));
      }
    }
  }

  /** The options read so far with their effective values (given or default), in reading order. */
  public Map<String, String> effective() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : known.entrySet()) {
      out.put(e.getKey(), values.getOrDefault(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
