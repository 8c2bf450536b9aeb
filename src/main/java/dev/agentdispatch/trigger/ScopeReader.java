package dev.agentdispatch.trigger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code Scope:} value: paths or globs separated by commas or spaces, or names of the repository's
 * {@code modules}, each replaced by its globs. A scope covering the whole repository counts as no scope,
 * unless the repository allows it.
 */
final class ScopeReader {
  /** A scope names a few areas; a hundred globs is already a whole-repository change in disguise. */
  static final int MAX_GLOBS = 100;
  private static final Pattern SEPARATOR = Pattern.compile("[\\s,]+");
  private static final Pattern BULLET = Pattern.compile("(?m)^[ \\t]*[-*+][ \\t]+");
  private static final Pattern PATH = Pattern.compile("[\\p{L}\\p{N}._\\-/*?\\[\\]!@+~=#$%&()]+");
  private static final Pattern ONLY_STARS = Pattern.compile("[*/]*");

  /** The globs (empty when there is no usable scope), errors, and why the scope counts as missing, if it does. */
  record Result(List<String> globs, List<String> errors, String missingReason) {}

  private ScopeReader() {}

  static Result read(String value, Map<String, List<String>> modules, boolean allowWholeRepository) {
    Set<String> globs = new LinkedHashSet<>();
    List<String> errors = new ArrayList<>();
    String whole = null;
    for (String raw : SEPARATOR.split(BULLET.matcher(value).replaceAll(""))) {
      String token = unquote(raw);
      if (token.isEmpty() || token.equalsIgnoreCase("and") && !modules.containsKey(token)) {
        continue;
      }
      List<String> expanded = modules.containsKey(token) ? modules.get(token) : List.of(token);
      for (String glob : expanded) {
        String g = glob.startsWith("./") ? glob.substring(1) : glob;
        if (!PATH.matcher(g).matches()) {
          errors.add("Scope: '" + Shorten.of(g) + "' is not a path, glob or module name" + known(modules));
        } else if (("/" + g + "/").contains("/../")) {
          errors.add("Scope: '" + Shorten.of(g) + "' leaves the repository; paths start at the repository root");
        } else if (isWholeRepository(g)) {
          whole = whole == null ? g : whole;
          globs.add(g);
        } else {
          globs.add(g);
        }
      }
    }
    if (globs.size() > MAX_GLOBS) {
      errors.add("Scope: " + globs.size() + " paths is more than " + MAX_GLOBS
          + "; name directories (`src/http/`) or modules instead");
    }
    if (whole != null && !allowWholeRepository) {
      return new Result(List.of(), errors, "`Scope: " + whole + "` covers the whole repository, which this"
          + " repository does not accept as a scope (`allow_whole_repository_scope: false`)");
    }
    return new Result(List.copyOf(globs), errors, globs.isEmpty() ? "no `Scope:` was given" : null);
  }

  /** {@code **}, {@code *}, {@code /}, {@code .}, {@code /**}, {@code ./}, {@code **}{@code /*} and the like. */
  static boolean isWholeRepository(String glob) {
    String g = glob.startsWith("./") ? glob.substring(2) : glob;
    return g.equals(".") || ONLY_STARS.matcher(g).matches();
  }

  private static String unquote(String token) {
    String t = token;
    while (t.length() >= 2 && "`\"'".indexOf(t.charAt(0)) >= 0 && t.charAt(t.length() - 1) == t.charAt(0)) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }

  private static String known(Map<String, List<String>> modules) {
    return modules.isEmpty() ? "" : " (modules here: " + String.join(", ", modules.keySet().stream().sorted().toList()) + ")";
  }
}
