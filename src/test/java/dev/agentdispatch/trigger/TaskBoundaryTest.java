package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskBoundaryTest {

  @Test
  void describes_itself_in_markdown_for_the_status_comment() {
    TaskBoundary b = new TaskBoundary(List.of("src/http/**", "docs/http.md"),
        List.of(SuccessCondition.checksNamed(List.of("build")), SuccessCondition.judgedByHuman("docs read well")),
        Duration.ofMinutes(90), FailureMode.parse("notify @octo-org/backend"), List.of(".github/workflows/**"),
        Set.of(TaskBoundary.Part.TIMEOUT));
    assertEquals("""
        **Task boundary**

        - **Scope:** `src/http/**`, `docs/http.md`
        - **Done when:** the check "build" passes; _judged by a human:_ docs read well
        - **Timeout:** 1h30m (repository default)
        - **On failure:** `notify @octo-org/backend`
        - **Protected paths:** `.github/workflows/**`
        """, b.describe());
  }

  @Test
  void says_what_was_not_declared() {
    TaskBoundary b = new TaskBoundary(List.of(), List.of(), Duration.ofHours(1), FailureMode.parse("close"),
        List.of(), Set.of());
    assertEquals("""
        Scope: not declared; keep the change as small as the task needs
        Done when: not declared; the pull request is reviewed by a person
        Timeout: 1h; work still running then is stopped
        On failure: the pull request is closed and its branch deleted
        """, b.forPrompt());
  }
}
