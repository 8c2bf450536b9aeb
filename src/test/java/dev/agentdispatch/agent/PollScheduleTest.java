package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollScheduleTest {
  @ParameterizedTest(name = "{0}: age {1} s -> every {2} s")
  @CsvSource({
      "just started,     0,    5",
      "young,            19,   5",
      "twenty seconds,   20,   10",
      "forty seconds,    40,   20",
      "eighty seconds,   80,   40",
      "160 seconds,      160,  80",
      "320 seconds,      320,  120",
      "an hour,          3600, 120"})
  void interval_grows_with_age_and_is_capped(String name, long ageSeconds, long expectSeconds) {
    assertEquals(Duration.ofSeconds(expectSeconds), PollSchedule.interval(Duration.ofSeconds(ageSeconds)));
  }

  @ParameterizedTest(name = "failure {0} -> wait {1} s")
  @CsvSource({"1, 5", "2, 10", "3, 20", "5, 80", "6, 120", "20, 120"})
  void retry_backs_off_and_is_capped(int failures, long expectSeconds) {
    assertEquals(Duration.ofSeconds(expectSeconds), PollSchedule.retry(failures));
  }
}
