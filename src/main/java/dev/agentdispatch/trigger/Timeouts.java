package dev.agentdispatch.trigger;

import dev.agentdispatch.config.Durations;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a {@code Timeout:} value such as {@code 45m}, {@code 2h}, {@code 1h30m}, {@code 90 minutes} or {@code PT1H}, bounded 1m..12h. */
final class Timeouts {
  static final Duration MIN = Duration.ofMinutes(1);
  /** The same bounds as {@code task_timeout} in the repository config. */
  static final Duration MAX = Duration.ofHours(12);
  /** Hours and/or minutes: {@code 45m}, {@code 2 hours}, {@code 1h30m} (as {@link #format} writes it). */
  private static final Pattern WORDS = Pattern.compile("(?:(\\d{1,4})[ \\t]*(?:h|hrs?|hours?))?[ \\t]*"
      + "(?:(\\d{1,6})[ \\t]*(?:m|mins?|minutes?))?", Pattern.CASE_INSENSITIVE);

  private Timeouts() {}

  /** The duration, or {@link IllegalArgumentException} with a reason that says what to write instead. */
  static Duration parse(String text) {
    String s = text.strip();
    Duration d;
    Matcher m = WORDS.matcher(s);
    if (m.matches() && (m.group(1) != null || m.group(2) != null)) {
      d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
          .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    } else {
      try {
        d = Durations.parse(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Timeout: '" + Shorten.of(s) + "' is not a duration;"
            + " write e.g. `Timeout: 45m` or `Timeout: 2h` (between 1m and 12h)");
      }
    }
    if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("Timeout: '" + Shorten.of(s) + "' is outside the allowed range;"
          + " use between 1m and 12h");
    }
    return d;
  }

  /** {@code 45m}, {@code 2h}, {@code 1h30m}. */
  static String format(Duration d) {
    long minutes = d.toMinutes();
    long h = minutes / 60;
    long m = minutes % 60;
    if (h == 0) {
      return m + "m";
    }
    return m == 0 ? h + "h" : h + "h" + m + "m";
  }
}
