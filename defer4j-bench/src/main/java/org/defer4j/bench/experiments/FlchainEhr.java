package org.defer4j.bench.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;

/**
 * The seed paper's EHR design (Montreuil et al. 2025, §5.2: mortality + length of stay, two experts
 * specialised by k-means clusters) on the Mayo flchain cohort (R package {@code survival}, LGPL):
 * the class is {@code death} (alive / dead), the regression target is the follow-up time {@code
 * futime} in thousands of days, and the features are age, sex (M = 1), sample year, kappa, lambda,
 * FLC group, creatinine and MGUS. Rows with a missing creatinine (1,350 of 7,874) are dropped,
 * never imputed; {@code chapter} (cause of death) is not a feature, since it reveals the class.
 *
 * <p>Experts: the rows are clustered by k-means on the standardised features with k chosen by the
 * elbow method; expert 1 knows clusters π[0..h] and expert 2 clusters π[h..k−1] (h = ⌊k/2⌋, so π[h]
 * is shared), with one random permutation π for the classification part and another for the
 * regression part. On a known cluster an expert gives the true class and the true target; elsewhere
 * the wrong class and a target drawn uniformly over the observed range (the paper's "uniform
 * probability distribution to reflect uncertainty").
 */
final class FlchainEhr {
  static final List<String> FEATURES =
      List.of("age", "sex", "sample_yr", "kappa", "lambda", "flc_grp", "creatinine", "mgus");

  final int n;
  final double[] rawFeatures;
  final int[] death;
  final double[] target;
  final int k;
  final double[] inertia;
  final int[] cluster;
  final int[][] clsSets;
  final int[][] regSets;

  private FlchainEhr(
      int n,
      double[] x,
      int[] death,
      double[] target,
      int k,
      double[] inertia,
      int[] cluster,
      int[][] clsSets,
      int[][] regSets) {
    this.n = n;
    this.rawFeatures = x;
    this.death = death;
    this.target = target;
    this.k = k;
    this.inertia = inertia;
    this.cluster = cluster;
    this.clsSets = clsSets;
    this.regSets = regSets;
  }

  /** Reads {@code survival/survival_flchain.csv} under the data folder and builds the experts. */
  static FlchainEhr load(Path dataFolder, int maxK) {
    Path file = dataFolder.resolve("survival").resolve("survival_flchain.csv");
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> header = Arrays.asList(unquote(lines.get(0).split(",", -1)));
    int[] col = new int[FEATURES.size()];
    String[] names = {
      "age", "sex", "sample.yr", "kappa", "lambda", "flc.grp", "creatinine", "mgus"
    };
    for (int j = 0; j < names.length; j++) {
      col[j] = header.indexOf(names[j]);
      if (col[j] < 0) {
        throw new IllegalArgumentException(file + ": no column " + names[j]);
      }
    }
    int fut = header.indexOf("futime");
    int dead = header.indexOf("death");
    List<double[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = unquote(lines.get(i).split(",", -1));
      if (f[col[6]].equals("NA")) {
        continue;
      }
      double[] r = new double[names.length + 2];
      for (int j = 0; j < names.length; j++) {
        r[j] = j == 1 ? (f[col[j]].equals("M") ? 1 : 0) : Double.parseDouble(f[col[j]]);
      }
      r[names.length] = Double.parseDouble(f[fut]) / 1000.0;
      r[names.length + 1] = Double.parseDouble(f[dead]);
      rows.add(r);
    }
    int n = rows.size();
    int d = names.length;
    double[] x = new double[n * d];
    int[] y = new int[n];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      double[] r = rows.get(i);
      System.arraycopy(r, 0, x, i * d, d);
      t[i] = r[d];
      y[i] = (int) r[d + 1];
    }
    double[] z = standardise(x, n, d, x, n);
    double[] inertia = new double[maxK];
    KMeans.Result[] fits = new KMeans.Result[maxK];
    for (int kk = 1; kk <= maxK; kk++) {
      fits[kk - 1] = KMeans.fit(z, n, d, kk, 5, new SplittableRandom(100 + kk));
      inertia[kk - 1] = fits[kk - 1].inertia();
    }
    int k = Math.max(3, KMeans.elbow(inertia));
    int[] cluster = fits[k - 1].assignment();
    int[][] sets = expertise(cluster, k);
    return new FlchainEhr(
        n,
        x,
        y,
        t,
        k,
        inertia,
        cluster,
        new int[][] {sets[0], sets[1]},
        new int[][] {sets[2], sets[3]});
  }

  /**
   * The experts' clusters: clusters ranked by size (largest first); rank 2 is the shared cluster S,
   * the other ranks alternate between groups G1 (ranks 0, 3, 5, …) and G2 (ranks 1, 4, 6, …).
   * Classification: expert 1 knows G1 ∪ S, expert 2 knows G2 ∪ S. Regression: the groups swap,
   * expert 1 knows G2 ∪ S and expert 2 knows G1 ∪ S. So, outside S, the expert that is right about
   * the class of a case is wrong about its target and vice versa.
   *
   * @return {{cls e1}, {cls e2}, {reg e1}, {reg e2}}
   */
  private static int[][] expertise(int[] cluster, int k) {
    Integer[] rank = new Integer[k];
    int[] size = new int[k];
    for (int c : cluster) {
      size[c]++;
    }
    for (int c = 0; c < k; c++) {
      rank[c] = c;
    }
    Arrays.sort(rank, (a, b) -> size[b] != size[a] ? size[b] - size[a] : a - b);
    List<Integer> g1 = new ArrayList<>();
    List<Integer> g2 = new ArrayList<>();
    int shared = rank[2];
    boolean toG1 = true;
    for (int r = 0; r < k; r++) {
      if (r == 2) {
        continue;
      }
      (toG1 ? g1 : g2).add(rank[r]);
      toG1 = !toG1;
    }
    g1.add(shared);
    g2.add(shared);
    int[] a = g1.stream().mapToInt(Integer::intValue).toArray();
    int[] b = g2.stream().mapToInt(Integer::intValue).toArray();
    return new int[][] {a, b, b, a};
  }

  /**
   * The deferral table of all rows: features standardised with the means and deviations of the rows
   * {@code fitRows}, labels, targets, and the two experts (their out-of-cluster targets drawn from
   * {@code rng}).
   */
  DeferralTable table(int[] fitRows, SplittableRandom rng) {
    int d = FEATURES.size();
    double[] sub = new double[fitRows.length * d];
    for (int i = 0; i < fitRows.length; i++) {
      System.arraycopy(rawFeatures, fitRows[i] * d, sub, i * d, d);
    }
    double[] z = standardise(rawFeatures, n, d, sub, fitRows.length);
    double lo = Arrays.stream(target).min().getAsDouble();
    double hi = Arrays.stream(target).max().getAsDouble();
    DeferralTable.Builder b =
        DeferralTable.builder("flchain", n)
            .features(FEATURES, z)
            .labels(death.clone())
            .targets(target.clone());
    for (int e = 0; e < 2; e++) {
      int[] cls = new int[n];
      double[] val = new double[n];
      for (int i = 0; i < n; i++) {
        cls[i] = contains(clsSets[e], cluster[i]) ? death[i] : 1 - death[i];
        val[i] = contains(regSets[e], cluster[i]) ? target[i] : lo + (hi - lo) * rng.nextDouble();
      }
      b.agent("e" + (e + 1), new AgentColumns(n, cls, val, null, 0, null));
    }
    return b.build();
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** Standardises the n × d block {@code x} with the statistics of {@code ref} (m rows). */
  private static double[] standardise(double[] x, int n, int d, double[] ref, int m) {
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += ref[i * d + j] / m;
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < d; j++) {
        double r = ref[i * d + j] - mean[j];
        sd[j] += r * r / (m - 1);
      }
    }
    double[] out = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double s = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
        out[i * d + j] = (x[i * d + j] - mean[j]) / s;
      }
    }
    return out;
  }

  private static String[] unquote(String[] f) {
    for (int i = 0; i < f.length; i++) {
      String s = f[i].trim();
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        s = s.substring(1, s.length() - 1);
      }
      f[i] = s;
    }
    return f;
  }
}
