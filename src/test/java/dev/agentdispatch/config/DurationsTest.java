package dev.agentdispatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("milliseconds", "500ms", Duration.ofMillis(500)),
        Arguments.of("seconds", "10s", Duration.ofSeconds(10)),
        Arguments.of("minutes", "5m", Duration.ofMinutes(5)),
        Arguments.of("hours", "2h", Duration.ofHours(2)),
        Arguments.of("days", "1d", Duration.ofDays(1)),
        Arguments.of("zero", "0s", Duration.ZERO),
        Arguments.of("surrounding blanks", "  30s ", Duration.ofSeconds(30)),
        Arguments.of("ISO-8601", "PT5M", Duration.ofMinutes(5)),
        Arguments.of("ISO-8601 days and hours", "P1DT2H", Duration.ofHours(26)),
        Arguments.of("nine digits", "999999999s", Duration.ofSeconds(999_999_999)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("good")
  void parses_human_and_iso_durations(String name, String text, Duration expected) {
    assertEquals(expected, Durations.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"soon", "", "5", "m", "5 m", "-5s", "5M", "1.5s", "5mins", "10000000000s", "PT"})
  void refuses_anything_else_with_a_readable_reason(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("not a duration"), e.getMessage());
  }
}
