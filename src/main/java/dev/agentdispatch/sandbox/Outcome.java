package dev.agentdispatch.sandbox;

/** How a simulated agent task ends. Pick one per task with {@link SimulatedAgent#scriptNext} or a prompt marker. */
public record Outcome(Kind kind, String message) {
  /** The scripted endings; the prompt marker is "[sim:" + name().toLowerCase() + "]". */
  public enum Kind { SUCCESS, FAILURE, TIMED_OUT, WAITING_FOR_USER, CONFLICT, ROGUE }

  public static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, null);
  public static final Outcome TIMED_OUT = new Outcome(Kind.TIMED_OUT, null);
  public static final Outcome WAITING_FOR_USER = new Outcome(Kind.WAITING_FOR_USER, null);
  public static final Outcome CONFLICT = new Outcome(Kind.CONFLICT, null);
  public static final Outcome ROGUE = new Outcome(Kind.ROGUE, null);

  public static Outcome failure(String message) { return new Outcome(Kind.FAILURE, message); }

  /** The outcome named by a "[sim:failure]"-style marker in the prompt, or null. */
  static Outcome fromPrompt(String prompt) {
    for (Kind k : Kind.values()) {
      if (prompt.contains("[sim:" + k.name().toLowerCase() + "]")) {
        return new Outcome(k, k == Kind.FAILURE ? "The agent encountered an error (scripted by prompt)" : null);
      }
    }
    return null;
  }
}
