package dev.agentdispatch.task;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a repository accepts agent starts: on {@code days}, from {@code from} (inclusive) to {@code to}
 * (exclusive) in {@code zone}. A window whose {@code from} is after {@code to} runs over midnight, and the
 * day is the day it opened. Tasks queued outside the window wait in the queue.
 */
public record DispatchWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
  public DispatchWindow {
    days = days.isEmpty() ? Set.of() : EnumSet.copyOf(days);
  }

  public static DispatchWindow weekdays(LocalTime from, LocalTime to, ZoneId zone) {
    return new DispatchWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), from, to, zone);
  }

  public boolean contains(Instant instant) {
    ZonedDateTime t = instant.atZone(zone);
    LocalTime time = t.toLocalTime();
    if (!from.isAfter(to)) {
      return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    if (!time.isBefore(from)) {
      return days.contains(t.getDayOfWeek());
    }
    return time.isBefore(to) && days.contains(t.getDayOfWeek().minus(1));
  }

  /** "Mon,Tue 09:00-17:00 Europe/Berlin". */
  public String describe() {
    String d = days.stream().sorted()
        .map(day -> day.getDisplayName(TextStyle.SHORT, Locale.ROOT)).collect(Collectors.joining(","));
    return d + " " + from + "-" + to + " " + zone.getId();
  }
}
