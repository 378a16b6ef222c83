package org.defer4j.cli;

/**
 * Where the commands' output goes. Progress bars redraw one line with carriage returns: on a
 * terminal they show progress, in a pipe, a file or a CI log they leave hundreds of lines of noise.
 * So they are drawn only when the JVM has a console, whatever the command.
 */
final class Terminal {
  private Terminal() {}

  /**
   * Whether to draw a progress bar.
   *
   * @param quiet the command's {@code --quiet}
   * @return false with {@code --quiet}, and whenever the process is not attached to a terminal
   */
  static boolean showsProgress(boolean quiet) {
    return !quiet && System.console() != null;
  }
}
