package org.defer4j.bench.jmh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decisions through the public Java API, {@link LearnedPolicy}, as a service or a batch job calls
 * it: the whole decision contract (feature pipeline with standardisation, scorer, score head,
 * argmax over the available agents, the {@link Decision} / {@link Decisions} it returns).
 *
 * <ul>
 *   <li>{@link #decideOne}: one case given by name ({@link LearnedPolicy#decide(Map,
 *       java.util.Collection)} with every agent available) from a prebuilt {@code Map} of its d
 *       named features; sampled per call ({@link Mode#SampleTime}) so that JMH reports the latency
 *       distribution (p50, p99, p99.9).
 *   <li>{@link #decideBatch}: a table of {@value #ROWS} cases ({@link
 *       LearnedPolicy#decide(DeferralTable, Availability)}, every agent available); {@link
 *       Mode#Throughput} with {@code @OperationsPerInvocation(ROWS)}, so the score is decisions per
 *       second (calls/s × rows).
 *   <li>{@link #featuresOne}: the feature pipeline alone for one case, to split {@link #decideOne}.
 * </ul>
 *
 * The policy: a two-stage rejector ({@link ScoreHead#AGENTS}, the head of {@code 2s-comp:ν}) over a
 * frozen model and 3 experts, linear or MLP (64 ReLU units), with seeded random weights; its inputs
 * are d named features standardised with statistics fitted on 4,096 seeded rows (feature k ~
 * uniform on [k, k + 2 + k mod 5)). Decision cost does not depend on the weights' values.
 */
public class DecisionBenchmark {
  /** Rows of the batch table. */
  static final int ROWS = 65_536;

  /** Distinct single cases cycled through, so one map is not the only thing in cache. */
  static final int CASES = 64;

  static final int EXPERTS = 3;

  /** The policy under test. */
  @State(Scope.Benchmark)
  public static class PolicyState {
    /** {@code linear}, or {@code mlp64}: one hidden layer of 64 ReLU units. */
    @Param({"linear", "mlp64"})
    public String kind;

    /** d, the number of named input features. */
    @Param({"32", "1024"})
    public int inputs;

    LearnedPolicy policy;
    List<String> names;

    /** Builds the policy and fits its standardisation. */
    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom rng = new SplittableRandom(11);
      List<Agent> experts = new ArrayList<>();
      for (int j = 1; j <= EXPERTS; j++) {
        experts.add(Agent.expert("e" + j, 0.1));
      }
      TaskSpec task = new TaskSpec(TaskKind.COSTS, List.of(), "m", experts, null, null);
      names = new ArrayList<>();
      for (int k = 0; k < inputs; k++) {
        names.add("f" + k);
      }
      int outputs = EXPERTS + 1;
      ScorerSpec spec =
          kind.equals("linear")
              ? ScorerSpec.linear(inputs, outputs)
              : ScorerSpec.mlp(inputs, outputs, Activation.RELU, 64);
      FeaturePipeline pipeline =
          FeaturePipeline.of(names, List.of()).standardizedOn(table(4096, rng.split()));
      policy =
          new LearnedPolicy(
              task,
              pipeline,
              Scorers.create(spec, rng.split()),
              ScoreHead.AGENTS,
              DecisionRules.argmax(),
              Provenance.of("bench"));
    }

    /** A table of seeded cases over the policy's features (no outcomes). */
    DeferralTable table(int rows, SplittableRandom rng) {
      double[] x = new double[rows * inputs];
      for (int i = 0; i < rows; i++) {
        for (int k = 0; k < inputs; k++) {
          x[i * inputs + k] = k + (2 + k % 5) * rng.nextDouble();
        }
      }
      return DeferralTable.builder("bench", rows).features(names, x).build();
    }
  }

  /** Single cases as a service receives them: feature name → value. */
  @State(Scope.Thread)
  public static class CaseState {
    List<Map<String, Object>> cases;
    double[] buffer;
    int next;

    /** Builds {@value #CASES} cases from seeded rows. */
    @Setup(Level.Trial)
    public void setUp(PolicyState p) {
      DeferralTable t = p.table(CASES, new SplittableRandom(23));
      cases = new ArrayList<>();
      for (int i = 0; i < CASES; i++) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 0; k < p.inputs; k++) {
          m.put(p.names.get(k), t.feature(i, k));
        }
        cases.add(m);
      }
      buffer = new double[p.inputs];
    }
  }

  /** The batch: {@value #ROWS} cases and their availability. */
  @State(Scope.Thread)
  public static class TableState {
    DeferralTable table;
    Availability availability;

    /** Builds the table. */
    @Setup(Level.Trial)
    public void setUp(PolicyState p) {
      table = p.table(ROWS, new SplittableRandom(29));
      availability = Availability.all(p.policy.agents(), ROWS);
    }
  }

  /** One case by name, every agent available; the score is the latency of one decision. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision decideOne(PolicyState p, CaseState c) {
    Map<String, Object> m = c.cases.get(c.next);
    c.next = (c.next + 1) % CASES;
    return p.policy.decide(m, null);
  }

  /**
   * The feature pipeline alone for one case (name lookups, standardisation) into a reused buffer:
   * the share of {@link #decideOne} that is not scoring or deciding.
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public double[] featuresOne(PolicyState p, CaseState c) {
    Map<String, Object> m = c.cases.get(c.next);
    c.next = (c.next + 1) % CASES;
    p.policy.features().transform(m, c.buffer);
    return c.buffer;
  }

  /** {@value #ROWS} cases in one call; the score is decisions per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(ROWS)
  public Decisions decideBatch(PolicyState p, TableState t) {
    return p.policy.decide(t.table, t.availability);
  }
}
