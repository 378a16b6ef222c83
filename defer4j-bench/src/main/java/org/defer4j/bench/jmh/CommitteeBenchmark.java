package org.defer4j.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
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
 * Top-k committees for a batch of {@value #ROWS} cases: a one-stage linear policy (head {@link
 * ScoreHead#CLASS_MAX}, the head of {@code topk}) over K = 3 classes and J experts, so A = 3 + J
 * entities, on d = 32 already-standardised inputs ({@link LearnedPolicy#decideInputs}: scoring,
 * agent scores, the argmax choice and, with a committee rule, the selection of the k best available
 * entities). A random 80 % of the experts are available on each row. {@code k = 0} is the
 * single-agent decision without committees, so the difference to it is what the selection costs.
 * Score: cases per second.
 */
@State(Scope.Benchmark)
public class CommitteeBenchmark {
  /** Cases per invocation. */
  static final int ROWS = 1 << 20;

  static final int INPUTS = 32;

  /** J, the number of experts. */
  @Param({"3", "10"})
  public int experts;

  /** The committee size; 0 = no committee (one agent per case). */
  @Param({"0", "1", "3"})
  public int k;

  LearnedPolicy policy;
  double[] inputs;
  Availability availability;

  /** Builds the policy, the inputs and the availability. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(5);
    List<Agent> ex = new ArrayList<>();
    for (int j = 1; j <= experts; j++) {
      ex.add(Agent.expert("e" + j, 0.05));
    }
    TaskSpec task = TaskSpec.classification(List.of("a", "b", "c"), null, ex);
    List<String> names = new ArrayList<>();
    for (int f = 0; f < INPUTS; f++) {
      names.add("f" + f);
    }
    LearnedPolicy p =
        new LearnedPolicy(
            task,
            FeaturePipeline.of(names, List.of()),
            Scorers.create(ScorerSpec.linear(INPUTS, 3 + experts), rng.split()),
            ScoreHead.CLASS_MAX,
            DecisionRules.argmax(),
            Provenance.of("bench"));
    policy = k == 0 ? p : p.withCommittee(CommitteeRule.topK(k, Aggregator.VOTE));
    inputs = new double[ROWS * INPUTS];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = rng.nextGaussian();
    }
    int a = experts + 1;
    boolean[] mask = new boolean[ROWS * a];
    for (int i = 0; i < ROWS; i++) {
      mask[i * a] = true;
      for (int j = 1; j < a; j++) {
        mask[i * a + j] = rng.nextDouble() < 0.8;
      }
    }
    availability = Availability.of(task.agents(), mask);
  }

  /** Decides the batch. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(ROWS)
  public Decisions decideBatch() {
    return policy.decideInputs(inputs, null, availability, null, "bench");
  }
}
