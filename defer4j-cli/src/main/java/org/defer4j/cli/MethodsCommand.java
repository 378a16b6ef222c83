package org.defer4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Lists the training methods that {@code train --method} accepts: for each name its paper, formula,
 * setting, the property it has and under which conditions, and whether it is published, a
 * reconstruction or a defer4j extension ({@link Surrogates.Entry}).
 */
@Command(
    name = "methods",
    mixinStandardHelpOptions = true,
    description =
        "List the surrogate losses that 'train --method' accepts: paper, formula, setting,"
            + " property and whether each is published, a reconstruction or a defer4j extension.")
final class MethodsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--brief",
      description = "One line per method (name, stage, provenance, description).")
  boolean brief;

  static final String TRIAGE_TEXT =
      "differentiable triage: fine-tune a classifier under triage, then learn the rejector"
          + " (Okati et al. 2021)";

  static final String SARD_TEXT =
      "sard-r: a reconstruction of SARD, adversarial training of the allocation on BASE with the"
          + " --sard-* knobs";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      String stage = stage(e.layout());
      if (brief) {
        out.printf(
            "%-16s %-9s %-22s %s%n", e.name(), stage, e.provenance().label(), e.description());
        continue;
      }
      out.printf("%s  [%s, %s]%n", e.name(), stage, e.provenance().label());
      out.printf("    %s%n", e.description());
      out.printf("    paper:    %s%n", e.paper());
      out.printf("    formula:  %s%n", e.formula());
      out.printf("    setting:  %s%n", e.setting());
      out.printf("    property: %s%n", e.property());
      out.printf("    origin:   %s%n%n", e.origin());
    }
    if (brief) {
      out.printf(
          "%-16s %-9s %-22s %s%n", TrainCommand.TRIAGE, "post-hoc", "published", TRIAGE_TEXT);
    } else {
      out.printf("%s  [post-hoc, published]%n", TrainCommand.TRIAGE);
      out.printf("    %s%n", TRIAGE_TEXT);
      out.printf("    paper:    Okati, De & Gomez-Rodriguez 2021%n");
      out.printf("    setting:  a training procedure (classifier then rejector), not a loss%n");
    }
    if (brief) {
      out.printf("%-16s %-9s %-22s %s%n", "sard[:BASE]", "both", "reconstruction", SARD_TEXT);
    } else {
      out.printf("%n%s  [both, reconstruction]%n", "sard[:BASE]");
      out.printf("    %s%n", SARD_TEXT);
      out.printf(
          "    paper:    Montreuil et al. 2025 (ICML), SARD; its regulariser could not be read%n");
      out.printf(
          "    setting:  a training procedure on BASE (2s-comp:1 two-stage, ce one-stage), not a"
              + " loss of its own%n");
    }
    out.printf(
        "%nRemoved: dce (a reconstruction of Wei et al. 2024 that was not Bayes-consistent as a"
            + " joint loss); use ce-rejector or ce.%n");
    out.flush();
    return 0;
  }

  private static String stage(ScoreLayout layout) {
    return layout == ScoreLayout.AGENTS || layout == ScoreLayout.EXPERT_REJECTORS
        ? "two-stage"
        : "one-stage";
  }
}
