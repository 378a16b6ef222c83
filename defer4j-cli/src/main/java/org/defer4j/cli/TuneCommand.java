package org.defer4j.cli;

import picocli.CommandLine.Command;

/** {@code train --tune}: the hyperparameter search, with every option of {@code train}. */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Search the training hyperparameters on --val and save the best policy: 'train --tune' (all"
          + " of train's options apply; --tune-trials, --tune-seed, --tune-threads, --tune-table).",
      "Trial 0 is the options given; each other trial draws lr, l2, epochs/patience, the MLP's"
          + " hidden width and the method's parameter from a seeded stream of its own."
    })
final class TuneCommand extends TrainCommand {
  @Override
  public Integer call() throws Exception {
    tune = true;
    return super.call();
  }
}
