package org.defer4j.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's states and methods outside JMH, so that they cannot rot unnoticed. */
class DecisionBenchmarkTest {
  @ParameterizedTest
  @ValueSource(strings = {"linear", "mlp64"})
  void oneCaseByNameDecidesLikeTheSameRowOfATable(String kind) {
    DecisionBenchmark.PolicyState p = new DecisionBenchmark.PolicyState();
    p.kind = kind;
    p.inputs = 32;
    p.setUp();
    DecisionBenchmark.CaseState c = new DecisionBenchmark.CaseState();
    c.setUp(p);
    DecisionBenchmark.TableState t = new DecisionBenchmark.TableState();
    t.setUp(p);
    DecisionBenchmark b = new DecisionBenchmark();

    Decisions batch = b.decideBatch(p, t);
    assertThat(batch.rows()).isEqualTo(DecisionBenchmark.ROWS);
    // The single cases are the rows of another seeded table: decide them both ways.
    Decisions same = p.policy.decide(p.table(DecisionBenchmark.CASES, new SplittableRandom(23)));
    for (int i = 0; i < DecisionBenchmark.CASES; i++) {
      Decision one = b.decideOne(p, c);
      assertThat(one.agent()).isEqualTo(same.get(i).agent());
      // One row goes through Scorer.forward, a table through Scorer.scoreRows, whose MLP hidden
      // layer sums in another order: equal up to rounding (1e-12, the artifact round-trip bar).
      assertThat(one.scores()).containsExactly(same.get(i).scores(), within(1e-12));
    }
    // The case index wraps around.
    assertThat(c.next).isZero();
  }

  @Test
  void inputsAreStandardised() {
    DecisionBenchmark.PolicyState p = new DecisionBenchmark.PolicyState();
    p.kind = "linear";
    p.inputs = 1024;
    p.setUp();
    assertThat(p.policy.features().standardization()).isNotNull();
    assertThat(p.policy.features().dimension()).isEqualTo(1024);
    assertThat(p.policy.agents().size()).isEqualTo(4);
  }
}
