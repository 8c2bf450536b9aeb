package dev.agentdispatch.governance;

import java.util.Locale;

/** How a task's pull request was judged against its boundary. Only {@link #SUCCEEDED} counts as a success. */
public enum Outcome {
  /** Every success condition holds (and nothing left the scope). */
  SUCCEEDED,
  /** A condition failed (a check, a conflict, changes requested) or is for a person to judge. */
  NEEDS_ATTENTION,
  /** The pull request broke its boundary: files outside the scope, or protected paths, changed. */
  FAILED,
  /** The task's timeout passed while the conditions were still undecided. */
  TIMED_OUT;

  /** The value stored in task_judgement.outcome. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How it reads in the status comment: "needs attention". */
  public String describe() {
    return column().replace('_', ' ');
  }

  public static Outcome fromColumn(String value) {
    return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** The outcomes the failure mode acts on once the rollback grace has passed. */
  public boolean callsForRollback() {
    return this != SUCCEEDED;
  }
}
