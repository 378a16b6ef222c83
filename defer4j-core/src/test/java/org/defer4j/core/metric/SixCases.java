package org.defer4j.core.metric;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;

/**
 * The hand-made table of the evaluator tests: 6 cases, classes {0, 1}, a frozen model m and three
 * experts a, b, c with fees 0.1, 0.2, 0.3 (α = 1), so cost = [wrong] + fee.
 *
 * <pre>
 *   row  y   correct: m a b c    costs: m    a    b    c     cheapest expert  m − cheapest
 *   0    0            1 1 0 1           0    0.1  1.2  0.3   a (0.1)          −0.1
 *   1    1            1 0 1 1           0    1.1  0.2  0.3   b (0.2)          −0.2
 *   2    0            0 1 1 0           1    0.1  0.2  1.3   a (0.1)           0.9
 *   3    1            0 0 1 0           1    1.1  0.2  1.3   b (0.2)           0.8
 *   4    0            1 0 1 1           0    1.1  0.2  0.3   b (0.2)          −0.2
 *   5    1            0 0 0 1           1    1.1  1.2  0.3   c (0.3)           0.7
 * </pre>
 *
 * The oracle keeps rows 0, 1, 4 (model cost 0) and sends 2 → a, 3 → b, 5 → c: mean cost (0.1 + 0.2
 * + 0.3)/6 = 0.1, accuracy 1, coverage 1/2, one case to each expert.
 *
 * <p>The learned policy's agent scores (model 0 on every row) and its argmax decisions:
 *
 * <pre>
 *   row  scores (m, a, b, c)     best expert  margin  argmax   cost
 *   0    (0,  0.5, −1,   −1)     a            0.5     a        0.1
 *   1    (0, −1,    0.3, −1)     b            0.3     b        0.2
 *   2    (0,  0.9, −1,   −1)     a            0.9     a        0.1
 *   3    (0, −1,    0.2,  0.1)   b            0.2     b        0.2
 *   4    (0, −1,   −0.4, −1)     b           −0.4     m        0
 *   5    (0, −1,   −1,    0.6)   c            0.6     c        0.3
 * </pre>
 *
 * Its mean cost is 0.9/6 = 0.15, all fees (error part 0), accuracy 1, coverage 1/6.
 */
final class SixCases {
  static final int[] Y = {0, 1, 0, 1, 0, 1};
  static final int[][] CORRECT = {
    {1, 1, 0, 1}, {1, 0, 1, 1}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 1, 1}, {0, 0, 0, 1}
  };
  static final double[] SCORES = {
    0, 0.5, -1, -1, 0, -1, 0.3, -1, 0, 0.9, -1, -1, 0, -1, 0.2, 0.1, 0, -1, -0.4, -1, 0, -1, -1, 0.6
  };
  static final int[] LEARNED = {1, 2, 1, 2, 0, 3};

  private SixCases() {}

  static TaskSpec task(double feeA, double feeB, double feeC) {
    return TaskSpec.classification(
        List.of("0", "1"),
        "m",
        List.of(Agent.expert("a", feeA), Agent.expert("b", feeB), Agent.expert("c", feeC)));
  }

  static TaskSpec task() {
    return task(0.1, 0.2, 0.3);
  }

  static DeferralTable table() {
    return table(null);
  }

  /** The table with a group column ({@code null}: none). */
  static DeferralTable table(String[] groups) {
    DeferralTable.Builder b = DeferralTable.builder("six.csv", 6).labels(Y.clone());
    if (groups != null) {
      b.groups(groups);
    }
    String[] names = {"m", "a", "b", "c"};
    for (int j = 0; j < 4; j++) {
      int[] said = new int[6];
      for (int i = 0; i < 6; i++) {
        said[i] = CORRECT[i][j] == 1 ? Y[i] : 1 - Y[i];
      }
      b.agent(names[j], new AgentColumns(6, said, null, null, 0, null));
    }
    return b.build();
  }

  static CostMatrix costs(TaskSpec task) {
    return new CostModel(task).costs(table());
  }

  static Decisions learnedDecisions(TaskSpec task) {
    return Decisions.builder(task.agents(), LEARNED)
        .scores(SCORES)
        .availability(Availability.all(task.agents(), 6))
        .build();
  }

  static Decisions all(TaskSpec task, int agent) {
    int[] d = new int[6];
    java.util.Arrays.fill(d, agent);
    return Decisions.builder(task.agents(), d).build();
  }
}
