package org.defer4j.server.store;

/** The two databases the store runs on, and where their SQL differs. */
public enum Dialect {
  /** A SQLite file under the data directory (WAL journal). */
  SQLITE,
  /** A PostgreSQL database given by a JDBC URL. */
  POSTGRESQL;

  /** The dialect of a JDBC URL. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL '"
            + jdbcUrl
            + "': the store runs on jdbc:postgresql://... or jdbc:sqlite:FILE");
  }

  /**
   * The row-lock clause that ends a {@code SELECT} of rows the transaction will update: {@code FOR
   * UPDATE} on PostgreSQL; nothing on SQLite, where a write transaction ({@code BEGIN IMMEDIATE})
   * already holds the database's only write lock.
   */
  public String forUpdate() {
    return this == POSTGRESQL ? " FOR UPDATE" : "";
  }
}
