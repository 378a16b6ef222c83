package org.defer4j.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer connection's prepared statements, by SQL text, kept from one batch to the next so that
 * a batch binds and runs its statements instead of preparing them again (preparing was a sixth of
 * the writer's CPU under load). Used by the writer thread only.
 *
 * <p>The store drops every statement after a rollback ({@link #clear}): a batch that failed may
 * have left rows added to a statement's JDBC batch, or a statement in a state its driver does not
 * promise to recover from; the retried batch prepares afresh. Statements are bounded ({@link
 * #MAX}); past the bound the cache starts over.
 */
final class StatementCache {
  /** At most this many statements are kept. */
  static final int MAX = 64;

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  StatementCache(Connection connection) {
    this.connection = connection;
  }

  /** The statement of {@code sql}, prepared on first use. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      if (statements.size() >= MAX) {
        clear();
      }
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** How many statements are kept. */
  int size() {
    return statements.size();
  }

  /** Closes and forgets every statement. */
  void clear() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // The statement is forgotten either way; the connection closes it at the latest.
      }
    }
    statements.clear();
  }
}
