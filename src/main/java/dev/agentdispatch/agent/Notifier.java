package dev.agentdispatch.agent;

/**
 * Where task news goes besides the status comment: the outgoing notification webhook (Slack-compatible JSON)
 * when one is set in the settings. Sending never fails the caller; an implementation logs and drops.
 */
public interface Notifier {
  void send(Notice notice);

  /** No outgoing webhook configured. */
  static Notifier none() {
    return notice -> { };
  }

  /**
   * One piece of news. {@code event}: what happened, e.g. {@code task.finished}, {@code task.rollback};
   * {@code text}: one human sentence; {@code url}: the issue or pull request it is about (may be null).
   */
  record Notice(String event, String repository, Integer number, Long taskId, String outcome, String text,
      String url) { }
}
