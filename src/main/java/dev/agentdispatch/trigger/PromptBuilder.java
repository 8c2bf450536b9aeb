package dev.agentdispatch.trigger;

import java.util.Objects;

/**
 * Builds the agent's prompt (issue 5) from an issue's title, body and link, or from a {@code /copilot}
 * command's instructions plus the issue, and appends the task boundary as a delimited section. Hidden text is
 * removed first ({@link HiddenText}), as GitHub does before its own agent reads an issue, so the agent reads
 * what people read. The prompt is at most {@code maxChars}: the issue text is cut at a line boundary and ends
 * with {@link #TRUNCATED_NOTE}; the boundary section is never cut. Pure: no I/O.
 */
public final class PromptBuilder {
  /** The agent tasks API takes longer prompts, but a long prompt buries the task; this keeps it readable. */
  public static final int DEFAULT_MAX_CHARS = 16_000;
  /** Room for the boundary section (bounded by the parser's limits) and some issue text. */
  static final int MIN_MAX_CHARS = 8_000;
  static final int MAX_TITLE_CHARS = 256;
  static final String TRUNCATED_NOTE = "[truncated: the issue is longer than the agent prompt limit]";
  static final String BOUNDARY_START =
      "=== Task boundary (set by agent-dispatch from the issue and the repository config) ===";
  static final String BOUNDARY_END = "=== End of task boundary ===";

  private final int maxChars;

  public PromptBuilder() {
    this(DEFAULT_MAX_CHARS);
  }

  public PromptBuilder(int maxChars) {
    if (maxChars < MIN_MAX_CHARS) {
      throw new IllegalArgumentException("the prompt limit must be at least " + MIN_MAX_CHARS + ", got " + maxChars);
    }
    this.maxChars = maxChars;
  }

  /** The prompt for an issue labelled for the agent. */
  public String forIssue(String title, String body, String htmlUrl, TaskBoundary boundary) {
    return build(issue(title, body, htmlUrl), boundary);
  }

  /** The prompt for {@code /copilot <instructions>} on an issue: the instructions first, then the issue. */
  public String forCommand(String instructions, String title, String body, String htmlUrl, TaskBoundary boundary) {
    String request = "Requested in a comment on " + oneLine(htmlUrl) + ":\n\n" + HiddenText.clean(instructions);
    return build(request + "\n\n" + issue(title, body, htmlUrl), boundary);
  }

  private String build(String userText, TaskBoundary boundary) {
    Objects.requireNonNull(boundary, "boundary");
    String section = BOUNDARY_START + "\n" + boundary.forPrompt() + BOUNDARY_END + "\n";
    String text = neutraliseDelimiters(userText);
    int budget = Math.max(0, maxChars - section.length() - 2);
    if (text.length() > budget) {
      text = cut(text, Math.max(0, budget - TRUNCATED_NOTE.length() - 2)) + "\n\n" + TRUNCATED_NOTE;
    }
    return text + "\n\n" + section;
  }

  private static String issue(String title, String body, String htmlUrl) {
    String t = oneLine(title);
    if (t.length() > MAX_TITLE_CHARS) {
      t = cut(t, MAX_TITLE_CHARS);
    }
    String b = HiddenText.clean(body);
    return "Issue: " + t + "\nLink: " + oneLine(htmlUrl) + (b.isEmpty() ? "" : "\n\n" + b);
  }

  /** Cuts at the last line break within {@code limit}, or at {@code limit} when one line is longer. */
  private static String cut(String s, int limit) {
    if (s.length() <= limit) {
      return s;
    }
    int nl = s.lastIndexOf('\n', limit);
    int end = nl > 0 ? nl : limit;
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end).stripTrailing();
  }

  private static String oneLine(String s) {
    return HiddenText.clean(s).replaceAll("\\s+", " ").strip();
  }

  /** Issue lines that imitate the boundary's delimiters are quoted, so only the real section reads as one. */
  private static String neutraliseDelimiters(String text) {
    return text.contains("===") ? text.replaceAll("(?m)^(?=[ \\t]*===)", "> ") : text;
  }
}
