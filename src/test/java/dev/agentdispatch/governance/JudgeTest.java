package dev.agentdispatch.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentdispatch.trigger.FailureMode;
import dev.agentdispatch.trigger.SuccessCondition;
import dev.agentdispatch.trigger.TaskBoundary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verdict for a table of boundaries and pull request facts: outcome (null = pending) and deciding condition. */
class JudgeTest {
  static final Instant T = Instant.parse("2026-11-02T09:00:00Z");
  static final List<String> FILES = List.of("src/app.js");

  static Stream<Arguments> cases() {
    return Stream.of(
        row("no check runs yet: pending", List.of(SuccessCondition.checksPass()), facts(List.of(), List.of(), true),
            null, null),
        row("all checks passed", List.of(SuccessCondition.checksPass()),
            facts(List.of(run("build", "success", 5), run("lint", "skipped", 7)), List.of(), true),
            Outcome.SUCCEEDED, "all checks pass"),
        row("a neutral check passes", List.of(SuccessCondition.checksPass()),
            facts(List.of(run("build", "neutral", 5)), List.of(), true), Outcome.SUCCEEDED, "all checks pass"),
        row("a failed check decides even while another runs", List.of(SuccessCondition.checksPass()),
            facts(List.of(run("build", null, 0), run("lint", "failure", 3)), List.of(), true),
            Outcome.NEEDS_ATTENTION, "all checks pass"),
        row("a re-run supersedes the failed run", List.of(SuccessCondition.checksPass()),
            facts(List.of(run("build", "failure", 3), run("build", "success", 9)), List.of(), true),
            Outcome.SUCCEEDED, "all checks pass"),
        row("named check missing: pending", List.of(SuccessCondition.checksNamed(List.of("build"))),
            facts(List.of(run("lint", "success", 3)), List.of(), true), null, null),
        row("named check cancelled", List.of(SuccessCondition.checksNamed(List.of("build"))),
            facts(List.of(run("build", "cancelled", 3)), List.of(), true), Outcome.NEEDS_ATTENTION,
            "the check \"build\" passes"),
        row("mergeable unknown: pending", List.of(SuccessCondition.mergeable()), facts(List.of(), List.of(), null),
            null, null),
        row("conflict", List.of(SuccessCondition.mergeable()), facts(List.of(), List.of(), false),
            Outcome.NEEDS_ATTENTION, "the pull request is mergeable"),
        row("approved by a person", List.of(SuccessCondition.approved()),
            facts(List.of(), List.of(review("bob", false, "APPROVED", 4)), true), Outcome.SUCCEEDED,
            "the pull request is approved"),
        row("approved by a bot only: pending", List.of(SuccessCondition.approved()),
            facts(List.of(), List.of(review("ci[bot]", true, "APPROVED", 4)), true), null, null),
        row("a comment is no approval", List.of(SuccessCondition.approved()),
            facts(List.of(), List.of(review("bob", false, "COMMENTED", 4)), true), null, null),
        row("changes requested after an approval by another", List.of(SuccessCondition.approved()),
            facts(List.of(), List.of(review("alice", false, "APPROVED", 2), review("bob", false, "CHANGES_REQUESTED", 4)),
                true), Outcome.NEEDS_ATTENTION, "the pull request is approved"),
        row("a dismissed review no longer approves", List.of(SuccessCondition.approved()),
            facts(List.of(), List.of(review("bob", false, "APPROVED", 2), review("bob", false, "DISMISSED", 4)), true),
            null, null),
        row("free text left to a person", List.of(SuccessCondition.mergeable(), SuccessCondition.judgedByHuman("fast")),
            facts(List.of(), List.of(), true), Outcome.NEEDS_ATTENTION, "judged by a human: fast"),
        row("free text waits for the rest", List.of(SuccessCondition.checksPass(), SuccessCondition.judgedByHuman("x")),
            facts(List.of(), List.of(), true), null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verdict(String name, List<SuccessCondition> conditions, PullFacts facts, Outcome outcome, String decidedBy) {
    Verdict v = Judge.judge(boundary(List.of("src/**"), conditions), facts);
    assertEquals(outcome, v.outcome(), v.toString());
    assertEquals(decidedBy, v.decidedBy(), v.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void scope(String name, List<String> scope, List<String> files, Outcome outcome, String detail) {
    PullFacts f = new PullFacts(1, "open", false, "copilot/x", "abc", true, T, List.of(run("build", "success", 1)),
        List.of(), files);
    Verdict v = Judge.judge(boundary(scope, List.of(SuccessCondition.checksPass())), f);
    assertEquals(outcome, v.outcome());
    assertEquals(detail, v.outcome() == Outcome.FAILED ? v.detail() : null);
  }

  static Stream<Arguments> scopes() {
    return Stream.of(
        Arguments.of("inside the scope", List.of("src/**"), List.of("src/a.js", "src/b/c.js"), Outcome.SUCCEEDED, null),
        Arguments.of("files outside, listed in order", List.of("src/**"), List.of("README.md", "src/a.js", "docs/x.md"),
            Outcome.FAILED, "Files changed outside the task's boundary:\n- `README.md` is outside the task's scope\n"
                + "- `docs/x.md` is outside the task's scope\n"),
        Arguments.of("a protected path inside the scope", List.of("**/*.yml"), List.of(".github/workflows/ci.yml"),
            Outcome.FAILED, "Files changed outside the task's boundary:\n"
                + "- `.github/workflows/ci.yml` is a protected path\n"),
        Arguments.of("no scope declared: only protected paths", List.of(), List.of("anything.txt"), Outcome.SUCCEEDED,
            null));
  }

  private static Arguments row(String name, List<SuccessCondition> conditions, PullFacts facts, Outcome outcome,
      String decidedBy) {
    return Arguments.of(name, conditions, facts, outcome, decidedBy);
  }

  private static TaskBoundary boundary(List<String> scope, List<SuccessCondition> conditions) {
    return new TaskBoundary(scope, conditions, Duration.ofMinutes(45), FailureMode.parse("close"),
        List.of(".github/workflows/**"), Set.of());
  }

  private static PullFacts facts(List<PullFacts.CheckRun> checks, List<PullFacts.Review> reviews, Boolean mergeable) {
    return new PullFacts(1, "open", false, "copilot/x", "abc", mergeable, T, checks, reviews, FILES);
  }

  private static PullFacts.CheckRun run(String name, String conclusion, int minute) {
    return new PullFacts.CheckRun(name, conclusion == null ? "in_progress" : "completed", conclusion,
        conclusion == null ? null : T.plusSeconds(60L * minute));
  }

  private static PullFacts.Review review(String login, boolean bot, String state, int minute) {
    return new PullFacts.Review(login, bot, state, T.plusSeconds(60L * minute));
  }
}
