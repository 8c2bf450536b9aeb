package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CodeOwnersTest {
  // The documented examples (FACTS.md §5): pattern, path, whether it matches.
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "*, src/app.js, true",
      "*.js, src/deep/app.js, true",
      "*.js, src/app.ts, false",
      "/build/logs/, build/logs/a.txt, true",
      "/build/logs/, x/build/logs/a.txt, false",
      "docs/*, docs/getting-started.md, true",
      "docs/*, docs/build-app/troubleshooting.md, false",
      "apps/, x/apps/a.txt, true",
      "/docs/, docs/a/b.md, true",
      "**/logs, deeply/nested/logs/x.log, true",
      "**/logs, logs/x.log, true",
      "/apps/github, apps/github/x, true",
  })
  void patterns_match_like_github(String pattern, String path, boolean matches) {
    assertEquals(matches, CodeOwners.compile(pattern).matcher(path).matches());
  }

  @Test void last_match_wins_and_empty_owner_lists_clear() {
    CodeOwners c = CodeOwners.of(Map.of("CODEOWNERS", """
        *        @global   # default
        *.js     @js-owner
        /apps/   @octocat
        /apps/github
        """));
    assertEquals(Set.of("@js-owner"), c.ownersOf(List.of("src/a.js")));
    assertEquals(Set.of("@octocat"), c.ownersOf(List.of("apps/x.txt")));
    assertEquals(Set.of(), c.ownersOf(List.of("apps/github/x.txt")));
    assertEquals(Set.of("@global"), c.ownersOf(List.of("README.md")));
  }

  @Test void github_folder_wins_over_root() {
    CodeOwners c = CodeOwners.of(Map.of("CODEOWNERS", "* @root", ".github/CODEOWNERS", "* @dotgithub"));
    assertEquals(Set.of("@dotgithub"), c.ownersOf(List.of("x")));
  }
}
