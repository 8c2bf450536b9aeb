package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FailureModeTest {

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("close", "close", "close"),
        Arguments.of("keep-branch", "keep-branch", "keep-branch"),
        Arguments.of("keep branch with a space, any case", " Keep Branch ", "keep-branch"),
        Arguments.of("notify a user", "notify @octocat", "notify @octocat"),
        Arguments.of("notify a team", "Notify @octo-org/backend-team", "notify @octo-org/backend-team"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void reads_the_three_modes(String name, String text, String canonical) {
    assertEquals(canonical, FailureMode.parse(text).toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", "explode", "notify", "notify octocat", "notify @", "close please", "keep", "notify @a b"})
  void refuses_anything_else(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailureMode.parse(text));
    assertTrue(e.getMessage().endsWith("(use close, keep-branch or notify @someone)"), e.getMessage());
  }
}
