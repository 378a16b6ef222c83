package org.defer4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The ranges of the commands' numeric options, checked before any work. A value outside its range
 * is a usage error (exit code 2) naming the option, the value and the range, so that a typo such as
 * {@code --bins 100000000} fails in a line instead of exhausting memory with a stack trace. The
 * upper bounds are far above any useful setting and low enough that what they size fits in memory.
 */
final class OptionBounds {
  /** Most bins of a reliability diagram. */
  static final int MAX_BINS = 10_000;

  /** Largest committee a learned k(x) may choose. */
  static final int MAX_COMMITTEE = 64;

  /** Most hashed text features: n × d doubles are held densely. */
  static final int MAX_TEXT_DIM = 1 << 16;

  /** Most rows per minibatch (a larger batch than the table is the whole table). */
  static final int MAX_BATCH = 1 << 20;

  /** Most epochs (L-BFGS: iterations), and most epochs of patience. */
  static final int MAX_EPOCHS = 100_000;

  /** Most units in one hidden layer: a layer holds its inputs × units weights, four times over. */
  static final int MAX_HIDDEN = 8_192;

  /** Most hidden layers. */
  static final int MAX_LAYERS = 16;

  private OptionBounds() {}

  /**
   * Checks {@code min <= value <= max}.
   *
   * @throws ParameterException "--bins must be in [1, 10000], got 100000000"
   */
  static void check(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(Locale.ROOT, "%s must be in [%d, %d], got %d", option, min, max, value));
    }
  }

  /**
   * Checks that {@code value} is a finite number of at least {@code min} (above it when {@code
   * strict}).
   *
   * @throws ParameterException "--lr must be a finite number > 0, got NaN"
   */
  static void checkAtLeast(
      CommandSpec spec, String option, double value, double min, boolean strict) {
    boolean ok = Double.isFinite(value) && (strict ? value > min : value >= min);
    if (!ok) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(
              Locale.ROOT,
              "%s must be a finite number %s %s, got %s",
              option,
              strict ? ">" : ">=",
              num(min),
              num(value)));
    }
  }

  /**
   * Checks {@code min < value <= max}.
   *
   * @throws ParameterException "--triage-budget must be in (0, 1], got 2"
   */
  /**
   * Checks that {@code value} lies in the open interval (min, max).
   *
   * @throws ParameterException "--conformal must be in (0, 1), got 1.5"
   */
  static void checkInOpen(CommandSpec spec, String option, double value, double min, double max) {
    if (!(value > min && value < max)) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(
              Locale.ROOT,
              "%s must be in (%s, %s), got %s",
              option,
              num(min),
              num(max),
              num(value)));
    }
  }

  static void checkInHalfOpen(
      CommandSpec spec, String option, double value, double min, double max) {
    if (!(value > min && value <= max)) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(
              Locale.ROOT,
              "%s must be in (%s, %s], got %s",
              option,
              num(min),
              num(max),
              num(value)));
    }
  }

  /**
   * The hidden sizes of {@code mlp:H1,H2,...}, each in [1, {@link #MAX_HIDDEN}], at most {@link
   * #MAX_LAYERS} of them.
   *
   * @param model the option's value, starting with {@code mlp:}
   * @throws ParameterException naming the option, the size and the bound
   */
  static List<Integer> hiddenSizes(CommandSpec spec, String option, String model) {
    String[] parts = model.substring(model.indexOf(':') + 1).split(",", -1);
    if (parts.length > MAX_LAYERS) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " "
              + model
              + ": "
              + parts.length
              + " hidden layers; at most "
              + MAX_LAYERS
              + " are accepted");
    }
    List<Integer> hidden = new ArrayList<>();
    for (String h : parts) {
      long size;
      try {
        size = Long.parseLong(h.trim());
      } catch (NumberFormatException e) {
        throw new ParameterException(
            spec.commandLine(),
            option + " " + model + ": hidden size '" + h + "' is not an integer");
      }
      if (size < 1 || size > MAX_HIDDEN) {
        throw new ParameterException(
            spec.commandLine(),
            String.format(
                Locale.ROOT,
                "%s %s: hidden size %d must be in [1, %d]",
                option,
                model,
                size,
                MAX_HIDDEN));
      }
      hidden.add((int) size);
    }
    return hidden;
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
