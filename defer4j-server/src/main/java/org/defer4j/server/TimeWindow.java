package org.defer4j.server;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A weekly time window in which an agent may be asked, written {@code "[DAYS ]HH:MM-HH:MM"}: DAYS
 * is a day ({@code Mon}), a range ({@code Mon-Fri}) or a comma-separated list of either ({@code
 * Mon,Wed,Fri-Sun}), every day when absent; the end may be {@code 24:00}, and an end before the
 * start wraps past midnight ({@code 22:00-06:00}: the night that starts on the named days). Times
 * are local to the registry entry's time zone.
 *
 * @param days the days the window starts on
 * @param start the start (inclusive)
 * @param end the end (exclusive); {@code null} means midnight at the end of the day
 * @param text the window as written
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, String text) {

  /** Parses a window; the message of the exception says what is wrong. */
  public static TimeWindow parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a time window must not be empty");
    }
    String s = text.trim();
    String daysPart = null;
    String timePart = s;
    int space = s.lastIndexOf(' ');
    if (space > 0) {
      daysPart = s.substring(0, space).trim();
      timePart = s.substring(space + 1).trim();
    }
    Set<DayOfWeek> days =
        daysPart == null ? EnumSet.allOf(DayOfWeek.class) : parseDays(daysPart, text);
    String[] t = timePart.split("-", -1);
    if (t.length != 2) {
      throw bad(text, "the times must read HH:MM-HH:MM");
    }
    LocalTime start = parseTime(t[0], text, false);
    LocalTime end = parseTime(t[1], text, true);
    if (end != null && end.equals(start)) {
      throw bad(text, "the window is empty (start = end)");
    }
    return new TimeWindow(EnumSet.copyOf(days), start, end, s);
  }

  /** Whether {@code t} falls in the window. */
  public boolean contains(ZonedDateTime t) {
    LocalTime now = t.toLocalTime();
    DayOfWeek day = t.getDayOfWeek();
    boolean wraps = end != null && end.isBefore(start);
    if (!wraps) {
      return days.contains(day) && !now.isBefore(start) && (end == null || now.isBefore(end));
    }
    // Overnight: from start on a named day to end on the next day.
    return (days.contains(day) && !now.isBefore(start))
        || (days.contains(day.minus(1)) && now.isBefore(end));
  }

  private static Set<DayOfWeek> parseDays(String s, String text) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String part : s.split(",")) {
      String p = part.trim();
      int dash = p.indexOf('-');
      if (dash < 0) {
        out.add(day(p, text));
      } else {
        DayOfWeek a = day(p.substring(0, dash), text);
        DayOfWeek b = day(p.substring(dash + 1), text);
        for (DayOfWeek d = a; ; d = d.plus(1)) {
          out.add(d);
          if (d == b) {
            break;
          }
        }
      }
    }
    return out;
  }

  private static DayOfWeek day(String s, String text) {
    String d = s.trim().toLowerCase(Locale.ROOT);
    for (DayOfWeek w : DayOfWeek.values()) {
      if (w.name().toLowerCase(Locale.ROOT).startsWith(d) && d.length() >= 3) {
        return w;
      }
    }
    throw bad(text, "'" + s.trim() + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  }

  private static LocalTime parseTime(String s, String text, boolean end) {
    String v = s.trim();
    if (end && v.equals("24:00")) {
      return null;
    }
    if (!v.matches("\\d{1,2}:\\d{2}")) {
      throw bad(text, "'" + v + "' is not a time HH:MM");
    }
    int h = Integer.parseInt(v.substring(0, v.indexOf(':')));
    int m = Integer.parseInt(v.substring(v.indexOf(':') + 1));
    if (h > 23 || m > 59) {
      throw bad(text, "'" + v + "' is not a time of day");
    }
    return LocalTime.of(h, m);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("time window '" + text + "': " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
