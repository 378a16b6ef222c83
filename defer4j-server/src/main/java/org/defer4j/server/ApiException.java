package org.defer4j.server;

/**
 * A request the router refuses, with the HTTP status and a machine-readable code; the message says
 * what was wrong in words a client can act on (never a stack trace). The in-process API throws it
 * too.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Long retryAfterSeconds;

  /**
   * @param status the HTTP status (4xx for the client's mistakes)
   * @param code a stable code such as {@code invalid_request}
   * @param message what was wrong
   */
  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  /** As above, with the seconds after which a retry may succeed (sent as {@code Retry-After}). */
  public ApiException(int status, String code, String message, Long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400 {@code invalid_request}. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  /** 404 {@code not_found}. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /** 409 {@code conflict}. */
  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  /** 413 {@code too_large}. */
  public static ApiException tooLarge(String message) {
    return new ApiException(413, "too_large", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error code. */
  public String code() {
    return code;
  }

  /** Seconds after which a retry may succeed, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
