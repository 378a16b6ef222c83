package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.constraint.ShareCalibration;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.TargetCompliance;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * Share calibration on the two-expert confidence problem of {@link LearnedPolicyTest}: the shares
 * realised on the validation rows meet the target, and with {@code fill} sit within one case of it
 * (the margins are continuous, so no two cases tie).
 */
class ShareCalibrationTest {
  private static final DeferralTable TRAIN =
      LearnedPolicyTest.confidenceTable(800, new SplittableRandom(3));
  private static final DeferralTable VAL =
      LearnedPolicyTest.confidenceTable(1000, new SplittableRandom(4));
  private static final DeferralTable TEST =
      LearnedPolicyTest.confidenceTable(4000, new SplittableRandom(5));
  private static final LearnedPolicy POLICY =
      new DeferralTrainer(
              Surrogates.twoStageScoreBased(),
              DeferralTrainer.linear(0),
              new TrainOptions(Algorithm.LBFGS, 1, 100, 1, 0, 3),
              false)
          .fit(LearnedPolicyTest.TWO_STAGE, TRAIN, null, TrainingListener.NONE);

  private static double[] shares(LearnedPolicy p, DeferralTable t) {
    Decisions d = p.decide(t, Availability.observed(p.task(), t));
    double[] s = new double[p.agents().size()];
    for (int i = 0; i < d.rows(); i++) {
      s[d.agent(i)] += 1.0 / d.rows();
    }
    return s;
  }

  @Test
  void fillMeetsEachKindOfTargetWithinOneCase() {
    double one = 1.0 / VAL.rows();
    ShareTarget model = ShareTarget.minModelShare(0.7);
    ShareCalibration.Result r =
        ShareCalibration.calibrate(POLICY, VAL, model, ShareCalibration.Pick.FILL);
    double[] s = shares(POLICY.withRule(r.rule()), VAL);
    assertThat(s[0]).isGreaterThanOrEqualTo(0.7).isCloseTo(0.7, within(one + 1e-12));
    assertThat(r.shares()[0]).isCloseTo(s[0], within(1e-12));

    ShareTarget e1 = ShareTarget.maxShare("e1", 0.15);
    r = ShareCalibration.calibrate(POLICY, VAL, e1, ShareCalibration.Pick.FILL);
    s = shares(POLICY.withRule(r.rule()), VAL);
    assertThat(s[1]).isLessThanOrEqualTo(0.15 + 1e-12);

    ShareTarget fee = ShareTarget.maxFee(0.03);
    r = ShareCalibration.calibrate(POLICY, VAL, fee, ShareCalibration.Pick.FILL);
    s = shares(POLICY.withRule(r.rule()), VAL);
    assertThat(0.3 * s[2]).isLessThanOrEqualTo(0.03 + 1e-12);
    assertThat(r.meanFee()).isCloseTo(0.3 * s[2], within(1e-12));
  }

  @Test
  void costPickNeverCostsMoreThanFillAndLeavesANonBindingTargetAlone() {
    ShareTarget loose = ShareTarget.minModelShare(0.0);
    ShareCalibration.Result cost =
        ShareCalibration.calibrate(POLICY, VAL, loose, ShareCalibration.Pick.COST);
    ShareCalibration.Result fill =
        ShareCalibration.calibrate(POLICY, VAL, loose, ShareCalibration.Pick.FILL);
    assertThat(cost.meanCost()).isLessThanOrEqualTo(fill.meanCost() + 1e-12);
    assertThat(fill.shares()[0]).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void ruleRoundTripsThroughItsSpecAndTestSharesStayNearTheTarget() {
    ShareTarget t = new ShareTarget(0.6, Map.of("e2", 0.2), 0.05);
    ShareCalibration.Result r =
        ShareCalibration.calibrate(POLICY, VAL, t, ShareCalibration.Pick.FILL);
    DecisionRule parsed = DecisionRules.parse(r.rule().spec());
    assertThat(parsed).isEqualTo(r.rule());
    assertThat(DecisionRules.target(parsed).spec()).isEqualTo(t.spec());
    LearnedPolicy p = POLICY.withRule(parsed);
    Decisions d = p.decide(TEST, Availability.observed(p.task(), TEST));
    for (TargetCompliance.Bound b : TargetCompliance.of(d, p.agents(), TEST, t, 200, 0.95, 1L)) {
      // Validation has 1000 rows: a share's sampling sd is at most sqrt(0.25 / 1000) ≈ 0.016;
      // 0.05 is three of them.
      assertThat(b.excess().estimate()).as(b.quantity()).isLessThan(0.05);
      assertThat(b.realised().lower()).isLessThanOrEqualTo(b.realised().upper());
    }
  }

  @Test
  void aStreamPassesFullExpertsOverAndNeverExceedsTheirCapacity() {
    int[] cap = {org.defer4j.core.constraint.StreamingCapacity.UNLIMITED, 3, 2};
    org.defer4j.core.constraint.StreamingCapacity.Stream stream =
        org.defer4j.core.constraint.StreamingCapacity.hardCap(cap, 50).open();
    int[] load = new int[3];
    int over = 0;
    for (int i = 0; i < 50; i++) {
      Decision d =
          org.defer4j.core.constraint.CapacityRouting.decide(
              POLICY, LearnedPolicyTest.caseOf(POLICY, TEST, i, "c" + i), null, stream);
      load[POLICY.agents().indexOf(d.agent())]++;
      Decision free = POLICY.decide(LearnedPolicyTest.caseOf(POLICY, TEST, i, "c" + i));
      if (!free.agent().equals(d.agent())) {
        assertThat(d.reason(free.agent())).isEqualTo(Decision.Reason.OVER_CAPACITY);
        over++;
      }
    }
    assertThat(load[1]).isLessThanOrEqualTo(3);
    assertThat(load[2]).isLessThanOrEqualTo(2);
    assertThat(over).as("the policy defers more than 5 of 50 cases").isPositive();
  }

  @Test
  void onTheModelsConfidenceItDefersExactlyTheLeastConfidentCases() {
    // 2s-sb's model score s_0 is the frozen model's confidence (an input), so the calibrated rule
    // is Chow's threshold at the target share: every deferred case is less confident than every
    // kept one, and with fill the share sits within one case of the target.
    ShareTarget e1 = ShareTarget.maxShare("e1", 0.15);
    ShareCalibration.Result r =
        ShareCalibration.calibrate(POLICY, VAL, e1, ShareCalibration.Pick.FILL, true);
    assertThat(r.rule().confidence()).isTrue();
    LearnedPolicy calibrated = POLICY.withRule(r.rule());
    Decisions d = calibrated.decide(VAL, Availability.observed(POLICY.task(), VAL));
    double maxDeferred = Double.NEGATIVE_INFINITY;
    double minKept = Double.POSITIVE_INFINITY;
    int deferred = 0;
    for (int i = 0; i < d.rows(); i++) {
      if (d.agent(i) == 0) {
        minKept = Math.min(minKept, d.score(i, 0));
      } else {
        maxDeferred = Math.max(maxDeferred, d.score(i, 0));
        deferred++;
      }
    }
    assertThat(maxDeferred).isLessThan(minKept);
    double share = deferred / (double) VAL.rows();
    assertThat(share).isLessThanOrEqualTo(0.15).isCloseTo(0.15, within(1.0 / VAL.rows() + 1e-12));
    assertThat(r.shares()[1] + r.shares()[2]).isCloseTo(share, within(1e-12));
    // The spelling parses back to the same rule, hence the same decisions.
    DecisionRule parsed = DecisionRules.parse(r.rule().spec());
    assertThat(parsed).isEqualTo(r.rule());
    assertThat(r.rule().spec()).startsWith("calibrated-confidence:");
  }

  @Test
  void onTheModelsConfidenceItRefusesHeadsWhoseModelScoreIsNoConfidence() {
    LearnedPolicy comp =
        new DeferralTrainer(
                Surrogates.complementaryCost(1),
                DeferralTrainer.linear(0),
                new TrainOptions(Algorithm.LBFGS, 1, 50, 1, 0, 3),
                false)
            .fit(LearnedPolicyTest.TWO_STAGE, TRAIN, null, TrainingListener.NONE);
    assertThatThrownBy(
            () ->
                ShareCalibration.calibrate(
                    comp, VAL, ShareTarget.maxShare("e1", 0.15), ShareCalibration.Pick.FILL, true))
        .hasMessageContaining("its model score is not a confidence");
  }

  @Test
  void aBatchRoutedInArrivalOrderNeverExceedsACapacityAndMarksWhoWasPassedOver() {
    Decisions free = POLICY.decide(TEST, Availability.observed(POLICY.task(), TEST));
    int[] cap = {org.defer4j.core.constraint.StreamingCapacity.UNLIMITED, 30, 20};
    int period = 200;
    org.defer4j.core.constraint.CapacityRouting.InOrder r =
        org.defer4j.core.constraint.CapacityRouting.inOrder(
            free,
            POLICY.rule(),
            org.defer4j.core.constraint.StreamingCapacity.hardCap(cap, period));
    Decisions d = r.decisions();
    int[] load = new int[3];
    int changed = 0;
    int passed = 0;
    for (int i = 0; i < d.rows(); i++) {
      if (i % period == 0) {
        java.util.Arrays.fill(load, 0);
      }
      int c = d.agent(i);
      load[c]++;
      assertThat(load[1]).isLessThanOrEqualTo(30);
      assertThat(load[2]).isLessThanOrEqualTo(20);
      if (c != free.agent(i)) {
        changed++;
        assertThat(d.fellBack(i)).isTrue();
        // The hard cap moves a case only because its preferred expert was full: that expert is
        // now unavailable on the case, the served agent is.
        assertThat(d.availability().available(i, free.agent(i))).isFalse();
        passed++;
      } else {
        assertThat(d.fellBack(i)).isEqualTo(free.fellBack(i));
      }
      assertThat(d.availability().available(i, c)).isTrue();
      assertThat(d.score(i, 1)).isEqualTo(free.score(i, 1));
    }
    assertThat(changed).as("the capacities bind on this table").isPositive();
    assertThat(r.overCapacity()).isEqualTo(passed);
    assertThat(r.maxLoad()[1]).isEqualTo(30);
    // Unlimited capacities change nothing.
    int[] none = {
      org.defer4j.core.constraint.StreamingCapacity.UNLIMITED,
      org.defer4j.core.constraint.StreamingCapacity.UNLIMITED,
      org.defer4j.core.constraint.StreamingCapacity.UNLIMITED
    };
    Decisions same =
        org.defer4j.core.constraint.CapacityRouting.inOrder(
                free,
                POLICY.rule(),
                org.defer4j.core.constraint.StreamingCapacity.hardCap(none, period))
            .decisions();
    assertThat(same.agents()).isEqualTo(free.agents());
    assertThat(same.fallbacks()).isEqualTo(free.fallbacks());
  }

  @Test
  void failsWhenTheTargetNamesNoExpertOrCannotBeMet() {
    assertThatThrownBy(
            () ->
                ShareCalibration.calibrate(
                    POLICY, VAL, ShareTarget.maxShare("net", 0.1), ShareCalibration.Pick.COST))
        .hasMessageContaining("that is the model");
    assertThatThrownBy(() -> ShareTarget.parse("max-share:e1=1.5")).hasMessageContaining("[0, 1]");
    assertThat(ShareTarget.parse("min-model-share=0.7,max-share:e1=0.2,max-fee=0.1"))
        .isEqualTo(new ShareTarget(0.7, Map.of("e1", 0.2), 0.1));
  }
}
