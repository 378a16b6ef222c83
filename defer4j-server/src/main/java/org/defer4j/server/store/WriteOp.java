package org.defer4j.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write the store's writer runs inside a batch transaction. It must be repeatable: after a
 * conflict the whole batch is rolled back and run again.
 *
 * @param <T> what the write returns once committed
 */
@FunctionalInterface
public interface WriteOp<T> {
  /**
   * Runs before the batch's transaction on the writer connection in auto-commit mode (for rows that
   * must exist before the transaction locks them).
   */
  default void prepare(Connection autoCommit, Dialect dialect, long now) throws SQLException {}

  /** Runs inside the batch's transaction. */
  T apply(Tx tx) throws SQLException;
}
