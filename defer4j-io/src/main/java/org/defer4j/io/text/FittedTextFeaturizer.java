package org.defer4j.io.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.defer4j.core.Checks;

/**
 * A text featurizer with its IDF vector fitted: maps any text to the L2-normalised hashed TF-IDF
 * vector of length d defined in {@link TextFeaturizer}. Immutable and safe to share between
 * threads.
 *
 * <p>Its whole state is a {@link TextFeaturizerState}; {@link #fromState} of {@link #state()} gives
 * a featurizer whose features equal this one's bit for bit.
 */
public final class FittedTextFeaturizer {
  /** The default prefix of feature names: {@code text_0000}, {@code text_0001}, ... */
  public static final String DEFAULT_PREFIX = "text";

  private final TextOptions options;
  private final int trainingTexts;
  private final double[] idf;
  private final TermWalker walker;

  FittedTextFeaturizer(TextOptions options, int trainingTexts, double[] idf, TermWalker walker) {
    this.options = options;
    this.trainingTexts = trainingTexts;
    this.idf = idf;
    this.walker = walker;
  }

  /**
   * The featurizer saved as {@code state}.
   *
   * @throws IllegalArgumentException when {@code state} is null
   */
  public static FittedTextFeaturizer fromState(TextFeaturizerState state) {
    if (state == null) {
      throw new IllegalArgumentException("text featurizer state must be given");
    }
    return new FittedTextFeaturizer(
        state.options(), state.trainingTexts(), state.idf(), new TermWalker(state.options()));
  }

  /** The saved form: options, number of training texts and IDF vector. */
  public TextFeaturizerState state() {
    return new TextFeaturizerState(TextFeaturizerState.FORMAT_VERSION, options, trainingTexts, idf);
  }

  /** The options. */
  public TextOptions options() {
    return options;
  }

  /** The number of features d. */
  public int dimension() {
    return idf.length;
  }

  /** The number n of texts the IDF was fitted on. */
  public int trainingTexts() {
    return trainingTexts;
  }

  /** The IDF of bucket {@code b}. */
  public double idf(int b) {
    return idf[Checks.checkIndex("bucket", b, idf.length)];
  }

  /** A copy of the IDF vector. */
  public double[] idf() {
    return idf.clone();
  }

  /** Feature names {@code text_0000 .. text_<d−1>} (at least 4 digits, all of one width). */
  public List<String> featureNames() {
    return featureNames(DEFAULT_PREFIX);
  }

  /** Feature names {@code <prefix>_0000 .. <prefix>_<d−1>}, without the {@code x.} of columns. */
  public List<String> featureNames(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("feature name prefix must be non-empty");
    }
    int width = Math.max(4, Integer.toString(idf.length - 1).length());
    List<String> names = new ArrayList<>(idf.length);
    StringBuilder sb = new StringBuilder(prefix.length() + 1 + width);
    for (int b = 0; b < idf.length; b++) {
      sb.setLength(0);
      sb.append(prefix).append('_');
      String digits = Integer.toString(b);
      for (int k = digits.length(); k < width; k++) {
        sb.append('0');
      }
      names.add(sb.append(digits).toString());
    }
    return Collections.unmodifiableList(names);
  }

  /**
   * Writes the features of {@code text} (null is the empty text) into {@code out}, overwriting it.
   *
   * @param out length d
   * @throws IllegalArgumentException when {@code out} does not have length d
   */
  public void transform(String text, double[] out) {
    Checks.checkDimension("text feature output", out.length, idf.length);
    new Transformer().transform(text, out, 0);
  }

  /** The features of {@code text} (null is the empty text), a new array of length d. */
  public double[] transform(String text) {
    double[] out = new double[idf.length];
    new Transformer().transform(text, out, 0);
    return out;
  }

  /**
   * The features of every text, as a new row-major n × d block (row i = {@code texts[i]}). The
   * array is not modified.
   *
   * @throws IllegalArgumentException when n × d does not fit in an array
   */
  public double[] transform(String[] texts) {
    long size = (long) texts.length * idf.length;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          texts.length + " texts × " + idf.length + " features do not fit in one array");
    }
    double[] out = new double[(int) size];
    Transformer t = new Transformer();
    for (int i = 0; i < texts.length; i++) {
      t.transform(texts[i], out, i * idf.length);
    }
    return out;
  }

  /** Per-call scratch, so that the featurizer itself stays immutable. */
  private final class Transformer {
    private final TermHashes hashes = new TermHashes(options.hashSeed());
    private int[] touched = new int[64];

    /** Overwrites {@code out[offset, offset + d)} with the features of {@code text}. */
    void transform(String text, double[] out, int offset) {
      int d = idf.length;
      Arrays.fill(out, offset, offset + d, 0.0);
      hashes.clear();
      walker.walk(text, hashes);
      int count = hashes.count();
      if (count == 0) {
        return;
      }
      int[] h = hashes.sorted();
      if (touched.length < count) {
        touched = new int[Math.max(count, 2 * touched.length)];
      }
      int nTouched = 0;
      boolean signed = options.signedHashing();
      boolean sublinear = options.sublinearTf();
      int k = 0;
      while (k < count) {
        int hash = h[k];
        int c = 1;
        while (k + c < count && h[k + c] == hash) {
          c++;
        }
        k += c;
        double tf = sublinear ? 1.0 + StrictMath.log(c) : c;
        int b = TextFeaturizer.bucketOf(hash, d);
        touched[nTouched++] = b;
        out[offset + b] += TextFeaturizer.signOf(hash, signed) * tf;
      }
      // A bucket may appear several times in touched: weight and square each bucket once.
      Arrays.sort(touched, 0, nTouched);
      double sumSquares = 0.0;
      int previous = -1;
      for (int j = 0; j < nTouched; j++) {
        int b = touched[j];
        if (b != previous) {
          double v = out[offset + b] * idf[b];
          out[offset + b] = v;
          sumSquares += v * v;
          previous = b;
        }
      }
      if (sumSquares > 0.0) {
        double norm = Math.sqrt(sumSquares);
        previous = -1;
        for (int j = 0; j < nTouched; j++) {
          int b = touched[j];
          if (b != previous) {
            out[offset + b] /= norm;
            previous = b;
          }
        }
      }
    }
  }
}
