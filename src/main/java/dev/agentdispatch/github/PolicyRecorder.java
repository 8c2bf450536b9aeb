package dev.agentdispatch.github;

/** Hears every refused call; the audit trail will plug in here. */
@FunctionalInterface
public interface PolicyRecorder {
  void refused(PolicyViolation violation);
}
