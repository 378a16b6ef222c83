package org.defer4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.defer4j.core.loss.Surrogates;
import org.junit.jupiter.api.Test;

/** {@code defer4j methods} prints every catalogue name with its card, and the removed names. */
class MethodsCommandTest {
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Defer4jCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void printsPaperFormulaSettingPropertyAndProvenanceForEveryName() {
    String text = run("methods");
    for (Surrogates.Entry e : Surrogates.catalogue()) {
      assertThat(text)
          .contains(e.name() + "  [")
          .contains("paper:    " + e.paper())
          .contains("formula:  " + e.formula())
          .contains("setting:  " + e.setting())
          .contains("property: " + e.property())
          .contains("origin:   " + e.origin());
    }
    assertThat(text)
        .contains("lsf  [one-stage, reconstruction]")
        .contains("ce-rejector  [one-stage, defer4j, experimental]")
        .contains("plugin  [two-stage, defer4j extension]")
        .contains("psi:LINK  [one-stage, published]")
        .contains("sard[:BASE]  [both, reconstruction]")
        .contains("Removed: dce");
  }

  @Test
  void briefListsOneLinePerName() {
    String text = run("methods", "--brief");
    long lines = text.lines().filter(l -> !l.isBlank()).count();
    // every entry, the two training procedures (triage, sard), and the removed-names line
    assertThat(lines).isEqualTo(Surrogates.catalogue().size() + 6);
    assertThat(text).contains("reconstruction").contains("in the spirit of Narasimhan");
  }
}
