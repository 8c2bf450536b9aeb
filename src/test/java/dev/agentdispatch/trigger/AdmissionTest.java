package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionTest {
  private static final String COMPLETE = "Scope: src/**\nDone when: checks pass";
  private static final String NO_SCOPE = "Done when: checks pass";
  private static final String NOTHING = "Please fix it.";
  private static final String BAD = "Scope: src/**\nDone when: checks pass\nTimeout: forever";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("off, complete: admitted silently", BoundaryMode.OFF, COMPLETE, true, ""),
        Arguments.of("off, nothing: admitted silently", BoundaryMode.OFF, NOTHING, true, ""),
        Arguments.of("off, bad value: refused", BoundaryMode.OFF, BAD, false, "Timeout: 'forever'"),
        Arguments.of("warn, complete: admitted silently", BoundaryMode.WARN, COMPLETE, true, ""),
        Arguments.of("warn, no scope: admitted with a note", BoundaryMode.WARN, NO_SCOPE, true,
            "Note: this task was started without"),
        Arguments.of("warn, bad value: refused", BoundaryMode.WARN, BAD, false, "could not be read"),
        Arguments.of("require, complete: admitted silently", BoundaryMode.REQUIRE, COMPLETE, true, ""),
        Arguments.of("require, no scope: refused", BoundaryMode.REQUIRE, NO_SCOPE, false,
            "requires a task boundary (`boundary: require`)"),
        Arguments.of("require, nothing: refused", BoundaryMode.REQUIRE, NOTHING, false,
            "- a success condition: no `Done when:` was given"),
        Arguments.of("require, whole repository: refused", BoundaryMode.REQUIRE, "Scope: /\nDone when: approved",
            false, "`Scope: /` covers the whole repository"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides_by_the_boundary_mode(String name, BoundaryMode mode, String body, boolean admitted, String reply) {
    BoundaryParser.Admission a = new BoundaryParser(TestConfigs.config(mode)).admit(body);
    assertEquals(admitted, a.admitted());
    if (reply.isEmpty()) {
      assertEquals("", a.reply());
    } else {
      assertTrue(a.reply().contains(reply), a.reply());
    }
  }

  @Test
  void a_refusal_lists_what_is_missing_and_how_to_add_it() {
    BoundaryParser.Admission a = new BoundaryParser(TestConfigs.config(BoundaryMode.REQUIRE)).admit(NOTHING);
    assertEquals("""
        agent-dispatch did not start this task: this repository requires a task boundary (`boundary: require`), \
        and the issue is missing

        - a scope: no `Scope:` was given
        - a success condition: no `Done when:` was given

        Add the missing lines to the issue, for example:

        ```
        Scope: src/http/**, docs/*.md
        Done when: checks pass and approved
        ```

        A scope can also name a module of this repository: `everything`, `http`.
        Or open the issue with the **Agent task** form (`.github/ISSUE_TEMPLATE/agent-task.yml`), which asks for \
        both. The syntax is in `docs/task-boundaries.md`.
        """, a.reply());
  }

  @Test
  void a_refusal_for_a_missing_condition_only_shows_that_line() {
    BoundaryParser.Admission a = new BoundaryParser(TestConfigs.config(BoundaryMode.REQUIRE)).admit("Scope: docs/");
    assertTrue(a.reply().contains("```\nDone when: checks pass and approved\n```"), a.reply());
    assertTrue(!a.reply().contains("Scope: src/http/**"), a.reply());
  }

  @Test
  void a_refusal_for_errors_lists_every_error_and_has_no_boundary() {
    BoundaryParser.Admission a = new BoundaryParser(TestConfigs.config(BoundaryMode.WARN))
        .admit("Timeout: 20h\nOn failure: panic");
    assertNull(a.boundary());
    assertEquals(List.of("- Timeout: '20h' is outside the allowed range; use between 1m and 12h",
        "- On failure: 'panic' is not a failure mode (use close, keep-branch or notify @someone)"),
        a.reply().lines().filter(l -> l.startsWith("- ")).toList());
  }
}
