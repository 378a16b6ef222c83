package org.defer4j.server;

import java.util.Locale;

/** What an API key may do. */
public enum Role {
  /** Route cases and post outcomes (and read the dashboard). */
  ROUTE,
  /** Everything: the expert registry, policies, keys, and what {@link #ROUTE} may do. */
  ADMIN;

  /** Whether a key of this role may do what {@code needed} may. */
  public boolean allows(Role needed) {
    return this == ADMIN || this == needed;
  }

  /** The role's name in the API ({@code route}, {@code admin}). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a role's API name. */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.apiName().equals(s)) {
        return r;
      }
    }
    throw ApiException.badRequest("role must be 'route' or 'admin', got " + Json.abbreviate(s));
  }
}
