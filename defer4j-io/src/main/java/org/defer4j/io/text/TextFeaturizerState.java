package org.defer4j.io.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a fitted text featurizer needs to reproduce its features bit for bit: the options and
 * the IDF vector. Artifacts save this record and restore it with {@link
 * FittedTextFeaturizer#fromState}. The IDF values are stored, not recomputed, so a restored
 * featurizer never depends on how another JVM rounds a logarithm.
 *
 * <p>The arrays are copied in and out; equality compares IDF values bit for bit.
 *
 * @param formatVersion the layout version of this state ({@link #FORMAT_VERSION})
 * @param options the tokenisation, hashing and weighting options
 * @param trainingTexts the number n of texts the IDF was fitted on
 * @param idf the d IDF weights, one a bucket, each finite and ≥ 1
 */
public record TextFeaturizerState(
    int formatVersion, TextOptions options, int trainingTexts, double[] idf) {

  /** The version written by this code; bump it when the feature definition changes. */
  public static final int FORMAT_VERSION = 1;

  /** Validates the state and copies the IDF vector. */
  public TextFeaturizerState {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "text featurizer state has format version "
              + formatVersion
              + ", this defer4j reads version "
              + FORMAT_VERSION);
    }
    if (options == null) {
      throw new IllegalArgumentException("text featurizer state has no options");
    }
    if (trainingTexts < 1) {
      throw new IllegalArgumentException(
          "text featurizer state must come from >= 1 training text, got " + trainingTexts);
    }
    if (idf == null) {
      throw new IllegalArgumentException("text featurizer state has no idf vector");
    }
    if (idf.length != options.dimension()) {
      throw new IllegalArgumentException(
          "idf vector has length " + idf.length + ", expected dimension " + options.dimension());
    }
    idf = idf.clone();
    for (int b = 0; b < idf.length; b++) {
      if (!(idf[b] >= 1.0) || Double.isInfinite(idf[b])) {
        throw new IllegalArgumentException("idf[" + b + "] must be finite and >= 1, got " + idf[b]);
      }
    }
  }

  /** A copy of the IDF vector. */
  @Override
  public double[] idf() {
    return idf.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextFeaturizerState s
        && formatVersion == s.formatVersion
        && trainingTexts == s.trainingTexts
        && options.equals(s.options)
        && Arrays.equals(idf, s.idf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, options, trainingTexts, Arrays.hashCode(idf));
  }

  @Override
  public String toString() {
    return "TextFeaturizerState[formatVersion="
        + formatVersion
        + ", options="
        + options
        + ", trainingTexts="
        + trainingTexts
        + ", idf=double["
        + idf.length
        + "]]";
  }
}
