package dev.agentdispatch.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CODEOWNERS as GitHub reads it (FACTS §5): the first of .github/, root, docs/ on the base branch; gitignore-like
 * patterns, last match wins, a pattern without owners clears them, invalid lines are skipped.
 */
final class CodeOwners {
  static final List<String> LOCATIONS = List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

  private record Rule(Pattern pattern, List<String> owners) {}

  private final List<Rule> rules = new ArrayList<>();

  private CodeOwners(String text) {
    for (String raw : text.split("\n")) {
      String line = raw.replaceFirst("\\s#.*$", "").trim();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] parts = line.split("\\s+");
      if (parts[0].startsWith("!") || parts[0].contains("[")) continue;
      List<String> owners = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) owners.add(parts[i]);
      rules.add(new Rule(compile(parts[0]), owners));
    }
  }

  /** The CODEOWNERS file of a commit's files, or null when there is none (or it is 3 MB or more). */
  static CodeOwners of(Map<String, String> files) {
    for (String loc : LOCATIONS) {
      String text = files.get(loc);
      if (text != null) return text.length() >= 3_000_000 ? null : new CodeOwners(text);
    }
    return null;
  }

  /** Owners ("@user", "@org/team", emails) of the given paths, in first-seen order. */
  Set<String> ownersOf(Iterable<String> paths) {
    Set<String> out = new LinkedHashSet<>();
    for (String path : paths) {
      List<String> owners = List.of();
      for (Rule r : rules) if (r.pattern.matcher(path).matches()) owners = r.owners;
      out.addAll(owners);
    }
    return out;
  }

  /** gitignore-style pattern to regex: "/" anchors, trailing "/" means a directory, "*" stays in one segment. */
  static Pattern compile(String pattern) {
    boolean dir = pattern.endsWith("/");
    String p = dir ? pattern.substring(0, pattern.length() - 1) : pattern;
    boolean anchored = p.startsWith("/") || p.indexOf('/') > 0;
    if (p.startsWith("/")) p = p.substring(1);
    String last = p.substring(p.lastIndexOf('/') + 1);
    StringBuilder re = new StringBuilder(anchored ? "" : "(.*/)?");
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (p.startsWith("**/", i)) {
        re.append("(.*/)?");
        i += 2;
      } else if (p.startsWith("**", i)) {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    re.append(dir ? "/.*" : last.contains("*") ? "" : "(/.*)?");
    return Pattern.compile(re.toString());
  }
}
