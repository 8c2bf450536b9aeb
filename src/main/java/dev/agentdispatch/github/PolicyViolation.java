package dev.agentdispatch.github;

/**
 * A call the policy guard refused before it left the process: merging, touching a ref outside
 * {@code refs/heads/copilot/}, or writing files outside a {@code copilot/} branch. Never retried.
 */
public final class PolicyViolation extends RuntimeException {
  private final String rule;
  private final String method;
  private final String path;

  PolicyViolation(String rule, String method, String path, String reason) {
    super("refused " + method + " " + path + ": " + reason + " (rule " + rule + ")");
    this.rule = rule;
    this.method = method;
    this.path = path;
  }

  /** Short rule name, e.g. "no-merge", "ref-outside-copilot", "contents-outside-copilot". */
  public String rule() {
    return rule;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }
}
