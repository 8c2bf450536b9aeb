package dev.agentdispatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code dispatch_window}: {@code days} (e.g. {@code [mon, tue]} or {@code weekdays}), {@code hours}
 * ({@code "09:00-17:00"}; an end before the start spans midnight) and {@code time_zone} (default UTC).
 */
final class WindowReader {
  /** Where problems go: a key path and a message. */
  interface Problems {
    <T> T problem(String path, String message, T fallback);
  }

  private static final Pattern HOURS = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);
  private final Problems problems;

  WindowReader(Problems problems) {
    this.problems = problems;
  }

  RepoConfig.Window read(JsonNode v, RepoConfig.Window fallback) {
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isObject()) {
      return problems.problem("dispatch_window", "dispatch_window must be a mapping with days, hours, time_zone",
          fallback);
    }
    Set<DayOfWeek> days = days(v.get("days"));
    Matcher hours = HOURS.matcher(v.path("hours").asText(""));
    if (!hours.matches()) {
      return problems.problem("dispatch_window.hours", "dispatch_window.hours must look like \"09:00-17:00\"",
          fallback);
    }
    try {
      LocalTime from = LocalTime.parse(pad(hours.group(1)));
      LocalTime to = LocalTime.parse(pad(hours.group(2)));
      ZoneId zone = ZoneId.of(v.path("time_zone").asText("UTC"));
      return days == null ? fallback : new RepoConfig.Window(days, from, to, zone);
    } catch (DateTimeException e) {
      return problems.problem("dispatch_window", "dispatch_window has a bad time or time zone: " + e.getMessage(),
          fallback);
    }
  }

  private Set<DayOfWeek> days(JsonNode v) {
    if (v == null || v.isNull() || (v.isTextual() && v.asText().equalsIgnoreCase("any"))) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    if (v.isTextual() && v.asText().equalsIgnoreCase("weekdays")) {
      return EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (!v.isArray() || v.isEmpty()) {
      return problems.problem("dispatch_window.days", "dispatch_window.days must be weekdays, any, or a list such"
          + " as [mon, tue]", null);
    }
    for (JsonNode d : v) {
      String key = d.asText().trim().toLowerCase(Locale.ROOT);
      DayOfWeek day = DAYS.get(key.length() >= 3 ? key.substring(0, 3) : key);
      if (day == null) {
        return problems.problem("dispatch_window.days", "dispatch_window.days holds '" + d.asText()
            + "', which is not a day", null);
      }
      days.add(day);
    }
    return days;
  }

  private static String pad(String hhmm) {
    return hhmm.length() == 4 ? "0" + hhmm : hhmm;
  }
}
