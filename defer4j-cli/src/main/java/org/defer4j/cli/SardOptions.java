package org.defer4j.cli;

import org.defer4j.core.robust.Norm;
import org.defer4j.core.robust.Sard;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The knobs of {@code train --method sard[:BASE]}: sard-r, a reconstruction of SARD (Montreuil et
 * al. 2025; see {@link Sard}).
 */
final class SardOptions {
  /** The method spelling: {@code sard} (base 2s-comp:1 two-stage, ce one-stage) or sard:BASE. */
  static final String METHOD = "sard";

  @Option(
      names = "--sard-radius",
      defaultValue = "0.1",
      description =
          "--method sard: radius gamma of the training attack on the standardised features"
              + " (default: ${DEFAULT-VALUE}).")
  double radius;

  @Option(
      names = "--sard-norm",
      defaultValue = "linf",
      description = "--method sard: linf or l2 (default: ${DEFAULT-VALUE}).")
  String norm;

  @Option(
      names = "--sard-nu",
      defaultValue = "0",
      description =
          "--method sard: weight nu of the smoothness term nu*w*sup||s(x')-s(x)||_2 (default:"
              + " ${DEFAULT-VALUE}).")
  double nu;

  @Option(
      names = "--sard-rho",
      defaultValue = "1",
      description =
          "--method sard: margin scale rho > 0, the loss reads s/rho (default: ${DEFAULT-VALUE}).")
  double rho;

  @Option(
      names = "--sard-steps",
      defaultValue = "5",
      description =
          "--method sard: PGD steps of the inner maxima, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--sard-weight",
      defaultValue = "unit",
      description =
          "--method sard: per-row weight w of the smoothness term, unit or cost (sum of tau_j)"
              + " (default: ${DEFAULT-VALUE}).")
  String weight;

  /** Whether a method spelling asks for SARD. */
  static boolean requested(String method) {
    return method.equals(METHOD) || method.startsWith(METHOD + ":");
  }

  /** The base surrogate of a {@code sard[:BASE]} spelling. */
  static String base(String method, boolean twoStage) {
    if (method.equals(METHOD)) {
      return twoStage ? "2s-comp:1" : "ce";
    }
    return method.substring(METHOD.length() + 1);
  }

  /** The settings, bounds checked. */
  Sard sard(CommandSpec spec, long seed) {
    OptionBounds.checkAtLeast(spec, "--sard-radius", radius, 0, false);
    OptionBounds.checkAtLeast(spec, "--sard-nu", nu, 0, false);
    OptionBounds.checkAtLeast(spec, "--sard-rho", rho, 0, true);
    OptionBounds.check(spec, "--sard-steps", steps, 1, 1000);
    return new Sard(radius, Norm.parse(norm), nu, rho, steps, Sard.Weighting.parse(weight), seed);
  }
}
