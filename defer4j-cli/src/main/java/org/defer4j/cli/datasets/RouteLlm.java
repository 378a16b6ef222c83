package org.defer4j.cli.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * RouteLLM's evaluation data as deferral tables: per question, whether Mixtral-8x7B (the frozen
 * model, {@code mixtral}) and GPT-4 (the expert, {@code gpt4}) answered correctly. The cost of an
 * agent is {@code 1 − correct}; GPT-4 carries a consultation fee. The prompt is kept as the text
 * column {@code prompt} (featurised by {@code train}) and gives one numeric feature {@code
 * x.prompt_length} ({@link #promptLength}); for MMLU the subject is the {@code group} and also a
 * one-hot feature block {@code x.subject_<subject>} (57 columns, subjects in alphabetical order),
 * so that a router can learn per-subject priors.
 *
 * <p>Decontamination follows RouteLLM's benchmark code ({@code routellm/evals/benchmarks.py}): a
 * question is dropped when its prompt text equals, character for character, the {@code eval_prompt}
 * of a line of {@code <benchmark>_contaminated_prompts.jsonl} (prompts that also occur in
 * RouteLLM's router training data). That leaves 14,037 of 14,042 MMLU questions and 1,307 of 1,319
 * GSM8K problems.
 */
public final class RouteLlm {
  /** Consultation fee of GPT-4 in the bundled task specs, in units of one wrong answer. */
  public static final double GPT4_FEE = 0.1;

  static final String MIXTRAL_COLUMN = "mistralai/Mixtral-8x7B-Instruct-v0.1";
  static final String GPT4_COLUMN = "gpt-4-1106-preview";

  private RouteLlm() {}

  /** The task of both RouteLLM tables: custom costs, Mixtral as the model, GPT-4 as the expert. */
  public static TaskSpec task() {
    return new TaskSpec(
        TaskKind.COSTS,
        List.of(),
        "mixtral",
        List.of(Agent.expert("gpt4", GPT4_FEE)),
        null,
        "prompt");
  }

  /** One question: its id, subject, prompt and both models' correctness. */
  record Question(String id, String subject, String prompt, boolean mixtral, boolean gpt4) {}

  /** Name of the prompt-length feature. */
  public static final String LENGTH_FEATURE = "prompt_length";

  /**
   * The prompt-length feature: log₂(1 + characters) − 8 (characters as Unicode code points; 8 =
   * log₂ 256 centres it near a typical prompt without any statistic of the data). Hashed TF-IDF
   * rows are L2-normalised and lose the length, which on its own ranks questions for GPT-4 better
   * than chance (longer questions are harder for Mixtral).
   */
  public static double promptLength(String prompt) {
    return Math.log1p(prompt.codePointCount(0, prompt.length())) / Math.log(2) - 8;
  }

  /** Prefix of the one-hot subject features. */
  public static final String SUBJECT_PREFIX = "subject_";

  /**
   * The decontaminated MMLU questions (14,037): every question of the 57 subject files, subjects in
   * alphabetical order, less those whose prompt is listed in {@code
   * mmlu_contaminated_prompts.jsonl}.
   */
  public static DeferralTable mmlu(Path routellmDir) throws IOException, SQLException {
    Set<String> contaminated =
        contaminatedPrompts(routellmDir.resolve("mmlu_contaminated_prompts.jsonl"));
    return subjectFeatures(
        table("routellm-mmlu", decontaminate(mmluQuestions(routellmDir), contaminated), true));
  }

  /** Every MMLU question (14,042), contaminated ones included, with the subject features. */
  public static DeferralTable mmluAll(Path routellmDir) throws IOException, SQLException {
    return subjectFeatures(table("routellm-mmlu-all", mmluQuestions(routellmDir), true));
  }

  private static List<Question> mmluQuestions(Path routellmDir) throws IOException, SQLException {
    List<Path> files;
    try (Stream<Path> s = Files.list(routellmDir.resolve("mmlu_responses"))) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException(routellmDir + "/mmlu_responses holds no CSV file");
    }
    List<Question> questions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (Path f : files) {
        String subject = f.getFileName().toString().replaceFirst("^mmlu_", "").replace(".csv", "");
        readQuestions(c, f, subject, questions);
      }
    }
    return questions;
  }

  /**
   * The decontaminated GSM8K problems (1,307): those of {@code gsm8k_responses.csv} whose prompt is
   * not listed in {@code gsm8k_contaminated_prompts.jsonl}.
   */
  public static DeferralTable gsm8k(Path routellmDir) throws IOException, SQLException {
    List<Question> questions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      readQuestions(c, routellmDir.resolve("gsm8k_responses.csv"), "gsm8k", questions);
    }
    Set<String> contaminated =
        contaminatedPrompts(routellmDir.resolve("gsm8k_contaminated_prompts.jsonl"));
    return table("routellm-gsm8k", decontaminate(questions, contaminated), false);
  }

  /**
   * The {@code eval_prompt} of every line of a RouteLLM contamination file (JSON lines).
   *
   * @throws IOException when the file is missing, a line is not JSON or lacks {@code eval_prompt}
   */
  public static Set<String> contaminatedPrompts(Path jsonl) throws IOException {
    if (!Files.isRegularFile(jsonl)) {
      throw new IOException("missing RouteLLM contamination file " + jsonl);
    }
    ObjectMapper mapper = new ObjectMapper();
    Set<String> out = new LinkedHashSet<>();
    int line = 0;
    for (String s : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = mapper.readTree(s);
      } catch (JsonProcessingException e) {
        throw new IOException(jsonl + ": line " + line + " is not JSON: " + e.getOriginalMessage());
      }
      JsonNode prompt = node.get("eval_prompt");
      if (prompt == null || !prompt.isTextual()) {
        throw new IOException(jsonl + ": line " + line + " has no text field eval_prompt");
      }
      out.add(prompt.asText());
    }
    return out;
  }

  private static List<Question> decontaminate(List<Question> qs, Set<String> contaminated) {
    List<Question> out = new ArrayList<>(qs.size());
    for (Question q : qs) {
      if (!contaminated.contains(q.prompt())) {
        out.add(q);
      }
    }
    return out;
  }

  /**
   * The table with one-hot subject features {@code subject_<group>} appended after its own
   * features, one column per distinct group in alphabetical order.
   */
  static DeferralTable subjectFeatures(DeferralTable t) {
    int n = t.rows();
    TreeSet<String> subjects = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      subjects.add(t.group(i));
    }
    List<String> list = new ArrayList<>(subjects);
    List<String> names = new ArrayList<>(t.featureNames());
    int d0 = names.size();
    for (String s : list) {
      names.add(SUBJECT_PREFIX + s);
    }
    int d = names.size();
    double[] old = t.featureBlock();
    double[] block = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(old, i * d0, block, i * d, d0);
      block[i * d + d0 + Collections.binarySearch(list, t.group(i))] = 1.0;
    }
    DeferralTable.Builder b =
        DeferralTable.builder(t.source(), n).features(names, block).text("prompt", prompt(t));
    String[] ids = new String[n];
    String[] groups = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = t.id(i);
      groups[i] = t.group(i);
    }
    b.ids(ids).groups(groups);
    t.agents().forEach(b::agent);
    return b.build();
  }

  private static String[] prompt(DeferralTable t) {
    return t.text().get("prompt");
  }

  /**
   * Seeded train / validation / test row indices (shares 60 / 20 / 20; a uniform random
   * permutation, each part in ascending row order).
   */
  public static int[][] split(int rows, SplittableRandom rng) {
    return HateSpeech.split(rows, 0.6, 0.2, rng);
  }

  private static void readQuestions(Connection c, Path file, String subject, List<Question> out)
      throws SQLException, IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("missing RouteLLM file " + file);
    }
    String sql =
        "SELECT prompt, \""
            + MIXTRAL_COLUMN
            + "\", \""
            + GPT4_COLUMN
            + "\" FROM read_csv(?, header = true, all_varchar = true, quote = '\"', escape = '\"')";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, file.toString());
      try (ResultSet rs = ps.executeQuery()) {
        int row = 0;
        while (rs.next()) {
          row++;
          out.add(
              new Question(
                  subject + "-" + row,
                  subject,
                  rs.getString(1),
                  parseBool(rs.getString(2), file, row, MIXTRAL_COLUMN),
                  parseBool(rs.getString(3), file, row, GPT4_COLUMN)));
        }
      }
    }
  }

  private static boolean parseBool(String s, Path file, int row, String column) {
    if ("True".equals(s)) {
      return true;
    }
    if ("False".equals(s)) {
      return false;
    }
    throw new IllegalArgumentException(
        file + ": row " + row + ", column " + column + ": expected True or False, got '" + s + "'");
  }

  private static DeferralTable table(String name, List<Question> qs, boolean groups) {
    int n = qs.size();
    String[] ids = new String[n];
    String[] group = new String[n];
    String[] prompts = new String[n];
    double[] mixtral = new double[n];
    double[] gpt4 = new double[n];
    double[] length = new double[n];
    for (int i = 0; i < n; i++) {
      Question q = qs.get(i);
      length[i] = promptLength(q.prompt());
      ids[i] = q.id();
      group[i] = q.subject();
      prompts[i] = q.prompt();
      mixtral[i] = q.mixtral() ? 0.0 : 1.0;
      gpt4[i] = q.gpt4() ? 0.0 : 1.0;
    }
    DeferralTable.Builder b =
        DeferralTable.builder(name, n)
            .features(List.of(LENGTH_FEATURE), length)
            .ids(ids)
            .text("prompt", prompts)
            .agent("mixtral", new AgentColumns(n, null, null, null, 0, mixtral))
            .agent("gpt4", new AgentColumns(n, null, null, null, 0, gpt4));
    if (groups) {
      b.groups(group);
    }
    return b.build();
  }
}
