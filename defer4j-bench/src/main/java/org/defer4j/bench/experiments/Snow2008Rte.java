package org.defer4j.bench.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Derives a deferral table from Snow et al. 2008's RTE crowd data ({@code snow2008/}: 800 text /
 * hypothesis pairs, each labelled by 10 of 164 MTurk workers; gold from RTE-1): one row per pair,
 * {@code y} the gold entailment (0 / 1), one expert per worker with {@code m.<worker>.y} empty
 * where the worker did not label the pair (sparse annotations), and five lexical features of the
 * pair — the share of hypothesis words found in the text, the same for word bigrams, the two
 * lengths in words (log) and whether the hypothesis has a negation the text lacks. The rows are
 * split 60 / 20 / 20 (seeded) into {@code rte-train.csv}, {@code rte-val.csv}, {@code rte-test.csv}
 * next to a task spec {@code rte.yaml}. The original release has no licence (research use), so the
 * derived files are written to a working folder, not bundled.
 *
 * <p>Usage: {@code Snow2008Rte DATA_DIR OUT_DIR [-min-labels N] [-seed S]}: DATA_DIR holds {@code
 * snow2008/}; workers with fewer than N labels (default 1: all 164) are left out.
 */
public final class Snow2008Rte {
  private Snow2008Rte() {}

  /**
   * Entry point.
   *
   * @param args DATA_DIR OUT_DIR and options (see the class comment)
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Snow2008Rte DATA_DIR OUT_DIR [-min-labels N] [-seed S]");
      System.exit(2);
    }
    Path dir = Path.of(args[0], "snow2008");
    Path out = Path.of(args[1]);
    int minLabels = 1;
    long seed = 0;
    for (int i = 2; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "-min-labels" -> minLabels = Integer.parseInt(args[i + 1]);
        case "-seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, String[]> texts = new HashMap<>();
    List<String> lines =
        Files.readAllLines(dir.resolve("rte1_texts_gold.tsv"), StandardCharsets.UTF_8);
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split("\t", -1);
      texts.put(f[0], new String[] {f[3], f[4]});
    }
    Map<String, Integer> gold =
        new TreeMap<>((x, y) -> Integer.compare(Integer.parseInt(x), Integer.parseInt(y)));
    Map<String, Map<String, Integer>> answers = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    List<String> raw =
        Files.readAllLines(dir.resolve("rte.standardized.tsv"), StandardCharsets.UTF_8);
    for (String l : raw.subList(1, raw.size())) {
      String[] f = l.split("\t", -1);
      String worker = f[1];
      String item = f[2];
      gold.put(item, Integer.parseInt(f[4]));
      answers.computeIfAbsent(item, k -> new HashMap<>()).put(worker, Integer.parseInt(f[3]));
      counts.merge(worker, 1, Integer::sum);
    }
    List<String> workers = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= minLabels) {
        workers.add(e.getKey());
      }
    }
    workers.sort(
        (x, y) ->
            counts.get(y).equals(counts.get(x)) ? x.compareTo(y) : counts.get(y) - counts.get(x));
    List<String> items = new ArrayList<>(gold.keySet());
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = items.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      String t = items.get(i);
      items.set(i, items.get(j));
      items.set(j, t);
    }
    Files.createDirectories(out);
    int n = items.size();
    int nTrain = (int) Math.round(0.6 * n);
    int nVal = (int) Math.round(0.2 * n);
    write(out.resolve("rte-train.csv"), items.subList(0, nTrain), workers, gold, answers, texts);
    write(
        out.resolve("rte-val.csv"),
        items.subList(nTrain, nTrain + nVal),
        workers,
        gold,
        answers,
        texts);
    write(
        out.resolve("rte-test.csv"),
        items.subList(nTrain + nVal, n),
        workers,
        gold,
        answers,
        texts);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("rte.yaml")))) {
      w.println("# Snow et al. 2008 RTE: gold entailment, one expert per MTurk worker (sparse)");
      w.println("task: classification");
      w.println("classes: 2");
      w.println("experts:");
      for (String worker : workers) {
        w.println("  - name: " + worker);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d pairs (%d train, %d val, %d test), %d workers with >= %d labels -> %s%n",
        n,
        nTrain,
        nVal,
        n - nTrain - nVal,
        workers.size(),
        minLabels,
        out);
  }

  private static void write(
      Path file,
      List<String> items,
      List<String> workers,
      Map<String, Integer> gold,
      Map<String, Map<String, Integer>> answers,
      Map<String, String[]> texts)
      throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      StringBuilder h =
          new StringBuilder(
              "id,y,x.overlap,x.bigram_overlap,x.log_text_words,x.log_hyp_words,x.new_negation");
      for (String worker : workers) {
        h.append(",m.").append(worker).append(".y");
      }
      w.println(h);
      for (String item : items) {
        String[] t = texts.get(item);
        if (t == null) {
          throw new IllegalStateException("pair " + item + " has no text in rte1_texts_gold.tsv");
        }
        double[] x = features(t[0], t[1]);
        StringBuilder row = new StringBuilder(item).append(',').append(gold.get(item));
        for (double v : x) {
          row.append(',').append(String.format(Locale.ROOT, "%.6f", v));
        }
        Map<String, Integer> a = answers.get(item);
        for (String worker : workers) {
          Integer v = a.get(worker);
          row.append(',').append(v == null ? "" : v.toString());
        }
        w.println(row);
      }
    }
  }

  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "n't", "none", "nobody");

  static double[] features(String text, String hypothesis) {
    List<String> tw = words(text);
    List<String> hw = words(hypothesis);
    Set<String> ts = new HashSet<>(tw);
    Set<String> tb = bigrams(tw);
    int hit = 0;
    for (String s : hw) {
      if (ts.contains(s)) {
        hit++;
      }
    }
    Set<String> hb = bigrams(hw);
    int bhit = 0;
    for (String b : hb) {
      if (tb.contains(b)) {
        bhit++;
      }
    }
    boolean neg = false;
    for (String s : hw) {
      if (NEGATIONS.contains(s) && !ts.contains(s)) {
        neg = true;
      }
    }
    return new double[] {
      hw.isEmpty() ? 0 : (double) hit / hw.size(),
      hb.isEmpty() ? 0 : (double) bhit / hb.size(),
      Math.log1p(tw.size()),
      Math.log1p(hw.size()),
      neg ? 1 : 0
    };
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.toLowerCase(Locale.ROOT).replace("n't", " n't").split("[^a-z0-9']+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static Set<String> bigrams(List<String> w) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 1 < w.size(); i++) {
      out.add(w.get(i) + " " + w.get(i + 1));
    }
    return out;
  }
}
