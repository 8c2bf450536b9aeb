package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScopeCheckTest {
  private static final List<String> PROTECTED = List.of(".github/workflows/**", "/LICENSE");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("all inside", List.of("src/http/**"), List.of("src/http/A.java", "src/http/b/B.java"),
            List.of(), List.of()),
        Arguments.of("one outside", List.of("src/http/**", "docs/*.md"),
            List.of("src/http/A.java", "docs/http.md", "src/db/Db.java"), List.of("src/db/Db.java"), List.of()),
        Arguments.of("glob star does not reach a subdirectory", List.of("docs/*.md"), List.of("docs/old/a.md"),
            List.of("docs/old/a.md"), List.of()),
        Arguments.of("protected path inside the scope is still reported", List.of(".github/**"),
            List.of(".github/workflows/ci.yml"), List.of(), List.of(".github/workflows/ci.yml")),
        Arguments.of("protected and outside", List.of("src/**"), List.of("LICENSE", "src/A.java"),
            List.of("LICENSE"), List.of("LICENSE")),
        Arguments.of("anchored protected path leaves nested files alone", List.of("**"),
            List.of("third_party/LICENSE"), List.of(), List.of()),
        Arguments.of("no scope declared: nothing is outside, protected still checked", List.of(),
            List.of("anything.txt", ".github/workflows/x.yml"), List.of(), List.of(".github/workflows/x.yml")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reports_files_outside_the_scope_and_protected_paths(String name, List<String> scope, List<String> changed,
      List<String> outside, List<String> touched) {
    TaskBoundary b = new TaskBoundary(scope, List.of(SuccessCondition.checksPass()), Duration.ofMinutes(30),
        FailureMode.parse("close"), PROTECTED, Set.of());
    ScopeCheck.Outside result = ScopeCheck.outside(b, changed, PROTECTED);
    assertEquals(outside, result.outsideScope());
    assertEquals(touched, result.protectedChanged());
    assertEquals(outside.isEmpty() && touched.isEmpty(), result.isEmpty());
  }
}
