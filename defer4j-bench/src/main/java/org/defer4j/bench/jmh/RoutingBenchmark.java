package org.defer4j.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Batch routing with a two-stage rejector ({@code 2s-comp:1}): {@link LearnedPolicy#decide} over a
 * table of 1,024 rows (assemble the inputs, score every row, mask unavailable agents, route),
 * reported per decision, so that 1 / score is decisions per second. Agents: a frozen model and
 * {@code experts} experts, all available; seeded random weights and features (routing cost does not
 * depend on their values). The inputs are not standardised, as in the published run; {@link
 * DecisionBenchmark} measures standardised policies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {
  private static final int ROWS = 1024;

  /** {@code linear}, or {@code mlp64}: one hidden layer of 64 ReLU units. */
  @Param({"linear", "mlp64"})
  public String kind;

  /** d, the number of input features. */
  @Param({"1024"})
  public int inputs;

  /** J, the number of experts. */
  @Param({"1", "3"})
  public int experts;

  private LearnedPolicy model;
  private DeferralTable table;
  private Availability availability;

  /** Builds a rejector with random weights and a table of random rows. */
  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(7);
    List<Agent> agents = new ArrayList<>();
    for (int j = 1; j <= experts; j++) {
      agents.add(Agent.expert("e" + j, 0.1));
    }
    TaskSpec task = new TaskSpec(TaskKind.COSTS, List.of(), "m", agents, null, null);
    int outputs = experts + 1;
    ScorerSpec spec =
        kind.equals("linear")
            ? ScorerSpec.linear(inputs, outputs)
            : ScorerSpec.mlp(inputs, outputs, Activation.RELU, 64);
    List<String> names = new ArrayList<>();
    for (int k = 0; k < inputs; k++) {
      names.add("f" + k);
    }
    model =
        new LearnedPolicy(
            task,
            FeaturePipeline.of(names, List.of()),
            Scorers.create(spec, rng.split()),
            ScoreHead.of(Surrogates.byName("2s-comp:1")),
            DecisionRules.argmax(),
            Provenance.of("2s-comp:1"));
    double[] x = new double[ROWS * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble();
    }
    table = DeferralTable.builder("bench", ROWS).features(names, x).build();
    availability = Availability.all(task.agents(), ROWS);
  }

  /** Routes the 1,024 rows; the score is the time per decision. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public Decisions decide() {
    return model.decide(table, availability);
  }
}
