package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue bodies and the boundary each gives, summarised as
 * {@code scope | conditions | timeout | on failure | parts from defaults}, or the error it gives.
 */
class BoundaryParserTest {
  private static final BoundaryParser PARSER = new BoundaryParser(TestConfigs.config(BoundaryMode.WARN));
  private static final String DEFAULTS = "1h | keep-branch | TIMEOUT,ON_FAILURE";

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of("all four keys", """
            Fix the retry loop.

            Scope: src/http/**, docs/*.md
            Done when: checks pass and approved
            Timeout: 45m
            On failure: notify @octo-org/backend
            """, "[src/http/**, docs/*.md] | [all checks pass, the pull request is approved] | 45m"
            + " | notify @octo-org/backend | "),
        Arguments.of("scope separated by spaces", "Scope: src/a.txt src/b.txt\nDone when: mergeable",
            "[src/a.txt, src/b.txt] | [the pull request is mergeable] | " + DEFAULTS),
        Arguments.of("module name maps to its globs", "Scope: http\nDone when: checks pass",
            "[src/http/**, test/http/**] | [all checks pass] | " + DEFAULTS),
        Arguments.of("module and path together", "Scope: http, docs/http.md\nDone when: checks pass",
            "[src/http/**, test/http/**, docs/http.md] | [all checks pass] | " + DEFAULTS),
        Arguments.of("globs in backticks", "Scope: `src/**`, `docs/`\nDone when: approved",
            "[src/**, docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("named checks, quoted and bare", "Scope: src/**\nDone when: checks named \"CI / build\", lint pass",
            "[src/**] | [the checks \"CI / build\", \"lint\" pass] | " + DEFAULTS),
        Arguments.of("named checks joined by and", "Scope: src/**\nDone when: checks named build and lint pass.",
            "[src/**] | [the checks \"build\", \"lint\" pass] | " + DEFAULTS),
        Arguments.of("trailing period and semicolons", "Scope: src/**\nDone when: mergeable; approved.",
            "[src/**] | [the pull request is mergeable, the pull request is approved] | " + DEFAULTS),
        Arguments.of("approved inside a sentence is free text", "Scope: src/**\nDone when: the PR is approved by legal",
            "[src/**] | [judged by a human: the PR is approved by legal] | " + DEFAULTS),
        Arguments.of("one named check", "Scope: src/**\nDone when: check named build passes",
            "[src/**] | [the check \"build\" passes] | " + DEFAULTS),
        Arguments.of("named checks then more conditions", "Scope: src/**\nDone when: checks named build pass, mergeable and approved",
            "[src/**] | [the check \"build\" passes, the pull request is mergeable, the pull request is approved] | "
            + DEFAULTS),
        Arguments.of("free text is judged by a human", "Scope: docs/\nDone when: the guide reads well on mobile",
            "[docs/] | [judged by a human: the guide reads well on mobile] | " + DEFAULTS),
        Arguments.of("free text with commas stays one condition",
            "Scope: docs/\nDone when: the form validates, saves and shows a toast",
            "[docs/] | [judged by a human: the form validates, saves and shows a toast] | " + DEFAULTS),
        Arguments.of("known and free text mixed", "Scope: docs/\nDone when: checks pass and the page renders, approved",
            "[docs/] | [all checks pass, judged by a human: the page renders, the pull request is approved] | "
            + DEFAULTS),
        Arguments.of("keys ignore case", "SCOPE: src/**\ndone WHEN: Checks Pass\nTIMEOUT: 2h\nON FAILURE: Close",
            "[src/**] | [all checks pass] | 2h | close | "),
        Arguments.of("bold keys and list items", "- **Scope:** src/**\n* **Done when:** approved",
            "[src/**] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("timeout in words", "Scope: a/\nDone when: approved\nTimeout: 90 minutes",
            "[a/] | [the pull request is approved] | 1h30m | keep-branch | ON_FAILURE"),
        Arguments.of("timeout as the status comment writes it", "Scope: a/\nDone when: approved\nTimeout: 1h30m",
            "[a/] | [the pull request is approved] | 1h30m | keep-branch | ON_FAILURE"),
        Arguments.of("scope joined by and", "Scope: src/http/** and docs/\nDone when: approved",
            "[src/http/**, docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("timeout ISO-8601", "Scope: a/\nDone when: approved\nTimeout: PT12H",
            "[a/] | [the pull request is approved] | 12h | keep-branch | ON_FAILURE"),
        Arguments.of("keep branch with a space", "Scope: a/\nDone when: approved\nOn failure: keep branch",
            "[a/] | [the pull request is approved] | 1h | keep-branch | TIMEOUT"),
        Arguments.of("first occurrence wins", "Scope: src/**\nScope: **\nDone when: approved\nDone when: checks pass",
            "[src/**] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("a whole-repository glob beside a real path still counts as missing",
            "Scope: src/**, **\nDone when: approved", "[] | [the pull request is approved] | " + DEFAULTS));
  }

  static Stream<Arguments> partial() {
    return Stream.of(
        Arguments.of("nothing at all", "Please fix the bug.", "[] | [] | " + DEFAULTS),
        Arguments.of("scope only", "Scope: src/**", "[src/**] | [] | " + DEFAULTS),
        Arguments.of("done when only", "Done when: checks pass", "[] | [all checks pass] | " + DEFAULTS),
        Arguments.of("empty values are missing", "Scope:\nDone when:   ", "[] | [] | " + DEFAULTS),
        Arguments.of("whole repository ** counts as missing", "Scope: **\nDone when: approved",
            "[] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("whole repository /", "Scope: /", "[] | [] | " + DEFAULTS),
        Arguments.of("whole repository .", "Scope: .", "[] | [] | " + DEFAULTS),
        Arguments.of("whole repository *", "Scope: *", "[] | [] | " + DEFAULTS),
        Arguments.of("module mapping to ** is whole repository", "Scope: everything", "[] | [] | " + DEFAULTS),
        Arguments.of("key inside a quote is not read", "> Scope: src/**", "[] | [] | " + DEFAULTS),
        Arguments.of("key mid-sentence is not read", "The Scope: src/** line is missing", "[] | [] | " + DEFAULTS));
  }

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("HTML comment hides a Scope line", "<!--\nScope: **\n-->\nScope: docs/\nDone when: approved",
            "[docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("inline comment hides a scope", "Scope: <!-- .github/** --> docs/\nDone when: approved",
            "[docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("unterminated comment hides the rest", "Done when: approved\n<!--\nScope: src/**",
            "[] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("nested comment: the first --> closes, the next line is visible",
            "<!-- a <!-- b -->\nScope: docs/\n-->\nDone when: approved",
            "[docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("fenced block with fake keys", "```\nScope: **\nTimeout: 12h\n```\nScope: src/**\nDone when: approved",
            "[src/**] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("tilde fence with fake keys", "~~~yaml\nScope: **\n~~~\nDone when: approved",
            "[] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("unclosed fence hides the rest", "Done when: approved\n```\nScope: src/**",
            "[] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("shorter fence does not close a longer one",
            "````\n```\nScope: **\n````\nScope: docs/\nDone when: approved",
            "[docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("zero-width characters inside keywords read as they render",
            "Sc\u200Bope: docs/\nDone\u200D when: appro\u2060ved\nTime\uFEFFout: 30m",
            "[docs/] | [the pull request is approved] | 30m | keep-branch | ON_FAILURE"),
        Arguments.of("bidi override cannot reverse a path", "Scope: \u202Esrc/**\u202C\nDone when: approved",
            "[src/**] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("bidi isolate around a key", "\u2066Scope\u2069: docs/\nDone when: approved",
            "[docs/] | [the pull request is approved] | " + DEFAULTS),
        Arguments.of("key after 5,000 lines is not read", "x\n".repeat(5_000) + "Scope: docs/",
            "[] | [] | " + DEFAULTS),
        Arguments.of("thousands of fake keys: the first wins", "Scope: docs/\n" + "Scope: **\n".repeat(3_000)
            + "Done when: approved", "[docs/] | [the pull request is approved] | " + DEFAULTS));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("timeout is not a duration", "Timeout: soon", "Timeout: 'soon' is not a duration"),
        Arguments.of("timeout too short", "Timeout: 30s", "Timeout: '30s' is outside the allowed range; use between 1m and 12h"),
        Arguments.of("timeout too long", "Timeout: 13h", "Timeout: '13h' is outside the allowed range"),
        Arguments.of("timeout of days", "Timeout: 1d", "is outside the allowed range"),
        Arguments.of("timeout of zero", "Timeout: 0m", "is outside the allowed range"),
        Arguments.of("timeout with a unit alone", "Timeout: h", "Timeout: 'h' is not a duration"),
        Arguments.of("unknown failure mode", "On failure: explode",
            "On failure: 'explode' is not a failure mode (use close, keep-branch or notify @someone)"),
        Arguments.of("notify without someone", "On failure: notify", "'notify' is not a failure mode"),
        Arguments.of("scope leaving the repository", "Scope: ../secrets/**", "'../secrets/**' leaves the repository"),
        Arguments.of("scope with HTML-ish junk", "Scope: <script>", "'<script>' is not a path, glob or module name"
            + " (modules here: everything, http)"),
        Arguments.of("very long scope line", "Scope: " + "a/".repeat(5_000),
            "Scope: the value is longer than 2000 characters"),
        Arguments.of("too many globs", "Scope: " + IntStream.range(0, 101).mapToObj(i -> "p" + i).collect(Collectors.joining(" ")), "is more than 100"),
        Arguments.of("too many conditions", "Done when: " + "approved, ".repeat(21), "is more than 20"),
        Arguments.of("the error quotes a long value shortly", "Timeout: " + "z".repeat(500), "zzz…'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"wellFormed", "partial", "hostile"})
  void reads_the_boundary(String name, String body, String expected) {
    BoundaryParser.Parsed parsed = PARSER.parse(body);
    assertEquals("[]", parsed.errors().toString(), "errors");
    assertEquals(expected, summary(parsed.boundary()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refuses_a_bad_value_with_a_clear_error(String name, String body, String error) {
    BoundaryParser.Parsed parsed = PARSER.parse(body);
    assertTrue(parsed.errors().stream().anyMatch(e -> e.contains(error)), parsed.errors().toString());
    assertTrue(parsed.errors().stream().allMatch(e -> e.length() < 300), "errors stay short");
    assertEquals(null, parsed.boundary());
  }

  @Test
  void explains_why_a_scope_is_missing() {
    assertEquals("a scope: `Scope: **` covers the whole repository, which this repository does not accept as a"
        + " scope (`allow_whole_repository_scope: false`)", PARSER.parse("Scope: **").missing().get(0));
    assertEquals("a scope: no `Scope:` was given", PARSER.parse("").missing().get(0));
    assertEquals("a success condition: no `Done when:` was given", PARSER.parse("").missing().get(1));
  }

  @Test
  void accepts_a_whole_repository_scope_when_the_repository_allows_it() {
    BoundaryParser allowing = new BoundaryParser(TestConfigs.config(BoundaryMode.REQUIRE, true));
    BoundaryParser.Parsed parsed = allowing.parse("Scope: **\nDone when: checks pass");
    assertEquals("[**] | [all checks pass] | " + DEFAULTS, summary(parsed.boundary()));
    assertEquals(0, parsed.missing().size());
  }

  @Test
  void a_huge_hostile_body_is_read_quickly() {
    String body = ("<!-- " + "\u200B".repeat(100) + "```\n" + "Scope" + "\u200B".repeat(50) + ": **\n")
        .repeat(20_000) + ("x".repeat(100_000)) + "\n" + "Done when: " + "a and ".repeat(50_000);
    long start = System.nanoTime();
    BoundaryParser.Parsed parsed = PARSER.parse(body);
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "took too long");
    assertEquals(null, parsed.boundary() == null ? null : parsed.boundary().scope().isEmpty() ? null : "scope");
  }

  static String summary(TaskBoundary b) {
    return b.scope() + " | " + b.conditions().stream().map(SuccessCondition::describe)
        .collect(Collectors.joining(", ", "[", "]")) + " | " + Timeouts.format(b.timeout()) + " | " + b.onFailure()
        + " | " + b.fromDefaults().stream().sorted().map(Enum::name).collect(Collectors.joining(","));
  }
}
