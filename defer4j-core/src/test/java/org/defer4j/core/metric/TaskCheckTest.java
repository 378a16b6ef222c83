package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/** Which task differences refuse an evaluation and which only add a note. */
class TaskCheckTest {
  private static final TaskSpec BASE =
      TaskSpec.classification(
          List.of("x", "y"), "m", List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)));

  @Test
  void sameTaskNeedsNoNote() {
    assertThat(TaskCheck.check("p", BASE, BASE)).isEmpty();
  }

  @Test
  void otherAgentsClassesOrKindAreRefusedNamingBothTasks() {
    TaskSpec swapped =
        TaskSpec.classification(
            List.of("x", "y"), "m", List.of(Agent.expert("b", 0.2), Agent.expert("a", 0.1)));
    assertThatThrownBy(() -> TaskCheck.check("p.json", BASE, swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy 'p.json' was trained for a classification task with agents [m, a, b] and"
                + " classes [x, y], but the evaluation task is a classification task with agents"
                + " [m, b, a] and classes [x, y]: the agents differ; a policy can only be evaluated"
                + " on the task kind, classes and agents (names and order) it was trained for");
    TaskSpec otherModel =
        TaskSpec.classification(
            List.of("x", "y"), "m2", List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)));
    assertThatThrownBy(() -> TaskCheck.check("p", BASE, otherModel))
        .hasMessageContaining("[m2, a, b]")
        .hasMessageContaining("the agents differ");
    TaskSpec classes =
        TaskSpec.classification(
            List.of("y", "x"), "m", List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)));
    assertThatThrownBy(() -> TaskCheck.check("p", BASE, classes))
        .hasMessageContaining("classes [y, x]")
        .hasMessageContaining("the classes differ");
    TaskSpec multi =
        new TaskSpec(
            TaskKind.MULTITASK,
            List.of("x", "y"),
            "m",
            List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)),
            null,
            null);
    assertThatThrownBy(() -> TaskCheck.check("p", BASE, multi))
        .hasMessageContaining("a multitask task")
        .hasMessageContaining("the task kinds differ");
  }

  @Test
  void otherFeesAlphasAndCostWeightsAreAllowedWithOneNoteListingThem() {
    TaskSpec other =
        new TaskSpec(
            TaskKind.CLASSIFICATION,
            List.of("x", "y"),
            "m",
            List.of(Agent.expert("a", 0.1), new Agent("b", Agent.Role.EXPERT, 0.5, 2.0)),
            new CostWeights(3.0, 0.0, RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY),
            null);
    assertThat(TaskCheck.check("p", BASE, other))
        .containsExactly(
            "policy 'p' was trained under other fees or cost weights and is evaluated under the"
                + " given task's (trained → evaluated): fee of 'b' 0.2 → 0.5; alpha of 'b' 1.0 →"
                + " 2.0; cost.classification 1.0 → 3.0");
  }
}
