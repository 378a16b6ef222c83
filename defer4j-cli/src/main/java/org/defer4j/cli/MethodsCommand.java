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

  static final String PL2D_TEXT =
      "probabilistic L2D: EM over a gate with per-agent workload bounds (--workload) enforced on"
          + " the E-step's posteriors";

  static final String PENALTY_TEXT =
      "--expert-penalty LAMBDA on any softmax surrogate: + lambda x the softmax mass on the experts";

  static final String DGNP_TEXT =
      "'postprocess': d-GNP rule, thresholds linear in a one-vs-all policy's estimates, one per"
          + " group, tuned for a deferral budget and a dp / eo gap";

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
    if (brief) {
      out.printf(
          "%-16s %-9s %-22s %s%n", TrainCommand.PL2D, "one-stage", "reconstruction", PL2D_TEXT);
      out.printf(
          "%-16s %-9s %-22s %s%n", "expert-penalty", "both", "defer4j extension", PENALTY_TEXT);
      out.printf("%-16s %-9s %-22s %s%n", "dgnp", "post-hoc", "reconstruction", DGNP_TEXT);
    } else {
      out.printf("%n%s  [one-stage, reconstruction]%n", TrainCommand.PL2D);
      out.printf("    %s%n", PL2D_TEXT);
      out.printf("    paper:    Nguyen, Do & Carneiro 2025 (ICLR); code cnguyen10/pl2d%n");
      out.printf(
          "    formula:  E: q(z) ∝ p(z|x) exp(E_q(t_z) log p(y|t_z)), projected onto"
              + " lo_j <= mean_i q_i(j) <= hi_j (min KL); M: CE(classes, y) + CE(gate, q)%n");
      out.printf(
          "    setting:  classification, experts' answers observed or missing; the gate's argmax"
              + " decides%n");
      out.printf(
          "    property: training posteriors meet the bounds exactly; test workloads are learned,"
              + " not enforced%n");
      out.printf(
          "    origin:   reconstruction: experts' label models are the classifier through each"
              + " expert's accuracy (not a network each); bounds over the training table, not"
              + " each minibatch; --em-missing mask (default) or infer%n");
      out.printf("%n%s  [both, defer4j extension]%n", "expert-penalty");
      out.printf("    %s%n", PENALTY_TEXT);
      out.printf("    paper:    the cost-regularised alternative of the survey (§7.3)%n");
      out.printf("    formula:  L + lambda * sum_{j expert} softmax(s)_j%n");
      out.printf(
          "    setting:  surrogates with classes-and-experts or agent layouts (ce, moe, 2s-comp,"
              + " ...)%n");
      out.printf("    property: none proved; measured: the deferral rate falls as lambda grows%n");
      out.printf("%n%s  [post-hoc, reconstruction]%n", "dgnp");
      out.printf("    %s%n", DGNP_TEXT);
      out.printf("    paper:    Charusaie & Samadi 2024 (NeurIPS); code AminChrs/PostProcess%n");
      out.printf(
          "    formula:  defer iff max_j p_j - p_0 > k_b + k_f t(g) [x (1 - p_0) for eo],"
              + " t(g0) = 1/P(g0), t(g1) = -1/P(g1)%n");
      out.printf(
          "    setting:  two groups, deferral decisions only (the model keeps its class), grid"
              + " over (k_b, k_f) on validation%n");
      out.printf(
          "    property: meets the budget and the gap on validation by construction; test gaps"
              + " measured%n");
      out.printf(
          "    origin:   written from the method; budget and eo embeddings derived here (the"
              + " package implements loss, dp, eodds)%n");
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
