package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
  static ZonedDateTime at(int day, int h, int m) {
    // 2026-01-05 is a Monday.
    return ZonedDateTime.of(2026, 1, 4 + day, h, m, 0, 0, ZoneOffset.UTC);
  }

  @Test
  void weekdaysInOfficeHours() {
    TimeWindow w = TimeWindow.parse("Mon-Fri 09:00-17:00");
    assertThat(w.contains(at(1, 9, 0))).isTrue();
    assertThat(w.contains(at(1, 16, 59))).isTrue();
    assertThat(w.contains(at(1, 17, 0))).isFalse();
    assertThat(w.contains(at(6, 10, 0))).isFalse();
    assertThat(w.contains(at(5, 10, 0))).isTrue();
  }

  @Test
  void overnightAndWrappingDayRangesAndEveryDay() {
    TimeWindow night = TimeWindow.parse("Fri-Sun 22:00-06:00");
    assertThat(night.contains(at(5, 23, 0))).isTrue(); // Friday night
    assertThat(night.contains(at(6, 5, 0))).isTrue(); // Saturday early, from Friday
    assertThat(night.contains(at(1, 5, 0))).isTrue(); // Monday early, from Sunday
    assertThat(night.contains(at(2, 5, 0))).isFalse(); // Tuesday early
    assertThat(TimeWindow.parse("00:00-24:00").contains(at(3, 23, 59))).isTrue();
    assertThat(TimeWindow.parse("Mon,Wed 10:00-11:00").contains(at(3, 10, 30))).isTrue();
    assertThat(TimeWindow.parse("Mon,Wed 10:00-11:00").contains(at(2, 10, 30))).isFalse();
  }

  @Test
  void malformedWindowsSayWhy() {
    assertThatThrownBy(() -> TimeWindow.parse("Mon 9-17")).hasMessageContaining("HH:MM");
    assertThatThrownBy(() -> TimeWindow.parse("Mo 09:00-17:00")).hasMessageContaining("not a day");
    assertThatThrownBy(() -> TimeWindow.parse("09:00-09:00")).hasMessageContaining("empty");
    assertThatThrownBy(() -> TimeWindow.parse("24:30-25:00")).hasMessageContaining("time of day");
    assertThatThrownBy(() -> TimeWindow.parse(" ")).hasMessageContaining("empty");
  }
}
