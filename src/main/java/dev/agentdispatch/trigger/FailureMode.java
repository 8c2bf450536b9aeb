package dev.agentdispatch.trigger;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What happens to a task's work when it fails or times out: {@code close}, {@code keep-branch} or {@code notify @someone}. */
public record FailureMode(Action action, String recipient) {

  /** The three failure actions. */
  public enum Action { CLOSE, KEEP_BRANCH, NOTIFY }

  /** Same logins as {@code on_failure} in the repository config: a user, or an {@code org/team}. */
  private static final Pattern TEXT =
      Pattern.compile("(close|keep[- ]branch|notify\\s+(@[A-Za-z0-9-]+(?:/[A-Za-z0-9_.-]+)?))", Pattern.CASE_INSENSITIVE);

  public FailureMode {
    if ((action == Action.NOTIFY) != (recipient != null)) {
      throw new IllegalArgumentException("notify needs an @someone, and only notify has one");
    }
  }

  /**
   * Reads {@code close}, {@code keep-branch} (or {@code keep branch}) or {@code notify @someone}, ignoring case
   * and surrounding spaces; anything else throws {@link IllegalArgumentException} with a readable reason.
   */
  public static FailureMode parse(String text) {
    String s = text == null ? "" : text.strip();
    Matcher m = TEXT.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + Shorten.of(s) + "' is not a failure mode"
          + " (use close, keep-branch or notify @someone)");
    }
    String word = m.group(1).toLowerCase(Locale.ROOT);
    if (word.startsWith("close")) {
      return new FailureMode(Action.CLOSE, null);
    }
    if (word.startsWith("keep")) {
      return new FailureMode(Action.KEEP_BRANCH, null);
    }
    return new FailureMode(Action.NOTIFY, m.group(2));
  }

  /** The canonical spelling, as written in {@code On failure:} lines. */
  @Override
  public String toString() {
    return switch (action) {
      case CLOSE -> "close";
      case KEEP_BRANCH -> "keep-branch";
      case NOTIFY -> "notify " + recipient;
    };
  }

  /** One sentence for the agent and the status comment. */
  public String explain() {
    return switch (action) {
      case CLOSE -> "the pull request is closed and its branch deleted";
      case KEEP_BRANCH -> "the pull request is closed and its branch kept for a person to pick up";
      case NOTIFY -> recipient + " is notified and the pull request is left open";
    };
  }
}
