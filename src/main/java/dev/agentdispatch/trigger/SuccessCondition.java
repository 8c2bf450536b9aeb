package dev.agentdispatch.trigger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One part of a task's {@code Done when:} line. The app can check all kinds but {@link Kind#HUMAN_JUDGED},
 * which is passed to the agent as written and left for a person to judge.
 */
public record SuccessCondition(Kind kind, List<String> checkNames, String text) {

  /** The conditions {@code Done when:} understands, and free text. */
  public enum Kind {
    /** {@code checks pass}: every check on the pull request's head commit succeeded. */
    CHECKS_PASS,
    /** {@code checks named build, "unit tests" pass}: these checks succeeded. */
    NAMED_CHECKS_PASS,
    /** {@code mergeable}: GitHub reports the pull request as mergeable. */
    MERGEABLE,
    /** {@code approved}: the pull request has an approving review. */
    APPROVED,
    /** Anything else: kept as written, judged by a human. */
    HUMAN_JUDGED
  }

  public SuccessCondition {
    checkNames = List.copyOf(checkNames);
    if ((kind == Kind.NAMED_CHECKS_PASS) == checkNames.isEmpty()) {
      throw new IllegalArgumentException("only checks named ... pass has check names, and it needs one");
    }
    if ((kind == Kind.HUMAN_JUDGED) == (text == null)) {
      throw new IllegalArgumentException("only a human-judged condition has free text, and it needs some");
    }
  }

  public static SuccessCondition checksPass() {
    return new SuccessCondition(Kind.CHECKS_PASS, List.of(), null);
  }

  public static SuccessCondition checksNamed(List<String> names) {
    return new SuccessCondition(Kind.NAMED_CHECKS_PASS, names, null);
  }

  public static SuccessCondition mergeable() {
    return new SuccessCondition(Kind.MERGEABLE, List.of(), null);
  }

  public static SuccessCondition approved() {
    return new SuccessCondition(Kind.APPROVED, List.of(), null);
  }

  public static SuccessCondition judgedByHuman(String text) {
    return new SuccessCondition(Kind.HUMAN_JUDGED, List.of(), text);
  }

  /** Whether the app can decide this condition on its own. */
  public boolean isCheckedByApp() {
    return kind != Kind.HUMAN_JUDGED;
  }

  /** Plain words, e.g. {@code checks "build", "lint" pass} or {@code judged by a human: the page loads fast}. */
  public String describe() {
    return switch (kind) {
      case CHECKS_PASS -> "all checks pass";
      case NAMED_CHECKS_PASS -> (checkNames.size() == 1 ? "the check " : "the checks ")
          + checkNames.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
          + (checkNames.size() == 1 ? " passes" : " pass");
      case MERGEABLE -> "the pull request is mergeable";
      case APPROVED -> "the pull request is approved";
      case HUMAN_JUDGED -> "judged by a human: " + text;
    };
  }
}
