package org.defer4j.server.store;

/** A batch met a concurrent change (a guarded update matched no row) and must run again. */
public final class RetryableConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A conflict described by {@code message}. */
  public RetryableConflict(String message) {
    super(message);
  }
}
