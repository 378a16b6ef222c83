package org.defer4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code time} column of an online stream: accepted only by readStream, sorted. */
class StreamTableTest {
  @TempDir Path dir;

  private final TaskSpec spec = TaskSpecIo.parse("task: regression\nexperts: [e]\n", "s");

  private Path write(String text) throws Exception {
    Path f = dir.resolve("s.csv");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void rowsAreSortedByIsoDateWithTiesInFileOrder() throws Exception {
    Path f =
        write(
            "time,t,x.a,m.e.t\n"
                + "2020-01-03,3,30,3.5\n"
                + "2020-01-01,1,10,1.5\n"
                + "2020-01-02,2,20,2.5\n"
                + "2020-01-01,4,40,4.5\n");
    DeferralTable t = DeferralTableReader.readStream(f, spec);
    assertThat(t.targets()).containsExactly(1, 4, 2, 3);
    assertThat(t.featureRow(3)).containsExactly(30.0);
    assertThat(t.agent("e").predictedValue(1)).isEqualTo(4.5);
  }

  @Test
  void numericTimesAreComparedAsNumbers() throws Exception {
    Path f = write("time,t,x.a,m.e.t\n10,10,0,0\n9,9,0,0\n100,100,0,0\n");
    assertThat(DeferralTableReader.readStream(f, spec).targets()).containsExactly(9, 10, 100);
  }

  @Test
  void withoutTimeColumnFileOrderIsKept() throws Exception {
    Path f = write("t,x.a,m.e.t\n3,0,0\n1,0,0\n");
    assertThat(DeferralTableReader.readStream(f, spec).targets()).containsExactly(3, 1);
  }

  @Test
  void otherReadersStillRejectTime() throws Exception {
    Path f = write("time,t,x.a,m.e.t\n1,1,0,0\n");
    assertThatThrownBy(() -> DeferralTableReader.read(f, spec))
        .isInstanceOf(TableFormatException.class)
        .hasMessageContaining("time")
        .hasMessageContaining("unknown column");
  }

  @Test
  void emptyTimeCellIsRejectedWithItsRow() throws Exception {
    Path f = write("time,t,x.a,m.e.t\n1,1,0,0\n,2,0,0\n");
    assertThatThrownBy(() -> DeferralTableReader.readStream(f, spec))
        .isInstanceOf(TableFormatException.class)
        .hasMessageContaining("row 2")
        .hasMessageContaining("empty time cell");
  }
}
