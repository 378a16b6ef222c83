package org.defer4j.core.loss;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The realizable two-stage family (survey eq. 12) with the MAE and log links. */
class TwoStagePsiSurrogateTest {

  abstract static class Contract implements SurrogateContract {
    abstract Psi psi();

    @Override
    public Surrogate subject() {
      return Surrogates.twoStagePsi(psi());
    }

    @Override
    public double maxCost() {
      return 1.5;
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }

    /**
     * Under the paper's condition (0-1 costs, at most two agents right per case, so every weight
     * Σ_{i≠j} c_i − A + 2 ≥ 0), the minimiser routes to argmin_j E[c_j] (Mao et al. 2025).
     */
    @Test
    void minimiserRoutesToTheCheapestAgentInExpectation() {
      TwoStageConsistency.check(
          subject(), 4, TwoStageConsistency.zeroOneAtMostTwoRight(), 301, 15, 0.05, null, null);
    }
  }

  @Nested
  class Mae extends Contract {
    @Override
    Psi psi() {
      return Psi.MAE;
    }
  }

  @Nested
  class Log extends Contract {
    @Override
    Psi psi() {
      return Psi.LOG;
    }
  }
}
