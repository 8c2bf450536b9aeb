package dev.agentdispatch.trigger;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command in a comment (issue 5): {@code /copilot <instructions>}, {@code /copilot status}, {@code cancel},
 * {@code retry}, {@code resume} or {@code help}. Only the first visible line can hold a command, and only at
 * its start: a command in a quote ({@code > /copilot}), a code block or inline code is being talked about,
 * not given. The command and keyword ignore case; instructions may continue on the following lines.
 */
record CommandLine(Kind kind, String instructions) {
  static final String DEFAULT_COMMAND = "/copilot";

  /** What the comment asks for. */
  enum Kind { INSTRUCTIONS, STATUS, CANCEL, RETRY, RESUME, HELP }

  /** Where the first line ends; text after it continues the instructions. */
  private static final Pattern FIRST_LINE = Pattern.compile("^ {0,3}(\\S+)[ \\t]*(.*)$");

  static Optional<CommandLine> parse(String commentBody) {
    return parse(commentBody, DEFAULT_COMMAND);
  }

  /**
   * The command in {@code commentBody}, or empty when it holds none. A keyword alone on the first line is that
   * keyword, with any following lines as its instructions; anything else after the command is instructions.
   * A bare command is {@link Kind#HELP}.
   */
  static Optional<CommandLine> parse(String commentBody, String command) {
    String text = HiddenText.clean(commentBody); // leading blank lines and hidden text are not seen
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    String rest = nl < 0 ? "" : text.substring(nl + 1).strip();
    Matcher m = FIRST_LINE.matcher(first);
    if (!m.matches() || !m.group(1).equalsIgnoreCase(command)) {
      return Optional.empty(); // also a quote ("> /copilot"), a fence, inline code, or a command later on
    }
    String tail = m.group(2).strip();
    Kind keyword = keyword(tail);
    if (keyword != null) {
      return Optional.of(new CommandLine(keyword, rest));
    }
    String instructions = (tail + "\n" + rest).strip();
    return Optional.of(instructions.isEmpty() ? new CommandLine(Kind.HELP, "")
        : new CommandLine(Kind.INSTRUCTIONS, instructions));
  }

  private static Kind keyword(String tail) {
    return switch (tail.toLowerCase(Locale.ROOT)) {
      case "status" -> Kind.STATUS;
      case "cancel" -> Kind.CANCEL;
      case "retry" -> Kind.RETRY;
      case "resume" -> Kind.RESUME;
      case "help" -> Kind.HELP;
      default -> null;
    };
  }
}
