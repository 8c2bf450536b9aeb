package dev.agentdispatch.governance;

import java.time.Instant;

/**
 * A judgement of a pull request: the outcome (null while pending), the condition that decided it in words, why,
 * and GitHub's time of the deciding event.
 */
record Verdict(Outcome outcome, String decidedBy, String detail, Instant decidedAt) {
  static Verdict pending(String detail) {
    return new Verdict(null, null, detail, null);
  }

  boolean isPending() {
    return outcome == null;
  }
}
