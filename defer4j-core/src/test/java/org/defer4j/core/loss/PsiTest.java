package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand values of Ψ_q(u) = (1 − u^q)/q and its slope −u^q in log u. */
class PsiTest {
  @Test
  void namedLinks() {
    assertThat(Psi.LOG.apply(0.25)).isCloseTo(Math.log(4), within(1e-15));
    assertThat(Psi.MAE.apply(0.25)).isCloseTo(0.75, within(1e-15));
    assertThat(Psi.INVERSE.apply(0.25)).isCloseTo(3.0, within(1e-14));
    assertThat(new Psi(0.5).apply(0.25)).isCloseTo(1.0, within(1e-15));
    for (Psi p : new Psi[] {Psi.LOG, Psi.MAE, Psi.INVERSE, new Psi(0.7)}) {
      assertThat(p.apply(1.0)).isZero();
    }
  }

  @Test
  void slopesInLogSpace() {
    double lu = Math.log(0.3);
    assertThat(Psi.LOG.slopeOfLog(lu)).isEqualTo(-1.0);
    assertThat(Psi.MAE.slopeOfLog(lu)).isCloseTo(-0.3, within(1e-15));
    assertThat(Psi.INVERSE.slopeOfLog(lu)).isCloseTo(-1 / 0.3, within(1e-14));
  }

  @Test
  void smallExponentsApproachTheLogLink() {
    assertThat(new Psi(1e-9).ofLog(-3.0)).isCloseTo(3.0, within(1e-8));
  }

  @Test
  void namesAndParsing() {
    assertThat(Psi.parse("log")).isEqualTo(Psi.LOG);
    assertThat(Psi.parse("q:1")).isEqualTo(Psi.MAE);
    assertThat(Psi.parse("q:0.25").specName()).isEqualTo("q:0.25");
    assertThat(Psi.ofNu(0)).isEqualTo(Psi.INVERSE);
    assertThat(Psi.ofNu(2).specName()).isEqualTo("mae");
    assertThat(new Psi(-0.0).specName()).isEqualTo("log");
    assertThat(Psi.MAE.bounded()).isTrue();
    assertThat(Psi.LOG.bounded()).isFalse();
    assertThatThrownBy(() -> Psi.parse("huber")).hasMessageContaining("log, mae, inv");
    assertThatThrownBy(() -> new Psi(-2)).hasMessageContaining("-2");
    assertThatThrownBy(() -> Psi.ofNu(-0.5)).hasMessageContaining("nu");
  }
}
