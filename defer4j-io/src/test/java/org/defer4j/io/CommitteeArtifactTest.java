package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.CardinalityTrainer;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committee rules travel with the policy file, and committee decisions are written readably. */
class CommitteeArtifactTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(6, 3, 3, 0.8, 0.4, 0.9, 0.05, new SplittableRandom(4));

  private static LearnedPolicy trained() {
    SplittableRandom rng = new SplittableRandom(8);
    DeferralTable train = PROBLEM.sample(1_500, rng.split());
    return new DeferralTrainer(
            Surrogates.topK(),
            DeferralTrainer.linear(0),
            TrainOptions.defaults().withEpochs(3),
            false)
        .fit(PROBLEM.task(), train, null, TrainingListener.NONE);
  }

  @Test
  void fixedAndAdaptiveCommitteesRoundTrip(@TempDir Path dir) throws IOException {
    LearnedPolicy base = trained();
    DeferralTable train = PROBLEM.sample(1_000, new SplittableRandom(2));
    LearnedPolicy adaptive =
        new CardinalityTrainer(
                3,
                0.5,
                CommitteeRule.Penalty.SIZE,
                Aggregator.WEIGHTED_VOTE,
                new TrainOptions(Algorithm.ADAM, 0.05, 5, 128, 0, 3L),
                DeferralTrainer.linear(0))
            .fit(base, PROBLEM.task(), train, null, TrainingListener.NONE);
    DeferralTable test = PROBLEM.sample(300, new SplittableRandom(99));
    for (LearnedPolicy p :
        List.of(base.withCommittee(CommitteeRule.topK(2, Aggregator.VOTE)), adaptive)) {
      Path file = dir.resolve("p.json");
      PolicyArtifact.save(p, file);
      LearnedPolicy loaded = PolicyArtifact.load(file);
      assertThat(loaded.committee().spec()).isEqualTo(p.committee().spec());
      assertThat(loaded.decide(test)).isEqualTo(p.decide(test));
    }
    assertThat(PolicyArtifact.load(savedPlain(base, dir)).committee()).isNull();
  }

  private static Path savedPlain(LearnedPolicy p, Path dir) throws IOException {
    Path f = dir.resolve("plain.json");
    PolicyArtifact.save(p, f);
    assertThat(Files.readString(f)).doesNotContain("committee");
    return f;
  }

  @Test
  void committeeColumnsListTheMembersBestFirst(@TempDir Path dir) throws IOException {
    LearnedPolicy p = trained().withCommittee(CommitteeRule.topK(3, Aggregator.VOTE));
    DeferralTable cases = PROBLEM.sample(50, new SplittableRandom(5));
    Decisions d = p.decide(cases);
    Path out = dir.resolve("d.csv");
    DecisionsWriter.write(d, p.task(), out);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).endsWith(",k,committee");
    String[] names = p.task().agents().names();
    for (int i = 0; i < d.rows(); i++) {
      String line = lines.get(i + 1);
      String expected = String.join("|", d.committees().describe(i, names, p.task().classes()));
      assertThat(line).endsWith("," + d.committees().size(i) + "," + expected);
    }
  }
}
