package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.task.RegressionLoss;
import org.junit.jupiter.api.Test;

class SurrogatesTest {
  /** The names external scripts use; they must keep working exactly as spelled. */
  private static final List<String> SCRIPT_NAMES =
      List.of(
          "ce",
          "ova",
          "asym-softmax",
          "realizable",
          "psi:mae",
          "psi:log",
          "lsf",
          "pr",
          "moe",
          "2s-sb",
          "2s-pr",
          "2s-comp:1",
          "2s-comp:0",
          "2s-comp:0.5",
          "2s-comp:2",
          "2s-psi:mae",
          "2s-psi:log",
          "plugin");

  private static final List<String> OTHER_NAMES =
      List.of(
          "ce:0.5",
          "ce-rejector",
          "cost-sensitive",
          "cost-sensitive:mae",
          "cost-sensitive:q:0.5",
          "realizable:0.3",
          "psi:inv",
          "psi:q:0.7",
          "pr:exp",
          "decoupled",
          "decoupled:2",
          "regression",
          "regression:absolute",
          "regression:smooth_l1:clip:5",
          "regression:squared:clip:2.5",
          "2s-psi:inv",
          "2s-psi:q:0.5");

  @Test
  void everyNameRoundTrips() {
    for (String name : SCRIPT_NAMES) {
      assertThat(Surrogates.byName(name).name()).isEqualTo(name);
    }
    for (String name : OTHER_NAMES) {
      assertThat(Surrogates.byName(name).name()).isEqualTo(name);
    }
  }

  @Test
  void equivalentSpellingsGiveTheCanonicalName() {
    assertThat(Surrogates.byName("ce:1").name()).isEqualTo("ce");
    assertThat(Surrogates.byName("psi:q:0").name()).isEqualTo("psi:log");
    assertThat(Surrogates.byName("psi:q:1").name()).isEqualTo("psi:mae");
    assertThat(Surrogates.byName("2s-comp:1.0").name()).isEqualTo("2s-comp:1");
    assertThat(Surrogates.byName("regression:squared").name()).isEqualTo("regression");
    assertThat(Surrogates.byName(" ova ").name()).isEqualTo("ova");
  }

  @Test
  void unknownNamesListTheValidOnes() {
    assertThatThrownBy(() -> Surrogates.byName("triage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown surrogate 'triage'")
        .hasMessageContaining("ce, ce:ALPHA")
        .hasMessageContaining("2s-comp:NU");
    assertThatThrownBy(() -> Surrogates.byName("plugin:1")).hasMessageContaining("no parameter");
    assertThatThrownBy(() -> Surrogates.byName(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> Surrogates.byName("ce:2")).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Surrogates.byName("ce:x")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> Surrogates.byName("2s-comp")).hasMessageContaining("2s-comp:NU");
    assertThatThrownBy(() -> Surrogates.byName("2s-comp:-1")).hasMessageContaining("nu");
    assertThatThrownBy(() -> Surrogates.byName("ova:1")).hasMessageContaining("no parameter");
    assertThatThrownBy(() -> Surrogates.byName("psi:huber")).hasMessageContaining("huber");
    assertThatThrownBy(() -> Surrogates.byName("pr:hinge")).hasMessageContaining("hinge");
    assertThatThrownBy(() -> Surrogates.byName("regression:cubic")).hasMessageContaining("cubic");
    assertThatThrownBy(() -> Surrogates.byName("decoupled:0")).hasMessageContaining("lambda");
  }

  @Test
  void catalogueDescribesEveryFamily() {
    List<Surrogates.Entry> entries = Surrogates.catalogue();
    assertThat(entries).extracting(Surrogates.Entry::name).doesNotHaveDuplicates();
    assertThat(entries).allSatisfy(e -> assertThat(e.description()).isNotBlank());
    assertThat(entries)
        .extracting(Surrogates.Entry::name)
        .contains(
            "ce",
            "ova",
            "asym-softmax",
            "realizable",
            "psi:LINK",
            "lsf",
            "ce-rejector",
            "pr",
            "moe",
            "decoupled",
            "regression",
            "2s-sb",
            "2s-pr",
            "2s-comp:NU",
            "2s-psi:LINK",
            "plugin");
    for (String name : SCRIPT_NAMES) {
      Surrogate s = Surrogates.byName(name);
      assertThat(entries).anySatisfy(e -> assertThat(e.layout()).isEqualTo(s.layout()));
    }
  }

  /**
   * dce left the catalogue (its reconstruction was not Bayes-consistent as a joint loss): the name
   * is refused with a message naming the replacement, and it is no longer listed.
   */
  @Test
  void removedNamesNameTheirReplacement() {
    assertThatThrownBy(() -> Surrogates.byName("dce"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dce' was removed")
        .hasMessageContaining("not Bayes-consistent")
        .hasMessageContaining("ce-rejector");
    assertThat(Surrogates.catalogue()).extracting(Surrogates.Entry::name).doesNotContain("dce");
  }

  /**
   * Every entry states its paper, formula, setting, property and provenance; the names the audit
   * flagged carry their label.
   */
  @Test
  void everyEntryStatesWhereItComesFromAndWhatItGuarantees() {
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      assertThat(List.of(e.paper(), e.formula(), e.setting(), e.property(), e.origin()))
          .as(e.name())
          .allSatisfy(text -> assertThat(text).isNotBlank());
      assertThat(e.setting()).as(e.name()).containsAnyOf("one-stage", "two-stage");
      assertThat(e.provenance()).as(e.name()).isNotNull();
    }
    assertThat(entry("lsf").provenance()).isEqualTo(Surrogates.Provenance.RECONSTRUCTION);
    assertThat(entry("lsf").description()).contains("RECONSTRUCTION");
    assertThat(entry("lsf").property()).contains("spurious stationary points");
    assertThat(entry("ce-rejector").provenance()).isEqualTo(Surrogates.Provenance.EXPERIMENTAL);
    assertThat(entry("plugin").provenance()).isEqualTo(Surrogates.Provenance.EXTENSION);
    assertThat(entry("plugin").description()).contains("in the spirit of").contains("not their");
    assertThat(entry("ce:ALPHA").origin()).contains("J > 1").contains("defer4j extension");
    assertThat(entry("realizable").origin()).contains("J > 1").contains("defer4j extension");
    assertThat(entry("realizable").property())
        .contains("NOT Bayes-consistent")
        .contains("deterministic");
    assertThat(entry("psi:LINK").property())
        .contains("only psi:mae")
        .contains("sum_j (1 - c_j) > 1")
        .contains("(0.4, 0.4)");
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      assertThat(e.description() + e.property())
          .as(e.name())
          .doesNotContain("bounded links (MAE, q");
    }
  }

  /** Costs above 1 are refused by the 1 − c formulas with an alternative of the same stage. */
  @Test
  void unitCostFormulasPointToAnAlternativeOfTheirStage() {
    Target high = Target.ofCosts(0, new double[] {0.2, 1.5});
    assertThatThrownBy(() -> Surrogates.twoStageScoreBased().value(new double[2], high))
        .hasMessageContaining("needs costs in [0, 1]")
        .hasMessageContaining("2s-comp:NU");
    Target oneStage = Target.ofCosts(0, new double[] {Double.NaN, 1.5});
    assertThatThrownBy(() -> Surrogates.psi(Psi.MAE).value(new double[3], oneStage))
        .hasMessageContaining("ce-rejector, lsf, moe or topk");
  }

  private static Surrogates.Entry entry(String name) {
    return Surrogates.catalogue().stream().filter(e -> e.name().equals(name)).findFirst().get();
  }

  @Test
  void layoutsGiveScoreCounts() {
    assertThat(Surrogates.crossEntropy().scoreCount(10, 3)).isEqualTo(13);
    assertThat(Surrogates.predictorRejector().scoreCount(10, 1)).isEqualTo(11);
    assertThat(Surrogates.complementaryCost(1).scoreCount(10, 3)).isEqualTo(4);
    assertThat(Surrogates.twoStagePredictorRejector().scoreCount(10, 3)).isEqualTo(3);
    assertThat(Surrogates.regression(RegressionLoss.ABSOLUTE).scoreCount(0, 3)).isEqualTo(5);
  }

  @Test
  void correctnessEstimatorsAreTyped() {
    for (String name : List.of("ce", "ova", "asym-softmax", "decoupled")) {
      assertThat(Surrogates.byName(name)).isInstanceOf(ExpertCorrectnessSurrogate.class);
    }
    assertThat(Surrogates.byName("realizable")).isNotInstanceOf(ExpertCorrectnessSurrogate.class);
  }
}
