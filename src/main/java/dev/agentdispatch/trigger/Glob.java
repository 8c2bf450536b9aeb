package dev.agentdispatch.trigger;

import java.util.ArrayList;
import java.util.List;

/**
 * A path pattern with gitignore-like rules: {@code *} and {@code ?} stay inside one path segment, {@code **}
 * crosses {@code /}, {@code [a-z]} and {@code [!x]} are character classes, a trailing {@code /} means a
 * directory and everything under it, a leading {@code /} anchors at the root, and a pattern without a
 * {@code /} matches at any depth. A pattern that matches a directory matches everything under it.
 * Matching is a table walk, O(pattern length × path length): no regex backtracking.
 */
final class Glob {
  private enum Kind { LITERAL, ONE, STAR, ANY, DIRS, CLASS }

  private record Token(Kind kind, char c, String set, boolean negated) {
    boolean accepts(char x) {
      return switch (kind) {
        case LITERAL -> x == c;
        case ONE -> x != '/';
        case CLASS -> x != '/' && inSet(x) != negated;
        default -> throw new IllegalStateException(kind.name());
      };
    }

    private boolean inSet(char x) {
      for (int i = 0; i < set.length(); i++) {
        if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
          if (x >= set.charAt(i) && x <= set.charAt(i + 2)) {
            return true;
          }
          i += 2;
        } else if (set.charAt(i) == x) {
          return true;
        }
      }
      return false;
    }
  }

  private final String pattern;
  private final List<Token> tokens;
  private final boolean anchored;
  private final boolean directoryOnly;

  private Glob(String pattern, List<Token> tokens, boolean anchored, boolean directoryOnly) {
    this.pattern = pattern;
    this.tokens = tokens;
    this.anchored = anchored;
    this.directoryOnly = directoryOnly;
  }

  static Glob of(String pattern) {
    String p = pattern.strip();
    boolean directoryOnly = p.endsWith("/") && p.length() > 1;
    if (directoryOnly) {
      p = p.substring(0, p.length() - 1);
    }
    boolean anchored = p.contains("/");
    if (p.startsWith("/")) {
      p = p.substring(1);
    }
    return new Glob(pattern, tokenize(p), anchored, directoryOnly);
  }

  private static List<Token> tokenize(String p) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
        boolean segmentStart = i == 0 || p.charAt(i - 1) == '/';
        if (segmentStart && i + 2 < p.length() && p.charAt(i + 2) == '/') {
          out.add(new Token(Kind.DIRS, c, null, false)); // "**/": zero or more whole directories
          i += 2;
        } else {
          out.add(new Token(Kind.ANY, c, null, false));
          i++;
          while (i + 1 < p.length() && p.charAt(i + 1) == '*') {
            i++; // "***" reads as "**"
          }
        }
      } else if (c == '*') {
        out.add(new Token(Kind.STAR, c, null, false));
      } else if (c == '?') {
        out.add(new Token(Kind.ONE, c, null, false));
      } else if (c == '[' && p.indexOf(']', i + 2) > 0) {
        int close = p.indexOf(']', i + 2);
        boolean negated = p.charAt(i + 1) == '!' || p.charAt(i + 1) == '^';
        out.add(new Token(Kind.CLASS, c, p.substring(negated ? i + 2 : i + 1, close), negated));
        i = close;
      } else if (c == '\\' && i + 1 < p.length()) {
        out.add(new Token(Kind.LITERAL, p.charAt(++i), null, false));
      } else {
        out.add(new Token(Kind.LITERAL, c, null, false));
      }
    }
    return out;
  }

  /** Whether {@code path} (relative to the repository root; a leading {@code /} is ignored) matches. */
  boolean matches(String path) {
    String s = path.startsWith("/") ? path.substring(1) : path;
    int n = s.length();
    boolean[] at = new boolean[n + 1];
    for (int j = 0; j <= n; j++) {
      at[j] = j == 0 || !anchored && s.charAt(j - 1) == '/';
    }
    for (Token t : tokens) {
      boolean[] next = new boolean[n + 1];
      switch (t.kind) {
        case STAR, ANY -> {
          for (int j = 0; j <= n; j++) {
            next[j] = at[j] || j > 0 && next[j - 1] && (t.kind == Kind.ANY || s.charAt(j - 1) != '/');
          }
        }
        case DIRS -> {
          boolean seen = false;
          for (int j = 0; j <= n; j++) {
            next[j] = at[j] || seen && s.charAt(j - 1) == '/';
            seen |= at[j];
          }
        }
        default -> {
          for (int j = 1; j <= n; j++) {
            next[j] = at[j - 1] && t.accepts(s.charAt(j - 1));
          }
        }
      }
      at = next;
    }
    if (at[n] && !directoryOnly) {
      return true;
    }
    for (int j = 1; j < n; j++) { // the pattern matched a directory holding the path
      if (at[j] && s.charAt(j) == '/') {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
