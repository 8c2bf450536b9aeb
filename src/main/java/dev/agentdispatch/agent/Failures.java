package dev.agentdispatch.agent;

import dev.agentdispatch.github.GitHubCallFailed;
import java.util.Locale;

/**
 * Sorts a failed GitHub call the transport has already retried: transient ones (no answer, 5xx, a rate limit
 * still in force) are worth another try later; permanent ones (401 revoked token, 403 permission, 404, 422)
 * are not, and fail the task at once.
 */
final class Failures {
  private Failures() {}

  static boolean isTransient(RuntimeException e) {
    if (!(e instanceof GitHubCallFailed f)) {
      return false;
    }
    int s = f.status();
    if (s == 0 || s >= 500 || s == 429) {
      return true;
    }
    String m = String.valueOf(f.getMessage()).toLowerCase(Locale.ROOT);
    return s == 403 && m.contains("rate limit");
  }

  /** A 401: the token expired or was revoked (never retried). */
  static boolean isUnauthorized(RuntimeException e) {
    return e instanceof GitHubCallFailed f && f.status() == 401;
  }

  /** What a person should do about a permanent failure, by status. */
  static String nextStep(RuntimeException e) {
    int s = e instanceof GitHubCallFailed f ? f.status() : -1;
    return switch (s) {
      case 401 -> "the agent token was revoked or has expired: replace AGENT_TOKEN, then label the issue again";
      case 403 -> "the agent token's user may not start Copilot here: it needs write access to the repository and a "
          + "Copilot Business or Enterprise seat (fix AGENT_TOKEN or the access), then label the issue again";
      case 404 -> "the repository or agent task is not visible to the agent token's user: check its access";
      case 422 -> "GitHub rejected the request (check base_branch and model in .github/agent-dispatch.yml), then "
          + "label the issue again";
      default -> "see the app log for this task, then label the issue again";
    };
  }
}
