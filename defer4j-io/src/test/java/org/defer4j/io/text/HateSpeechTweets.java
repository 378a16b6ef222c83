package org.defer4j.io.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tweets and classes of the hate-speech data set (Davidson et al. 2017, {@code
 * hatespeech/labeled_data.csv} under the shared data folder): class 0 = hate speech, 1 = offensive,
 * 2 = neither. The folder comes from the system property {@code defer4j.shared.data}, which the
 * build sets; tests skip, saying why, when it is not there.
 */
final class HateSpeechTweets {
  static final String PROPERTY = "defer4j.shared.data";

  final String[] tweets;
  final int[] classes;

  private HateSpeechTweets(String[] tweets, int[] classes) {
    this.tweets = tweets;
    this.classes = classes;
  }

  /** The CSV file, or null when the property is unset or the file is absent. */
  static Path file() {
    String root = System.getProperty(PROPERTY);
    if (root == null || root.isBlank()) {
      return null;
    }
    Path p = Path.of(root, "hatespeech", "labeled_data.csv");
    return Files.isRegularFile(p) ? p : null;
  }

  /** Why {@link #file()} is null, for a skip message. */
  static String missingReason() {
    return "hate-speech data not found: system property "
        + PROPERTY
        + "="
        + System.getProperty(PROPERTY)
        + " does not lead to hatespeech/labeled_data.csv";
  }

  /** Reads the file (RFC 4180: quoted fields may hold commas, quotes and newlines). */
  static HateSpeechTweets read(Path file) throws IOException {
    String csv = Files.readString(file, StandardCharsets.UTF_8);
    List<List<String>> records = parse(csv);
    List<String> header = records.get(0);
    int tweetCol = header.indexOf("tweet");
    int classCol = header.indexOf("class");
    if (tweetCol < 0 || classCol < 0) {
      throw new IllegalStateException(file + ": no 'tweet' or 'class' column in " + header);
    }
    int n = records.size() - 1;
    String[] tweets = new String[n];
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      List<String> r = records.get(i + 1);
      if (r.size() != header.size()) {
        throw new IllegalStateException(
            file
                + ": record "
                + (i + 1)
                + " has "
                + r.size()
                + " fields, expected "
                + header.size());
      }
      tweets[i] = r.get(tweetCol);
      classes[i] = Integer.parseInt(r.get(classCol));
    }
    return new HateSpeechTweets(tweets, classes);
  }

  private static List<List<String>> parse(String csv) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    int n = csv.length();
    while (i < n) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && csv.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && csv.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else {
        field.append(c);
      }
      i++;
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
