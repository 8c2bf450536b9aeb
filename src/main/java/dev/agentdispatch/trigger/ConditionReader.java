package dev.agentdispatch.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code Done when:} value: {@code checks pass}, {@code checks named X pass} (names bare or quoted,
 * separated by commas or {@code and}), {@code mergeable}, {@code approved}, joined by {@code and}, commas or
 * semicolons. Any other stretch of text becomes one condition judged by a human. The value is bounded by
 * {@link BoundaryFields#MAX_VALUE_CHARS}, so the look-ahead below stays small.
 */
final class ConditionReader {
  /** More than this many conditions is a specification, not a done condition. */
  static final int MAX_CONDITIONS = 20;

  private static final String END = "(?=[ \\t]*(?:[,;]|and\\b|\\.?[ \\t]*$))";
  private static final String NAME = "(?:\"[^\"\\n]{1,100}\"|'[^'\\n]{1,100}'|`[^`\\n]{1,100}`|[^\\s,;\"'`]{1,100})";
  private static final Pattern NAMED = Pattern.compile("(?:all[ \\t]+)?(?:the[ \\t]+)?checks?[ \\t]+named[ \\t]+("
      + NAME + "(?:[ \\t]*(?:,|and\\b)[ \\t]*" + NAME + ")*)[ \\t]+pass(?:es)?" + END, Pattern.CASE_INSENSITIVE);
  private static final Pattern ONE_NAME = Pattern.compile(NAME);
  private static final Pattern CHECKS =
      Pattern.compile("(?:all[ \\t]+)?(?:the[ \\t]+)?checks[ \\t]+pass" + END, Pattern.CASE_INSENSITIVE);
  private static final Pattern MERGEABLE = Pattern.compile(
      "(?:(?:the[ \\t]+)?(?:pr|pull[ \\t]+request)[ \\t]+is[ \\t]+)?mergeable" + END, Pattern.CASE_INSENSITIVE);
  private static final Pattern APPROVED = Pattern.compile(
      "(?:(?:the[ \\t]+)?(?:pr|pull[ \\t]+request)[ \\t]+is[ \\t]+)?approved" + END, Pattern.CASE_INSENSITIVE);
  private static final Pattern SEPARATOR = Pattern.compile("(?:[\\s,;.]|and\\b)+", Pattern.CASE_INSENSITIVE);
  private static final Pattern NEXT_SEPARATOR = Pattern.compile("[,;]|[ \\t]and\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern BULLET = Pattern.compile("(?m)^[ \\t]*[-*+][ \\t]+(?:\\[[ xX]\\][ \\t]+)?");

  /** The conditions, and an error when there are too many. */
  record Result(List<SuccessCondition> conditions, List<String> errors) {}

  private ConditionReader() {}

  static Result read(String value) {
    String text = BULLET.matcher(value).replaceAll("").replace('\n', ',');
    List<SuccessCondition> out = new ArrayList<>();
    int at = skipSeparators(text, 0);
    while (at < text.length()) {
      Matcher m = known(text, at);
      if (m != null) {
        out.add(condition(m));
        at = m.end();
      } else {
        int end = freeTextEnd(text, at);
        String free = text.substring(at, end).strip().replaceAll("[.,;]+$", "");
        if (!free.isEmpty()) {
          out.add(SuccessCondition.judgedByHuman(free));
        }
        at = end;
      }
      at = skipSeparators(text, at);
    }
    if (out.size() > MAX_CONDITIONS) {
      return new Result(List.of(), List.of("Done when: " + out.size() + " conditions is more than "
          + MAX_CONDITIONS + "; keep the conditions that decide the task is done"));
    }
    return new Result(List.copyOf(out), List.of());
  }

  /** Free text runs to the first separator followed by a known condition, or to the end. */
  private static int freeTextEnd(String text, int from) {
    Matcher sep = NEXT_SEPARATOR.matcher(text);
    int search = from;
    while (sep.find(search)) {
      if (known(text, skipSeparators(text, sep.start())) != null) {
        return sep.start();
      }
      search = sep.end();
    }
    return text.length();
  }

  private static Matcher known(String text, int at) {
    for (Pattern p : List.of(NAMED, CHECKS, MERGEABLE, APPROVED)) {
      Matcher m = p.matcher(text).region(at, text.length());
      m.useTransparentBounds(true).useAnchoringBounds(false);
      if (m.lookingAt()) {
        return m;
      }
    }
    return null;
  }

  private static SuccessCondition condition(Matcher m) {
    if (m.pattern() == NAMED) {
      List<String> names = new ArrayList<>();
      Matcher n = ONE_NAME.matcher(m.group(1));
      while (n.find()) {
        String name = n.group();
        if (name.equalsIgnoreCase("and")) {
          continue;
        }
        names.add("\"'`".indexOf(name.charAt(0)) >= 0 ? name.substring(1, name.length() - 1).strip() : name);
      }
      return SuccessCondition.checksNamed(names);
    }
    if (m.pattern() == CHECKS) {
      return SuccessCondition.checksPass();
    }
    return m.pattern() == MERGEABLE ? SuccessCondition.mergeable() : SuccessCondition.approved();
  }

  private static int skipSeparators(String text, int at) {
    Matcher m = SEPARATOR.matcher(text).region(at, text.length());
    return m.lookingAt() ? m.end() : at;
  }
}
