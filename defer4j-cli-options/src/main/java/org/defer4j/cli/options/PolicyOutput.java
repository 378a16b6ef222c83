package org.defer4j.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out} of the training commands: where the trained policy goes (required). */
public final class PolicyOutput {
  @Option(names = "--out", required = true, description = "Where to write the policy (JSON).")
  Path out;

  /** The policy file to write. */
  public Path out() {
    return out;
  }
}
