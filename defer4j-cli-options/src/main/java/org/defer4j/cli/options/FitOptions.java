package org.defer4j.cli.options;

import picocli.CommandLine.Option;

/**
 * The options of a scorer's fit that both training commands take with the same defaults: the MLP
 * activation, the seed and the L2 penalty.
 */
public final class FitOptions {
  @Option(
      names = "--activation",
      defaultValue = "relu",
      description = "MLP activation: relu, tanh or gelu (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--l2",
      defaultValue = "0",
      description = "L2 penalty on weights (default: ${DEFAULT-VALUE}).")
  double l2;

  /** The MLP activation's spelling ({@code relu}, {@code tanh} or {@code gelu}). */
  public String activation() {
    return activation;
  }

  /** The training seed. */
  public long seed() {
    return seed;
  }

  /** The L2 penalty on the weights. */
  public double l2() {
    return l2;
  }
}
