package org.defer4j.cli.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expert-correctness estimates of two published HateSpeech deferral models (a softmax and a
 * one-vs-all surrogate), with whether the expert was in fact correct, as one CSV table for the
 * {@code calibration} command.
 *
 * <p>Columns: {@code softmax_p0..softmax_p2} (class probabilities), {@code softmax_defer} (the
 * defer probability), {@code softmax_correct}, then the same for {@code ova_*} (one-vs-all sigmoid
 * outputs; {@code ova_defer} is the expert-correctness estimate as stored). The outcome files hold
 * a few more entries than the estimates; the first n are used, as the models' authors do.
 */
public final class HateSpeechConfidences {
  private HateSpeechConfidences() {}

  /** Writes the table from the {@code golden-ece} folder. */
  public static int write(Path goldenEce, Path out) throws IOException {
    ObjectMapper m = new ObjectMapper();
    double[][] softmax =
        m.readValue(goldenEce.resolve("softmax_confs.json").toFile(), double[][].class);
    int[] softmaxAcc = m.readValue(goldenEce.resolve("softmax_acc.json").toFile(), int[].class);
    double[][] ova = m.readValue(goldenEce.resolve("ova_confs.json").toFile(), double[][].class);
    int[] ovaAcc = m.readValue(goldenEce.resolve("ova_acc.json").toFile(), int[].class);
    int n = softmax.length;
    if (ova.length != n || softmaxAcc.length < n || ovaAcc.length < n) {
      throw new IOException(
          goldenEce
              + ": estimate and outcome files disagree in length ("
              + n
              + ", "
              + ova.length
              + ", "
              + softmaxAcc.length
              + ", "
              + ovaAcc.length
              + ")");
    }
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("softmax_p0,softmax_p1,softmax_p2,softmax_defer,softmax_correct,");
      w.write("ova_p0,ova_p1,ova_p2,ova_defer,ova_correct\n");
      for (int i = 0; i < n; i++) {
        StringBuilder b = new StringBuilder();
        for (double v : softmax[i]) {
          b.append(v).append(',');
        }
        b.append(softmaxAcc[i]).append(',');
        for (double v : ova[i]) {
          b.append(v).append(',');
        }
        b.append(ovaAcc[i]).append('\n');
        w.write(b.toString());
      }
    }
    return n;
  }
}
