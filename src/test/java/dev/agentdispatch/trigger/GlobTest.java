package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("star stays in its segment", "src/*.java", "src/App.java", true),
        Arguments.of("star does not cross a slash", "src/*.java", "src/http/Server.java", false),
        Arguments.of("double star crosses slashes", "src/**/*.java", "src/http/v2/Server.java", true),
        Arguments.of("double star slash matches no directory", "src/**/*.java", "src/App.java", true),
        Arguments.of("trailing double star: everything inside", "src/http/**", "src/http/a/b.txt", true),
        Arguments.of("trailing double star: not the sibling", "src/http/**", "src/https/a.txt", false),
        Arguments.of("leading double star: any depth", "**/README.md", "a/b/README.md", true),
        Arguments.of("leading double star: the root too", "**/README.md", "README.md", true),
        Arguments.of("no slash: matches at any depth", "*.md", "docs/deep/guide.md", true),
        Arguments.of("no slash: a bare name at any depth", "fixtures", "test/fixtures/a.json", true),
        Arguments.of("leading slash anchors at the root", "/README.md", "docs/README.md", false),
        Arguments.of("leading slash: root file", "/README.md", "README.md", true),
        Arguments.of("middle slash anchors too", "docs/*.md", "site/docs/a.md", false),
        Arguments.of("trailing slash: everything under the directory", "docs/", "docs/a/b.md", true),
        Arguments.of("trailing slash: not a file of that name", "docs/", "docs", false),
        Arguments.of("trailing slash without other slash: any depth", "build/", "app/build/out.class", true),
        Arguments.of("a directory pattern covers its files", "src/http", "src/http/Server.java", true),
        Arguments.of("a directory pattern: not a longer name", "src/http", "src/httpd/Server.java", false),
        Arguments.of("question mark is one character", "v?.txt", "v1.txt", true),
        Arguments.of("question mark is not a slash", "a?b", "a/b", false),
        Arguments.of("character class", "log[0-9].txt", "log7.txt", true),
        Arguments.of("negated character class", "log[!0-9].txt", "log7.txt", false),
        Arguments.of("dot is literal", "a.b", "axb", false),
        Arguments.of("leading slash in the path is ignored", "src/**", "/src/a", true),
        Arguments.of("whole repository", "**", "any/file.txt", true),
        Arguments.of("middle double star", "a/**/z", "a/b/c/z", true),
        Arguments.of("middle double star: zero directories", "a/**/z", "a/z", true),
        Arguments.of("escaped star is literal", "a\\*b", "axb", false));
  }

  @ParameterizedTest(name = "{0}: {1} ~ {2} = {3}")
  @MethodSource("cases")
  void matches_like_gitignore(String name, String pattern, String path, boolean expected) {
    assertEquals(expected, Glob.of(pattern).matches(path));
  }

  @Test
  void many_stars_against_a_long_path_stay_fast() {
    String pattern = "*a".repeat(50) + "b";
    String path = "a".repeat(5_000);
    long start = System.nanoTime();
    assertEquals(false, Glob.of(pattern).matches(path));
    assertEquals(true, (System.nanoTime() - start) < 1_000_000_000L, "took too long");
  }
}
