package dev.agentdispatch.trigger;

/**
 * Removes what a reader of the rendered issue does not see, so the agent and the boundary parser read the
 * same text a person reads: HTML comments (an unterminated one runs to the end, as in a browser), invisible
 * and bidirectional-control characters, variation selectors, other control characters. Line endings become {@code \n}, blank
 * lines hold no spaces, and runs of blank lines shrink to one. Every pass is linear in the input, and the
 * input is cut at {@link #MAX_INPUT_CHARS} first.
 */
final class HiddenText {
  /** Four times GitHub's 65,536-character body limit: enough for any real issue, bounded for hostile input. */
  static final int MAX_INPUT_CHARS = 262_144;
  /** Removing a comment can join {@code <!} and {@code --} into a new opener; a few passes settle that. */
  private static final int COMMENT_PASSES = 4;

  private HiddenText() {}

  /** The visible text of {@code raw} (null reads as empty). */
  static String clean(String raw) {
    if (raw == null) {
      return "";
    }
    String s = raw.length() > MAX_INPUT_CHARS ? raw.substring(0, MAX_INPUT_CHARS) : raw;
    s = dropInvisible(s);
    for (int i = 0; i < COMMENT_PASSES && s.contains("<!--"); i++) {
      s = dropComments(s);
    }
    if (s.contains("<!--")) { // still forming new openers: hide everything from the first one
      s = s.substring(0, s.indexOf("<!--"));
    }
    return squeezeBlankLines(s);
  }

  /** Whether the code point is removed: format (Cf) characters, tags, controls other than tab and newline. */
  static boolean isInvisible(int cp) {
    if (cp == '\n' || cp == '\t') {
      return false;
    }
    if (cp >= 0xE0000 && cp <= 0xE007F) { // tag characters, including the unassigned U+E0000
      return true;
    }
    if (cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF) { // variation selectors can carry
      return true;                                                      // bytes invisibly after any letter
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.CONTROL
        || cp == 0x00AD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }

  private static String dropInvisible(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\r') {
        out.append('\n');
        if (i < s.length() && s.charAt(i) == '\n') {
          i++;
        }
      } else if (cp == 0x2028 || cp == 0x2029) {
        out.append('\n');
      } else if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
        out.append(' '); // no-break and other spaces read as a plain space
      } else if (!isInvisible(cp)) {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** Drops {@code <!-- ... -->}; {@code <!-->} and {@code <!--->} are empty comments, as HTML parses them. */
  private static String dropComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int at = 0;
    while (at < s.length()) {
      int open = s.indexOf("<!--", at);
      if (open < 0) {
        out.append(s, at, s.length());
        break;
      }
      out.append(s, at, open);
      int body = open + 4;
      if (s.startsWith(">", body)) {
        at = body + 1;
      } else if (s.startsWith("->", body)) {
        at = body + 2;
      } else {
        int close = s.indexOf("-->", body);
        at = close < 0 ? s.length() : close + 3;
      }
    }
    return out.toString();
  }

  private static String squeezeBlankLines(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int blanks = 0;
    for (String line : s.split("\n", -1)) {
      if (line.isBlank()) {
        blanks++;
        continue;
      }
      if (out.length() > 0) {
        out.append(blanks > 0 ? "\n\n" : "\n");
      }
      blanks = 0;
      out.append(line);
    }
    return out.toString();
  }
}
