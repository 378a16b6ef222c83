package org.defer4j.cli;

import static org.defer4j.core.math.Sampling.mean;
import static org.defer4j.core.math.Sampling.sd;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.cli.report.Charts;
import org.defer4j.cli.report.HtmlReport;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.online.FeedbackMode;
import org.defer4j.core.online.OnlineMethods;
import org.defer4j.core.online.OnlineReplay;
import org.defer4j.core.online.OnlineRouter;
import org.defer4j.core.online.OnlineSettings;
import org.defer4j.core.online.OnlineState;
import org.defer4j.core.online.OnlineStream;
import org.defer4j.core.online.ReplayResult;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.DeferralTableReader;
import org.defer4j.io.TaskSpecIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Replays a time-ordered stream through an online router. */
@Command(
    name = "online",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a time-ordered stream through an online deferral router: each round the router"
          + " sees the context and the available agents, chooses one, then learns from the chosen"
          + " agent's outcome only (--feedback bandit) or every available agent's (full).",
      "The stream is a labelled deferral table (x.* context, the task's truth, the agents'"
          + " m.<agent>.* or cost.<agent>, optional avail.<agent> and an optional time column"
          + " giving the order; otherwise file order). Rounds 1..T-1 are played and averaged, as"
          + " the L2D-SLDS paper does.",
      "Methods: l2d-slds, linucb, shared-linucb, lints, online-l2d, random; options by --set"
          + " key=value (defaults = the paper's code's; see docs/formats.md)."
    })
final class OnlineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "The stream (CSV or Parquet).")
  Path data;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--method",
      required = true,
      description = "l2d-slds, linucb, shared-linucb, lints, online-l2d or random.")
  String method;

  @Option(
      names = "--feedback",
      defaultValue = "bandit",
      description = "bandit (the chosen agent's outcome only) or full. Default: ${DEFAULT-VALUE}.")
  String feedback;

  @Option(
      names = "--seeds",
      defaultValue = "1",
      description = "Replays with seeds --seed, --seed+1, ... Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Option(names = "--seed", defaultValue = "0", description = "First seed. Default: 0.")
  long seed;

  @Option(
      names = "--start",
      defaultValue = "1",
      description = "First round played (0-based). Default: ${DEFAULT-VALUE} (the paper's 1..T-1).")
  int start;

  @Option(
      names = "--set",
      description = "A method option key=value (repeatable), e.g. --set alpha=3.")
  List<String> settings = new ArrayList<>();

  @Option(names = "--trace", description = "Write the first seed's rounds as CSV.")
  Path trace;

  @Option(names = "--json", description = "Write the results as JSON.")
  Path json;

  @Option(names = "--report", description = "Write an HTML report (regret, who was chosen when).")
  Path report;

  @Option(
      names = "--state",
      description =
          "Write the first seed's learned router state after the last round as JSON (method,"
              + " rounds, shared arrays, per-agent arrays): what a service would snapshot.")
  Path state;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be ≥ 1, got " + seeds);
    }
    if (!OnlineMethods.NAMES.contains(method)) {
      throw new IllegalArgumentException(
          "unknown method '"
              + method
              + "'; expected one of "
              + String.join(", ", OnlineMethods.NAMES));
    }
    FeedbackMode mode = FeedbackMode.parse(feedback);
    Map<String, String> given = parseSettings(settings);
    TaskSpec spec0 = TaskSpecIo.read(taskOption.task());
    DeferralTable table = DeferralTableReader.readStream(data, spec0);
    OnlineStream stream = OnlineStream.fromTable(table, spec0);
    if (start >= stream.rounds()) {
      throw new IllegalArgumentException(
          "--start " + start + " is past the stream's " + stream.rounds() + " rounds");
    }
    List<ReplayResult> results = new ArrayList<>();
    Map<String, String> effective = null;
    OnlineState firstState = null;
    for (int s = 0; s < seeds; s++) {
      OnlineSettings set = OnlineSettings.of(given);
      OnlineRouter router = OnlineMethods.create(method, set, stream, mode, seed + s);
      effective = set.effective();
      results.add(replay(stream, router, mode, seed + s));
      if (s == 0) {
        firstState = router.state();
      }
    }
    print(out, stream, results, mode);
    if (trace != null) {
      writeTrace(trace, stream, results.get(0));
      out.println("wrote " + trace);
    }
    if (json != null) {
      Json.write(json, summary(stream, results, mode, effective));
      out.println("wrote " + json);
    }
    if (report != null) {
      writeReport(report, stream, results, mode);
      out.println("wrote " + report);
    }
    if (state != null) {
      Json.write(state, firstState);
      out.println("wrote " + state);
    }
    out.flush();
    return 0;
  }

  static Map<String, String> parseSettings(List<String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set " + s + ": expected key=value");
      }
      out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return out;
  }

  private ReplayResult replay(OnlineStream stream, OnlineRouter router, FeedbackMode mode, long s) {
    if (!Terminal.showsProgress(quiet)) {
      return OnlineReplay.run(stream, router, mode, start, s);
    }
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(method + " seed " + s)
            .setInitialMax(stream.rounds() - start)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
            .build()) {
      return OnlineReplay.run(stream, router, mode, start, s, (t, d, c) -> bar.step());
    }
  }

  private static double[] meanCosts(List<ReplayResult> results) {
    return results.stream().mapToDouble(ReplayResult::meanCost).toArray();
  }

  private void print(
      PrintWriter out, OnlineStream stream, List<ReplayResult> results, FeedbackMode mode) {
    ReplayResult first = results.get(0);
    double[] costs = meanCosts(results);
    out.printf(
        Locale.ROOT,
        "online %s, feedback %s: %d rounds (%d..%d) of %s, %d agents, %d seed%s%n",
        method,
        mode.cliName(),
        first.rounds().length,
        start,
        stream.rounds() - 1,
        data.getFileName(),
        stream.agents().size(),
        results.size(),
        results.size() == 1 ? "" : "s");
    out.printf(
        Locale.ROOT,
        "mean_cost %.4f%s   oracle_mean_cost %.4f%n",
        mean(costs),
        results.size() > 1 ? String.format(Locale.ROOT, " ± %.4f (sd over seeds)", sd(costs)) : "",
        first.oracleMeanCost());
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < stream.agents().size(); k++) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %.4f (%d rounds)",
              stream.agents().get(k),
              first.agentAlone()[k],
              first.agentRounds()[k]));
    }
    out.println("each agent alone (rounds available): " + String.join(", ", parts));
    parts.clear();
    for (String a : stream.agents()) {
      parts.add(
          String.format(Locale.ROOT, "%s %.1f%%", a, 100.0 * first.share(a, 0, Integer.MAX_VALUE)));
    }
    out.println("chosen (seed " + first.seed() + "): " + String.join(", ", parts));
    double rps = mean(results.stream().mapToDouble(ReplayResult::roundsPerSecond).toArray());
    out.printf(Locale.ROOT, "speed: %.0f rounds/s (decide + update, mean over seeds)%n", rps);
  }

  private static void writeTrace(Path file, OnlineStream stream, ReplayResult r)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    double[] regret = r.cumulativeRegret();
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("round,id,chosen,cost,oracle_cost,cumulative_regret\n");
      for (int i = 0; i < r.rounds().length; i++) {
        int t = r.rounds()[i];
        w.write(
            t
                + ","
                + csvCell(stream.ids()[t])
                + ","
                + csvCell(stream.agents().get(r.chosen()[i]))
                + ","
                + r.cost()[i]
                + ","
                + r.oracle()[i]
                + ","
                + regret[i]
                + "\n");
      }
    }
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private Map<String, Object> summary(
      OnlineStream stream,
      List<ReplayResult> results,
      FeedbackMode mode,
      Map<String, String> effective) {
    ReplayResult first = results.get(0);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", 1);
    m.put("command", "online");
    m.put("data", data.toString());
    m.put("task", taskOption.task().toString());
    m.put("method", method);
    m.put("feedback", mode.cliName());
    m.put("settings", effective);
    m.put("start", start);
    m.put("rounds", first.rounds().length);
    double[] costs = meanCosts(results);
    m.put("mean_cost", Format.num(mean(costs)));
    m.put("mean_cost_sd", Format.num(sd(costs)));
    m.put("oracle_mean_cost", Format.num(first.oracleMeanCost()));
    List<Map<String, Object>> agents = new ArrayList<>();
    for (int k = 0; k < stream.agents().size(); k++) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("name", stream.agents().get(k));
      a.put("alone_mean_cost", Format.num(first.agentAlone()[k]));
      a.put("rounds_available", first.agentRounds()[k]);
      agents.add(a);
    }
    m.put("agents", agents);
    m.put("best_fixed", first.bestFixed());
    List<Map<String, Object>> per = new ArrayList<>();
    for (ReplayResult r : results) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("seed", r.seed());
      p.put("mean_cost", Format.num(r.meanCost()));
      p.put("regret_to_oracle", Format.num(r.cumulativeRegret()[r.rounds().length - 1]));
      p.put("seconds", Format.num(r.seconds()));
      p.put("rounds_per_second", Format.num(r.roundsPerSecond()));
      Map<String, Object> share = new LinkedHashMap<>();
      for (String a : stream.agents()) {
        share.put(a, Format.num(r.share(a, 0, Integer.MAX_VALUE)));
      }
      p.put("chosen_share", share);
      per.add(p);
    }
    m.put("seeds", per);
    return m;
  }

  private void writeReport(
      Path file, OnlineStream stream, List<ReplayResult> results, FeedbackMode mode)
      throws IOException {
    ReplayResult first = results.get(0);
    HtmlReport html = new HtmlReport("Online deferral: " + method + " on " + data.getFileName());
    html.paragraph(
        String.format(
            Locale.ROOT,
            "%s with %s feedback over %d rounds (%d..%d), %d seed(s). Mean cost %.4f; the"
                + " per-round oracle (cheapest available agent) %.4f; the best agent alone %s %.4f.",
            method,
            mode.cliName(),
            first.rounds().length,
            start,
            stream.rounds() - 1,
            results.size(),
            mean(meanCosts(results)),
            first.oracleMeanCost(),
            first.bestFixed(),
            first.agentAlone()[stream.agents().indexOf(first.bestFixed())]));
    List<List<String>> rows = new ArrayList<>();
    for (ReplayResult r : results) {
      rows.add(List.of(Long.toString(r.seed()), Format.fmt(r.meanCost())));
    }
    html.table(List.of("seed", "mean cost"), rows);
    List<List<String>> agentRows = new ArrayList<>();
    for (int k = 0; k < stream.agents().size(); k++) {
      agentRows.add(
          List.of(
              stream.agents().get(k),
              Format.fmt(first.agentAlone()[k]),
              Integer.toString(first.agentRounds()[k]),
              Format.pct(first.share(stream.agents().get(k), 0, Integer.MAX_VALUE))));
    }
    html.table(
        List.of("agent", "alone (rounds available)", "rounds available", "chosen (seed 0)"),
        agentRows);
    int n = first.rounds().length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = first.rounds()[i];
    }
    List<Charts.Series> regret = new ArrayList<>();
    for (ReplayResult r : results) {
      regret.add(
          new Charts.Series("seed " + r.seed() + " vs oracle", x, r.cumulativeRegret(), false));
    }
    regret.add(
        new Charts.Series(
            "seed " + first.seed() + " vs " + first.bestFixed() + " alone",
            x,
            first.cumulativeRegretToBestFixed(stream.costs()),
            false));
    html.figure(
        Charts.lines("Cumulative regret", "round", "Σ (cost − comparator)", regret),
        "cumulative regret",
        "Regret against the per-round oracle grows with every round the router misses the cheapest"
            + " agent; against the best single agent it can fall (the router beats it).");
    List<Charts.Series> chosen = new ArrayList<>();
    for (int k = 0; k < stream.agents().size(); k++) {
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (first.chosen()[i] == k) {
          xs.add(x[i]);
        }
      }
      if (xs.isEmpty()) {
        // Never chosen: no marks (the agents table above says 0 %), and no empty series.
        continue;
      }
      double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
      double[] ya = new double[xa.length];
      java.util.Arrays.fill(ya, k);
      chosen.add(new Charts.Series(stream.agents().get(k), xa, ya, true));
    }
    html.figure(
        Charts.lines("Who was chosen when (seed " + first.seed() + ")", "round", "agent", chosen),
        "chosen agent per round",
        "One row of marks per agent (0 = "
            + stream.agents().get(0)
            + "); gaps are rounds it was"
            + " not chosen or not available.");
    List<Charts.Series> avail = new ArrayList<>();
    for (int k = 0; k < stream.agents().size(); k++) {
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!stream.available()[first.rounds()[i]][k]) {
          xs.add(x[i]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
      double[] ya = new double[xa.length];
      java.util.Arrays.fill(ya, k);
      avail.add(new Charts.Series(stream.agents().get(k) + " unavailable", xa, ya, true));
    }
    if (!avail.isEmpty()) {
      html.figure(
          Charts.lines("When agents were unavailable", "round", "agent", avail),
          "unavailable rounds",
          "Marks are rounds on which the agent could not be asked.");
    }
    html.write(file);
  }
}
