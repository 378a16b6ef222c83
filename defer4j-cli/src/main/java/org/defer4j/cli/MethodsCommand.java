package org.defer4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the training methods that {@code train --method} accepts. */
@Command(
    name = "methods",
    mixinStandardHelpOptions = true,
    description = "List the surrogate losses that 'train --method' accepts, with their papers.")
final class MethodsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      String stage =
          e.layout() == ScoreLayout.AGENTS || e.layout() == ScoreLayout.EXPERT_REJECTORS
              ? "two-stage"
              : "one-stage";
      out.printf("%-16s %-9s %s%n", e.name(), stage, e.description());
    }
    out.printf(
        "%-16s %-9s %s%n",
        TrainCommand.TRIAGE,
        "post-hoc",
        "differentiable triage: fine-tune a classifier under triage, then learn the rejector"
            + " (Okati et al. 2021)");
    out.printf(
        "%-16s %-9s %s%n",
        "sard[:BASE]",
        "both",
        "sard-r: a reconstruction of SARD (Montreuil et al. 2025), adversarial training of the"
            + " allocation on BASE (default 2s-comp:1 two-stage, ce one-stage); --sard-* knobs");
    out.flush();
    return 0;
  }
}
