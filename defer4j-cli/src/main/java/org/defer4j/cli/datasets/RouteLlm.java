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
 * column {@code prompt}; for MMLU the subject is the {@code group}.
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

  /** Every MMLU question of the 57 subject files, subjects in alphabetical order. */
  public static DeferralTable mmlu(Path routellmDir) throws IOException, SQLException {
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
    return table("routellm-mmlu", questions, true);
  }

  /** Every GSM8K problem. */
  public static DeferralTable gsm8k(Path routellmDir) throws IOException, SQLException {
    List<Question> questions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      readQuestions(c, routellmDir.resolve("gsm8k_responses.csv"), "gsm8k", questions);
    }
    return table("routellm-gsm8k", questions, false);
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
    for (int i = 0; i < n; i++) {
      Question q = qs.get(i);
      ids[i] = q.id();
      group[i] = q.subject();
      prompts[i] = q.prompt();
      mixtral[i] = q.mixtral() ? 0.0 : 1.0;
      gpt4[i] = q.gpt4() ? 0.0 : 1.0;
    }
    DeferralTable.Builder b =
        DeferralTable.builder(name, n)
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
