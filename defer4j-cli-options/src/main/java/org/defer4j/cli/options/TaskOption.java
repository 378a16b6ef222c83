package org.defer4j.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --task}: the task spec (required). */
public final class TaskOption {
  @Option(names = "--task", required = true, description = "Task spec (YAML).")
  Path task;

  /** The task spec file. */
  public Path task() {
    return task;
  }
}
