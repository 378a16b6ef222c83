package org.defer4j.server.web;

/**
 * A request to a web UI endpoint that cannot be served, with the 4xx status and the message the
 * client gets as {@code {"error": message}}.
 */
public final class UiRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status an HTTP status in 400..499
   * @param message what was wrong, naming the offending value
   */
  public UiRequestException(int status, String message) {
    super(message);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a UI request error is a 4xx status, got " + status);
    }
    this.status = status;
  }

  /** A 400 Bad Request. */
  public static UiRequestException badRequest(String message) {
    return new UiRequestException(400, message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
