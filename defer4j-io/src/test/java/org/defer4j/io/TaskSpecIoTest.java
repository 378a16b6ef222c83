package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskSpecIoTest {
  /** The example of DESIGN.md §4, verbatim. */
  static final String DESIGN_EXAMPLE =
      """
      task: classification            # classification | regression | multitask | costs
      classes: [hate, offensive, neither]   # class names in index order, or an integer K
      model: densenet                 # optional: the frozen model's agent name (two-stage)
      experts:                        # every agent named in m.<agent>.* columns must be declared
        - name: alice
          fee: 0.1                    # consultation cost beta_j (default 0)
        - name: bob
      cost:
        classification: 1.0           # weight of the 0-1 error
        regression: 0.0               # weight of the regression loss
        regression_loss: smooth_l1    # squared | absolute | smooth_l1
        clip: 5.0                     # optional upper bound on the regression loss
      text: tweet                     # optional: a raw text column turned into x.* features
      """;

  @Test
  void readsTheDesignExample() {
    // Expected values are the ones written in the example; omitted fee and alpha take their
    // documented defaults 0 and 1.
    TaskSpec s = TaskSpecIo.parse(DESIGN_EXAMPLE, "task.yaml");
    assertThat(s.kind()).isEqualTo(TaskKind.CLASSIFICATION);
    assertThat(s.classes()).containsExactly("hate", "offensive", "neither");
    assertThat(s.model()).isEqualTo("densenet");
    assertThat(s.experts())
        .containsExactly(
            new Agent("alice", Agent.Role.EXPERT, 0.1, 1.0),
            new Agent("bob", Agent.Role.EXPERT, 0.0, 1.0));
    assertThat(s.cost()).isEqualTo(new CostWeights(1.0, 0.0, RegressionLoss.SMOOTH_L1, 5.0));
    assertThat(s.textColumn()).isEqualTo("tweet");
    assertThat(s.agents().names()).containsExactly("densenet", "alice", "bob");
  }

  @Test
  void integerClassCountNamesClassesByIndex() {
    TaskSpec s = TaskSpecIo.parse("task: multitask\nclasses: 4\n", "t.yaml");
    assertThat(s.classes()).containsExactly("0", "1", "2", "3");
    assertThat(s.cost()).isEqualTo(CostWeights.defaults(TaskKind.MULTITASK));
    assertThat(s.model()).isNull();
    assertThat(s.experts()).isEmpty();
  }

  @Test
  void expertsMayBeBareNamesAndCarryAnErrorWeight() {
    TaskSpec s =
        TaskSpecIo.parse(
            "task: costs\nexperts:\n  - gpt4\n  - name: mixtral\n    fee: 2\n    alpha: 0.5\n",
            "t.yaml");
    assertThat(s.experts())
        .containsExactly(
            new Agent("gpt4", Agent.Role.EXPERT, 0.0, 1.0),
            new Agent("mixtral", Agent.Role.EXPERT, 2.0, 0.5));
    assertThat(s.classes()).isEmpty();
  }

  @Test
  void yamlBooleanAndNumberLookingClassNamesAreKeptAsWritten() {
    // YAML 1.1 reads no/yes as booleans and 1e3 as 1000.0; class names must stay as written.
    TaskSpec s =
        TaskSpecIo.parse(
            "task: classification\nclasses: [no, yes, 3, '07', 1e3, 1.50]\n", "t.yaml");
    assertThat(s.classes()).containsExactly("no", "yes", "3", "07", "1e3", "1.50");
  }

  @Test
  void roundTripsEverySpecShape(@TempDir Path dir) {
    List<TaskSpec> specs =
        List.of(
            TaskSpecIo.parse(DESIGN_EXAMPLE, "task.yaml"),
            new TaskSpec(
                TaskKind.REGRESSION,
                List.of(),
                null,
                List.of(new Agent("e-1", Agent.Role.EXPERT, 0.30000000000000004, 2.5)),
                new CostWeights(0.0, 1.0, RegressionLoss.SQUARED, Double.POSITIVE_INFINITY),
                null),
            new TaskSpec(
                TaskKind.MULTITASK,
                List.of("0", "1", "2"),
                "net",
                List.of(Agent.expert("a", 1e-300), Agent.expert("b_2", 7)),
                new CostWeights(0.25, 0.75, RegressionLoss.ABSOLUTE, 1e9),
                "notes"),
            TaskSpec.classification(
                List.of(
                    "yes", "no", "true", "null", "1e3", "a: b", "#c", "'q'", "-", "é ü", "1", "0"),
                null,
                List.of()));
    for (TaskSpec s : specs) {
      String yaml = TaskSpecIo.toYaml(s);
      assertThat(TaskSpecIo.parse(yaml, "round-trip")).as(yaml).isEqualTo(s);
      Path f = dir.resolve("task.yaml");
      TaskSpecIo.write(s, f);
      assertThat(TaskSpecIo.read(f)).isEqualTo(s);
    }
  }

  @Test
  void writesTheDocumentedShape() {
    String yaml = TaskSpecIo.toYaml(TaskSpecIo.parse("task: classification\nclasses: 3\n", "t"));
    assertThat(yaml)
        .isEqualTo(
            """
            task: classification
            classes: 3
            cost:
              classification: 1.0
              regression: 0.0
              regression_loss: smooth_l1
            """);
  }

  @Test
  void errorNamesFileAndKeyPath() {
    String yaml =
        "task: classification\nclasses: [a, b]\nexperts:\n  - name: alice\n  - name: bob\n"
            + "    fee: -1\n";
    assertThatThrownBy(() -> TaskSpecIo.parse(yaml, "task.yaml"))
        .isInstanceOf(TaskSpecFormatException.class)
        .hasMessage("task.yaml: experts[1].fee: must be >= 0, got -1")
        .satisfies(
            e -> {
              TaskSpecFormatException t = (TaskSpecFormatException) e;
              assertThat(t.source()).isEqualTo("task.yaml");
              assertThat(t.key()).isEqualTo("experts[1].fee");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          task: classification\\nclasses: [a, b]\\nexpert: [x]           | expert          | unknown key; accepted keys are [task, classes, model, experts, cost, text]
          task: costs\\nexperts:\\n  - name: x\\n    fees: 1            | experts[0].fees | unknown key; accepted keys are [name, fee, alpha]
          task: costs\\ncost:\\n  clasification: 1                     | cost.clasification | unknown key; accepted keys are [classification, regression, regression_loss, clip]
          classes: [a, b]                                             | task            | missing; expected one of [classification, regression, multitask, costs]
          task: triage                                                | task            | 'triage' is not one of [classification, regression, multitask, costs]
          task: classification                                        | classes         | missing; a classification task needs its classes
          task: classification\\nclasses: 1                           | classes         | an integer K must lie in [2, 1000000], got 1
          task: classification\\nclasses: [a]                        | classes         | at least 2 classes are needed, got [a]
          task: classification\\nclasses: [a, b, a]                   | classes[2]      | class 'a' is listed twice
          task: classification\\nclasses: [a, '']                     | classes[1]      | a class name must be non-empty
          task: classification\\nclasses: {a: 1}                      | classes         | expected a list of class names or an integer K, got a mapping
          task: costs\\nexperts: [x, x]                               | experts[1]      | expert 'x' is declared twice
          task: costs\\nexperts: [model]                              | experts[0]      | 'model' is the name of the learned model
          task: costs\\nmodel: net\\nexperts: [net]                   | experts[0]      | 'net' is already the frozen model's name
          task: costs\\nexperts:\\n  - name: a.b                      | experts[0].name | agent name 'a.b' may only hold letters, digits
          task: costs\\nexperts:\\n  - fee: 1                         | experts[0].name | missing; every expert needs a name
          task: costs\\nexperts:\\n  - name: x\\n    fee: cheap       | experts[0].fee  | must be a number, got 'cheap'
          task: costs\\nexperts:\\n  - name: x\\n    alpha: .nan      | experts[0].alpha | must be finite, got .nan
          task: costs\\nexperts: {x: 1}                               | experts         | expected a list of experts, got a mapping
          task: costs\\nmodel: [a]                                    | model           | expected a string, got a list
          task: costs\\nmodel: 12                                     | model           | expected a string, got 12
          task: costs\\nexperts:\\n  - name: x\\n    fee: .inf       | experts[0].fee  | must be finite, got .inf
          task: regression\\ncost:\\n  regression_loss: huber         | cost.regression_loss | 'huber' is not one of [squared, absolute, smooth_l1]
          task: regression\\ncost:\\n  clip: 0                        | cost.clip       | must be > 0, got 0
          task: regression\\ncost:\\n  regression: -0.5               | cost.regression | must be >= 0, got -0.5
          task: regression\\ncost: 1                                  | cost            | expected a mapping
          task: regression\\ntext: ''                                 | text            | must be non-empty
          """)
  void rejectsBadSpecsNamingTheKey(String yaml, String key, String detail) {
    assertThatThrownBy(() -> TaskSpecIo.parse(yaml.replace("\\n", "\n"), "spec.yaml"))
        .isInstanceOf(TaskSpecFormatException.class)
        .hasMessageStartingWith("spec.yaml: " + key + ": " + detail)
        .extracting(e -> ((TaskSpecFormatException) e).key())
        .isEqualTo(key);
  }

  @Test
  void rejectsRepeatedKeysMalformedYamlAndEmptyDocuments() {
    assertThatThrownBy(
            () ->
                TaskSpecIo.parse(
                    "task: costs\nexperts:\n  - name: a\n    fee: 1\n    fee: 2\n", "s"))
        .isInstanceOf(TaskSpecFormatException.class)
        .hasMessageStartingWith("s: malformed YAML at line 5")
        .hasMessageContaining("fee");
    assertThatThrownBy(() -> TaskSpecIo.parse("task: [costs\n", "s"))
        .isInstanceOf(TaskSpecFormatException.class)
        .hasMessageStartingWith("s: malformed YAML");
    assertThatThrownBy(() -> TaskSpecIo.parse("  # nothing\n", "s"))
        .hasMessage(
            "s: empty task spec; expected the keys [task, classes, model, experts, cost, text]");
    assertThatThrownBy(() -> TaskSpecIo.parse("task: costs\n---\ntask: regression\n", "s"))
        .hasMessageStartingWith("s: more than one YAML document");
    assertThatThrownBy(() -> TaskSpecIo.parse("- task\n", "s"))
        .hasMessageStartingWith("s: a task spec must be a mapping");
  }

  @Test
  void readNamesTheFileAndReportsAMissingOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("task.yaml");
    Files.writeString(
        f, "task: classification\nclasses: [a, b]\nexperts:\n  - name: x\n    fee: -2\n");
    assertThatThrownBy(() -> TaskSpecIo.read(f))
        .hasMessage(f + ": experts[0].fee: must be >= 0, got -2");
    assertThatThrownBy(() -> TaskSpecIo.read(dir.resolve("absent.yaml")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent.yaml");
  }
}
