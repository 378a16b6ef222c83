package org.defer4j.cli.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.math.Sampling;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.text.FittedTextFeaturizer;

/**
 * The HateSpeech tweets of Davidson et al. (2017): each tweet's majority class over hate /
 * offensive / neither and the votes of its 3–9 annotators. Experts are real annotators: an expert's
 * answer on a tweet is one vote drawn from that tweet's votes; several experts draw without
 * replacement, so that no vote is used twice (the "random annotator" of the L2D literature). All
 * draws are seeded.
 */
public final class HateSpeech {
  /** Class names in index order, as the file's {@code class} column codes them. */
  public static final List<String> CLASSES = List.of("hate", "offensive", "neither");

  /** One tweet: its votes per class, its majority class and its text. */
  public record Tweet(int[] votes, int label, String text) {
    /** Copies the votes. */
    public Tweet {
      votes = votes.clone();
    }
  }

  private HateSpeech() {}

  /** Reads {@code labeled_data.csv}. */
  public static List<Tweet> read(Path csv) throws IOException, SQLException {
    if (!Files.isRegularFile(csv)) {
      throw new IOException("missing HateSpeech file " + csv);
    }
    List<Tweet> tweets = new ArrayList<>();
    String sql =
        "SELECT hate_speech, offensive_language, neither, \"class\", tweet FROM read_csv(?,"
            + " header = true, quote = '\"', escape = '\"',"
            + " types = {'hate_speech': 'INTEGER', 'offensive_language': 'INTEGER',"
            + " 'neither': 'INTEGER', 'class': 'INTEGER', 'tweet': 'VARCHAR'})";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, csv.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int[] votes = {rs.getInt(1), rs.getInt(2), rs.getInt(3)};
          int label = rs.getInt(4);
          if (label < 0 || label > 2) {
            throw new IOException(
                csv + ": row " + (tweets.size() + 1) + ", column class: " + label + " not in 0..2");
          }
          String text = rs.getString(5);
          tweets.add(new Tweet(votes, label, text == null ? "" : text));
        }
      }
    }
    return tweets;
  }

  /**
   * Draws {@code experts} votes per tweet without replacement (fewer votes than experts leaves the
   * extra experts unobserved on that tweet).
   *
   * @return experts × n classes, −1 where unobserved
   */
  public static int[][] drawVotes(List<Tweet> tweets, int experts, SplittableRandom rng) {
    int n = tweets.size();
    int[][] out = new int[experts][n];
    for (int i = 0; i < n; i++) {
      int[] left = tweets.get(i).votes().clone();
      int total = left[0] + left[1] + left[2];
      for (int j = 0; j < experts; j++) {
        if (total == 0) {
          out[j][i] = AgentColumns.UNOBSERVED;
          continue;
        }
        int u = rng.nextInt(total);
        int k = 0;
        while (u >= left[k]) {
          u -= left[k];
          k++;
        }
        out[j][i] = k;
        left[k]--;
        total--;
      }
    }
    return out;
  }

  /** The task of a table with experts named {@code names}, no frozen model, no fees. */
  public static TaskSpec task(List<String> names) {
    return TaskSpec.classification(
        CLASSES, null, names.stream().map(n -> Agent.expert(n, 0.0)).toList());
  }

  /**
   * A deferral table of the tweets {@code rows}: hashed TF-IDF features of the text (the text
   * itself is not kept), the majority class as {@code y} and each expert's drawn vote.
   *
   * @param votes experts × n votes from {@link #drawVotes}, over all tweets
   */
  public static DeferralTable table(
      String name,
      List<Tweet> tweets,
      int[] rows,
      FittedTextFeaturizer featurizer,
      List<String> expertNames,
      int[][] votes) {
    int m = rows.length;
    String[] texts = new String[m];
    int[] labels = new int[m];
    String[] ids = new String[m];
    for (int i = 0; i < m; i++) {
      Tweet t = tweets.get(rows[i]);
      texts[i] = t.text();
      labels[i] = t.label();
      ids[i] = Integer.toString(rows[i]);
    }
    DeferralTable.Builder b =
        DeferralTable.builder(name, m)
            .ids(ids)
            .labels(labels)
            .features(featurizer.featureNames(), featurizer.transform(texts));
    for (int j = 0; j < expertNames.size(); j++) {
      int[] answers = new int[m];
      for (int i = 0; i < m; i++) {
        answers[i] = votes[j][rows[i]];
      }
      b.agent(expertNames.get(j), new AgentColumns(m, answers, null, null, 0, null));
    }
    return b.build();
  }

  /** A seeded split of 0..n−1 into train / validation / test by the given shares. */
  public static int[][] split(int n, double trainShare, double valShare, SplittableRandom rng) {
    int[] perm = new int[n];
    Sampling.permutation(perm, rng);
    int a = (int) Math.round(n * trainShare);
    int b = a + (int) Math.round(n * valShare);
    int[] train = java.util.Arrays.copyOfRange(perm, 0, a);
    int[] val = java.util.Arrays.copyOfRange(perm, a, b);
    int[] test = java.util.Arrays.copyOfRange(perm, b, n);
    java.util.Arrays.sort(train);
    java.util.Arrays.sort(val);
    java.util.Arrays.sort(test);
    return new int[][] {train, val, test};
  }
}
