package org.defer4j.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One write transaction of the store's writer: its connection (auto-commit off), the time the batch
 * started, attachments that the operations of one batch share (for instance the counters they
 * reserve on, written once before the commit) and the steps to run just before the commit.
 */
public final class Tx {
  private final Connection connection;
  private final Dialect dialect;
  private final long now;
  private final StatementCache statements;
  private final Map<Object, Object> attachments = new HashMap<>();
  private final List<SqlStep> beforeCommit = new ArrayList<>();

  Tx(Connection connection, Dialect dialect, long now, StatementCache statements) {
    this.connection = connection;
    this.dialect = dialect;
    this.now = now;
    this.statements = statements;
  }

  /** The connection (in a transaction). */
  public Connection connection() {
    return connection;
  }

  /**
   * The statement of {@code sql} on the transaction's connection, prepared once and reused by later
   * batches. The store owns it: the caller binds every parameter, closes the result sets it opens
   * and never closes the statement.
   */
  public PreparedStatement prepare(String sql) throws SQLException {
    return statements.get(sql);
  }

  /** The database. */
  public Dialect dialect() {
    return dialect;
  }

  /** The batch's time, epoch milliseconds: every decision of the batch is made at this time. */
  public long now() {
    return now;
  }

  /** The attachment of this transaction under {@code key}, made by {@code create} on first use. */
  @SuppressWarnings("unchecked")
  public <T> T attachment(Object key, Supplier<T> create) {
    return (T) attachments.computeIfAbsent(key, k -> create.get());
  }

  /** Runs {@code step} after every operation of the batch, before the commit. */
  public void beforeCommit(SqlStep step) {
    beforeCommit.add(step);
  }

  void runBeforeCommit() throws SQLException {
    for (int i = 0; i < beforeCommit.size(); i++) {
      beforeCommit.get(i).run();
    }
  }

  /** A step that may fail with an SQL error. */
  @FunctionalInterface
  public interface SqlStep {
    /** Runs the step. */
    void run() throws SQLException;
  }
}
