package org.defer4j.server.store;

/** The store could not read or write (the database is unreachable, full, or closed). */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public StoreException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
