package dev.agentdispatch.task;

/**
 * Whether a limit lets a task start, and if not, which limit holds it, its value now and who can change it.
 * {@link #reason()} is the sentence the trigger posts on the issue and the audit stores, e.g.
 * "repository limit 2 of 2 running; raise max_concurrent_tasks in .github/agent-dispatch.yml".
 */
public record Decision(boolean allowed, String limit, String value, String changedBy, String reason) {
  private static final Decision ALLOW = new Decision(true, null, null, null, "allowed");

  public static Decision allow() {
    return ALLOW;
  }

  /**
   * @param limit the setting's name ({@code max_concurrent_tasks}, {@code MAX_TASKS_TOTAL}, ...)
   * @param what how the reason starts ("repository limit")
   * @param value the limit's state now ("2 of 2 running")
   * @param changedBy who changes it and how ("raise max_concurrent_tasks in .github/agent-dispatch.yml")
   */
  public static Decision hold(String limit, String what, String value, String changedBy) {
    return new Decision(false, limit, value, changedBy, what + " " + value + "; " + changedBy);
  }
}
