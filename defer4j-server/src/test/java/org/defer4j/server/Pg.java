package org.defer4j.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the tests run against: {@code DEFER4J_TEST_PG_URL} (a JDBC URL, set by
 * .ci/postgres.sh). Without it the PostgreSQL tests are skipped, unless {@code
 * DEFER4J_TEST_PG_REQUIRED=1} (CI), where they fail.
 */
final class Pg {
  private Pg() {}

  static String baseUrl() {
    String url = System.getenv("DEFER4J_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      url = System.getProperty("defer4j.test.pg.url");
    }
    if (url == null || url.isBlank()) {
      if ("1".equals(System.getenv("DEFER4J_TEST_PG_REQUIRED"))) {
        fail("DEFER4J_TEST_PG_REQUIRED=1 but DEFER4J_TEST_PG_URL is not set");
      }
      Assumptions.abort("no PostgreSQL: set DEFER4J_TEST_PG_URL (see .ci/postgres.sh)");
    }
    return url;
  }

  /** A new empty database on the test server; its JDBC URL. */
  static String freshDatabase() throws SQLException {
    String base = baseUrl();
    String name = "d4j_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c = DriverManager.getConnection(base);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      if ("1".equals(System.getenv("DEFER4J_TEST_PG_REQUIRED"))) {
        throw e;
      }
      Assumptions.abort("PostgreSQL at " + base + " is not reachable: " + e.getMessage());
    }
    int q = base.indexOf('?');
    String head = q < 0 ? base : base.substring(0, q);
    String tail = q < 0 ? "" : base.substring(q);
    return head.substring(0, head.lastIndexOf('/') + 1) + name + tail;
  }
}
