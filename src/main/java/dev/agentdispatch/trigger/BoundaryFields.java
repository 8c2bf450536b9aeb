package dev.agentdispatch.trigger;

import dev.agentdispatch.trigger.TaskBoundary.Part;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the boundary keys in visible issue text, in two spellings: a key line ({@code Scope: src/**}, also as
 * a list item or in bold) and the issue-form rendering ({@code ### Scope} followed by the value, where
 * {@code _No response_} means empty). Keys ignore case; the first non-empty occurrence wins; lines inside
 * fenced code blocks and quotes are not read. At most {@link #MAX_LINES} lines are read, and a value longer
 * than {@link #MAX_VALUE_CHARS} is an error rather than a slow parse.
 */
final class BoundaryFields {
  /** A real issue has a few dozen lines; past this, the rest is not read. */
  static final int MAX_LINES = 5_000;
  /** A scope or condition is a line or a short list; this bounds what the value readers see. */
  static final int MAX_VALUE_CHARS = 2_000;

  private static final String KEY = "(scope|done[ \\t-]+when|timeout|on[ \\t-]+failure)";
  private static final Pattern KEY_LINE = Pattern.compile(
      "^ {0,3}(?:[-*+] +)?[*_]{0,2}" + KEY + "[*_]{0,2}[ \\t]*:[*_]{0,2}[ \\t]*(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern KEY_HEADING =
      Pattern.compile("^ {0,3}#{1,6}[ \\t]+" + KEY + "[ \\t]*:?[ \\t#]*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern ANY_HEADING = Pattern.compile("^ {0,3}#{1,6}([ \\t].*)?$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final String NO_RESPONSE = "_No response_";

  /** The raw value of each key found, and any value too long to read. */
  record Fields(Map<Part, String> values, List<String> errors) {}

  private final Map<Part, String> values = new EnumMap<>(Part.class);
  private final List<String> errors = new ArrayList<>();

  private BoundaryFields() {}

  /** Reads {@code visible}, text already passed through {@link HiddenText#clean}. */
  static Fields read(String visible) {
    BoundaryFields f = new BoundaryFields();
    f.scan(visible.split("\n", MAX_LINES + 1));
    return new Fields(Map.copyOf(f.values), List.copyOf(f.errors));
  }

  private void scan(String[] lines) {
    String fence = null; // the opening fence while inside a fenced block
    Part section = null; // the issue-form heading being read
    StringBuilder sectionText = new StringBuilder();
    int count = Math.min(lines.length, MAX_LINES);
    for (int i = 0; i < count; i++) {
      String line = lines[i];
      Matcher fm = FENCE.matcher(line);
      if (fence != null) {
        if (fm.matches() && fm.group(1).charAt(0) == fence.charAt(0) && fm.group(1).length() >= fence.length()
            && fm.group(2).isBlank()) {
          fence = null;
        }
        continue;
      }
      if (fm.matches()) {
        fence = fm.group(1);
        continue;
      }
      if (ANY_HEADING.matcher(line).matches()) {
        finish(section, sectionText);
        Matcher hm = KEY_HEADING.matcher(line);
        section = hm.matches() ? part(hm.group(1)) : null;
        sectionText.setLength(0);
        continue;
      }
      if (section != null) {
        if (sectionText.length() <= MAX_VALUE_CHARS) {
          sectionText.append(line.length() > MAX_VALUE_CHARS ? line.substring(0, MAX_VALUE_CHARS + 1) : line)
              .append('\n');
        }
        continue;
      }
      Matcher km = KEY_LINE.matcher(line);
      if (km.matches()) {
        put(part(km.group(1)), km.group(2));
      }
    }
    finish(section, sectionText);
  }

  private void finish(Part section, StringBuilder text) {
    if (section == null) {
      return;
    }
    String value = text.toString().strip();
    put(section, value.equals(NO_RESPONSE) ? "" : value);
  }

  private void put(Part part, String raw) {
    String value = raw.strip();
    if (value.isEmpty() || values.containsKey(part)) {
      return;
    }
    if (value.length() > MAX_VALUE_CHARS) {
      if (errors.stream().noneMatch(e -> e.startsWith(part.key() + ":"))) {
        errors.add(part.key() + ": the value is longer than " + MAX_VALUE_CHARS
            + " characters; name directories or modules instead of listing every file");
      }
      values.put(part, "");
      return;
    }
    values.put(part, value);
  }

  private static Part part(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("scope")) {
      return Part.SCOPE;
    }
    if (k.startsWith("done")) {
      return Part.DONE_WHEN;
    }
    return k.startsWith("time") ? Part.TIMEOUT : Part.ON_FAILURE;
  }
}
