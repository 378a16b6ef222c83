package org.defer4j.io.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;

class TextFeaturesTest {

  private static DeferralTable table() {
    return DeferralTable.builder("cases.csv", 3)
        .features(List.of("age", "score"), new double[] {1, 2, 3, 4, 5, 6})
        .labels(new int[] {0, 1, 2})
        .targets(new double[] {0.5, 1.5, 2.5})
        .ids(new String[] {"a", "b", "c"})
        .groups(new String[] {"g1", "g2", "g1"})
        .weights(new double[] {1, 2, 3})
        .agent(
            "alice",
            new AgentColumns(3, new int[] {0, AgentColumns.UNOBSERVED, 2}, null, null, 0, null))
        .text("tweet", new String[] {"I hate mondays", "", "love this so much"})
        .text("note", new String[] {"x", "y", "z"})
        .build();
  }

  @Test
  void appendsTextFeaturesAfterTheOriginalOnesAndKeepsEverythingElse() {
    DeferralTable t = table();
    FittedTextFeaturizer f =
        TextFeatures.fit(t, "tweet", new TextFeaturizer(TextOptions.defaults().withDimension(8)));
    DeferralTable out = TextFeatures.append(t, f, "tweet");

    assertThat(out.rows()).isEqualTo(3);
    assertThat(out.featureNames())
        .containsExactly(
            "age",
            "score",
            "text_0000",
            "text_0001",
            "text_0002",
            "text_0003",
            "text_0004",
            "text_0005",
            "text_0006",
            "text_0007");
    String[] tweets = t.text().get("tweet");
    for (int i = 0; i < 3; i++) {
      double[] row = out.featureRow(i);
      assertThat(Arrays.copyOfRange(row, 0, 2)).containsExactly(t.featureRow(i));
      assertThat(Arrays.equals(Arrays.copyOfRange(row, 2, 10), f.transform(tweets[i])))
          .as("row %d", i)
          .isTrue();
      assertThat(out.id(i)).isEqualTo(t.id(i));
      assertThat(out.group(i)).isEqualTo(t.group(i));
      assertThat(out.weight(i)).isEqualTo(t.weight(i));
    }
    assertThat(out.labels()).containsExactly(0, 1, 2);
    assertThat(out.targets()).containsExactly(0.5, 1.5, 2.5);
    assertThat(out.agents()).containsOnlyKeys("alice");
    assertThat(out.agent("alice").predictedClass(1)).isEqualTo(AgentColumns.UNOBSERVED);
    assertThat(out.text()).containsOnlyKeys("tweet", "note");
    assertThat(out.text().get("tweet")).containsExactly(tweets);
    assertThat(out.source()).isEqualTo("cases.csv");
    // The empty tweet gives a zero row, not NaN.
    assertThat(Arrays.copyOfRange(out.featureRow(1), 2, 10)).containsOnly(0.0);
    // The input table is untouched.
    assertThat(t.featureCount()).isEqualTo(2);
  }

  @Test
  void appliesAFeaturizerFittedElsewhere() {
    DeferralTable t = table();
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(new String[] {"mondays", "love"});
    DeferralTable out = TextFeatures.append(t, f, "note", "note");
    assertThat(out.featureNames()).hasSize(2 + 1024).contains("note_0000", "note_1023");
  }

  @Test
  void minimalTableWithOnlyText() {
    DeferralTable t = DeferralTable.builder(null, 2).text("q", new String[] {"a b", "c"}).build();
    FittedTextFeaturizer f = TextFeatures.fit(t, "q", TextFeaturizer.withDefaults());
    DeferralTable out = TextFeatures.append(t, f, "q");
    assertThat(out.featureCount()).isEqualTo(1024);
    assertThat(out.hasLabels()).isFalse();
    assertThat(out.hasIds()).isFalse();
    assertThat(out.hasWeights()).isFalse();
  }

  @Test
  void namesTheMissingColumnAndThePresentOnes() {
    DeferralTable t = table();
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(new String[] {"a"});
    assertThatThrownBy(() -> TextFeatures.append(t, f, "body"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cases.csv: no text column 'body'; text columns present: [tweet, note]");
  }

  @Test
  void refusesToShadowAnExistingFeature() {
    DeferralTable t =
        DeferralTable.builder("t.csv", 1)
            .features(List.of("text_0000"), new double[] {1})
            .text("tweet", new String[] {"hi"})
            .build();
    FittedTextFeaturizer f = TextFeaturizer.withDefaults().fit(new String[] {"a"});
    assertThatThrownBy(() -> TextFeatures.append(t, f, "tweet"))
        .hasMessageContaining("x.text_0000 already exists");
    assertThat(TextFeatures.append(t, f, "tweet", "tweet").featureCount()).isEqualTo(1025);
  }

  @Test
  void refusesToFitOnAnEmptyTable() {
    DeferralTable t = DeferralTable.builder("e.csv", 0).text("q", new String[0]).build();
    assertThatThrownBy(() -> TextFeatures.fit(t, "q", TextFeaturizer.withDefaults()))
        .hasMessageContaining("e.csv: cannot fit text features on an empty table");
  }
}
