package dev.agentdispatch.task;

/**
 * Fields that ride along a transition; null leaves a column unchanged. {@code owner} names the instance: it
 * takes the lease when a task enters STARTING or RUNNING from an unleased state, and when the task is leased
 * it must be the holder, or the transition is refused as a lost race.
 */
public record Change(String owner, String error, String agentTaskId, String headRef, Integer pullNumber) {
  public static final Change NONE = new Change(null, null, null, null, null);

  public static Change by(String owner) {
    return new Change(owner, null, null, null, null);
  }

  public static Change error(String error) {
    return new Change(null, error, null, null, null);
  }

  public Change withError(String e) {
    return new Change(owner, e, agentTaskId, headRef, pullNumber);
  }

  public Change withAgentTask(String id) {
    return new Change(owner, error, id, headRef, pullNumber);
  }

  public Change withPullRequest(String head, int number) {
    return new Change(owner, error, agentTaskId, head, number);
  }
}
