package org.defer4j.core.policy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a learned policy was made, built in one place by its trainer and saved with it (Tribuo's
 * model provenance): the method and algorithm, the seed, the fit's epochs, the training data's size
 * and hash, the options as given, and the validation metrics.
 *
 * @param method the training method's catalogue name, e.g. {@code ova} or {@code triage}
 * @param algorithm the optimiser, e.g. {@code adam}
 * @param seed the seed
 * @param epochs epochs run
 * @param bestEpoch the epoch whose parameters were kept
 * @param trainRows training rows
 * @param dataSha256 SHA-256 of the training file, or empty when not known
 * @param defer4jVersion the version that trained it
 * @param created ISO-8601 instant, or empty
 * @param options the options that shaped the fit (names → values as text)
 * @param metrics validation metrics (names → values)
 */
public record Provenance(
    String method,
    String algorithm,
    long seed,
    int epochs,
    int bestEpoch,
    int trainRows,
    String dataSha256,
    String defer4jVersion,
    String created,
    Map<String, String> options,
    Map<String, Double> metrics) {

  /** Copies the maps (sorted, so saved files are stable). */
  public Provenance {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("provenance needs the training method");
    }
    algorithm = algorithm == null ? "" : algorithm;
    dataSha256 = dataSha256 == null ? "" : dataSha256;
    defer4jVersion = defer4jVersion == null ? "" : defer4jVersion;
    created = created == null ? "" : created;
    options = Collections.unmodifiableMap(new TreeMap<>(options));
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
  }

  /** A provenance that knows only the method (policies built by hand, tests). */
  public static Provenance of(String method) {
    return new Provenance(method, "", 0L, 0, 0, 0, "", "", "", Map.of(), Map.of());
  }

  /** With more options. */
  public Provenance withOptions(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(options);
    all.putAll(more);
    return new Provenance(
        method,
        algorithm,
        seed,
        epochs,
        bestEpoch,
        trainRows,
        dataSha256,
        defer4jVersion,
        created,
        all,
        metrics);
  }

  /** With more metrics. */
  public Provenance withMetrics(Map<String, Double> more) {
    Map<String, Double> all = new TreeMap<>(metrics);
    all.putAll(more);
    return new Provenance(
        method,
        algorithm,
        seed,
        epochs,
        bestEpoch,
        trainRows,
        dataSha256,
        defer4jVersion,
        created,
        options,
        all);
  }

  /** With the training data's hash and the version and time of training. */
  public Provenance withSource(String sha256, String version, String createdAt) {
    return new Provenance(
        method, algorithm, seed, epochs, bestEpoch, trainRows, sha256, version, createdAt, options,
        metrics);
  }
}
