package org.defer4j.io;

/**
 * A task spec that breaks the YAML contract of DESIGN.md §4: malformed YAML, an unknown or missing
 * key, a value of the wrong type or out of range.
 *
 * <p>The message names the source and the key path, e.g. {@code "task.yaml: experts[1].fee: must be
 * >= 0, got -1"}.
 */
public final class TaskSpecFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String key;

  /**
   * @param source the file or other source the spec came from
   * @param key the key path ({@code experts[1].fee}), or {@code null} when the problem is not at
   *     one key (malformed YAML)
   * @param detail what is wrong, naming the offending value and what was expected
   */
  public TaskSpecFormatException(String source, String key, String detail) {
    super(source + ": " + (key == null ? "" : key + ": ") + detail);
    this.source = source;
    this.key = key;
  }

  TaskSpecFormatException(String source, String key, String detail, Throwable cause) {
    this(source, key, detail);
    initCause(cause);
  }

  /** The file or other source the spec came from. */
  public String source() {
    return source;
  }

  /** The key path, or {@code null} when the problem is not at one key. */
  public String key() {
    return key;
  }
}
