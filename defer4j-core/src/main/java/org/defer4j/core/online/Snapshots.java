package org.defer4j.core.online;

import java.util.Map;

/** Reading arrays back from an {@link OnlineState}, with messages naming what is wrong. */
final class Snapshots {
  private Snapshots() {}

  static void checkMethod(OnlineState s, String method) {
    if (!s.method().equals(method)) {
      throw new IllegalArgumentException(
          "cannot restore a " + s.method() + " snapshot into a " + method + " router");
    }
  }

  static double[] array(Map<String, double[]> m, String owner, String key, int length) {
    double[] v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("snapshot: " + owner + " has no '" + key + "'");
    }
    if (length >= 0 && v.length != length) {
      throw new IllegalArgumentException(
          "snapshot: " + owner + " '" + key + "' has " + v.length + " values, expected " + length);
    }
    return v.clone();
  }

  static int integer(Map<String, double[]> m, String owner, String key) {
    return (int) array(m, owner, key, 1)[0];
  }
}
