package dev.agentdispatch.github;

/** A GitHub call that did not succeed: the HTTP status (0 when no answer came) and GitHub's message. */
public class GitHubCallFailed extends RuntimeException {
  private final int status;

  public GitHubCallFailed(String what, int status, String message) {
    super(what + " failed" + (status > 0 ? " with " + status : "") + (message == null ? "" : ": " + message));
    this.status = status;
  }

  public GitHubCallFailed(String what, Throwable cause) {
    super(what + " failed: " + cause.getClass().getSimpleName(), cause);
    this.status = 0;
  }

  public int status() {
    return status;
  }
}
