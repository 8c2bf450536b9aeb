package dev.agentdispatch.governance;

import dev.agentdispatch.trigger.SuccessCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One success condition against the facts of a pull request: met, not met, not decided yet, or for a person. */
final class ConditionCheck {
  enum Status { MET, NOT_MET, PENDING, HUMAN }

  /** {@code at}: GitHub's time of the event behind the result (check completed_at, review submitted_at, PR updated_at). */
  record Result(SuccessCondition condition, Status status, String detail, Instant at) {}

  private ConditionCheck() {}

  static Result check(SuccessCondition c, PullFacts f) {
    return switch (c.kind()) {
      case CHECKS_PASS -> checks(c, f, latestByName(f.checks()).values().stream().toList(), List.of());
      case NAMED_CHECKS_PASS -> named(c, f);
      case MERGEABLE -> f.mergeable() == null
          ? new Result(c, Status.PENDING, "GitHub has not computed mergeability yet", f.updatedAt())
          : f.mergeable() ? new Result(c, Status.MET, "no conflict with the base branch", f.updatedAt())
          : new Result(c, Status.NOT_MET, "the pull request conflicts with its base branch", f.updatedAt());
      case APPROVED -> approved(c, f);
      case HUMAN_JUDGED -> new Result(c, Status.HUMAN, "a person judges: " + c.text(), f.updatedAt());
    };
  }

  private static Result named(SuccessCondition c, PullFacts f) {
    Map<String, PullFacts.CheckRun> latest = latestByName(f.checks());
    List<PullFacts.CheckRun> runs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : c.checkNames()) {
      PullFacts.CheckRun run = latest.get(name);
      if (run == null) {
        missing.add(name);
      } else {
        runs.add(run);
      }
    }
    return checks(c, f, runs, missing);
  }

  private static Result checks(SuccessCondition c, PullFacts f, List<PullFacts.CheckRun> runs, List<String> missing) {
    for (PullFacts.CheckRun r : runs) {
      if (r.completed() && !r.passed()) {
        return new Result(c, Status.NOT_MET, "check \"" + r.name() + "\" concluded " + r.conclusion(), r.completedAt());
      }
    }
    if (!missing.isEmpty()) {
      return new Result(c, Status.PENDING, "no check run yet named " + String.join(", ", missing), f.updatedAt());
    }
    if (runs.isEmpty()) {
      return new Result(c, Status.PENDING, "no check runs on the head commit yet", f.updatedAt());
    }
    List<String> running = runs.stream().filter(r -> !r.completed()).map(PullFacts.CheckRun::name).toList();
    if (!running.isEmpty()) {
      return new Result(c, Status.PENDING, "still running: " + String.join(", ", running), f.updatedAt());
    }
    Instant last = runs.stream().map(PullFacts.CheckRun::completedAt).filter(Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(f.updatedAt());
    return new Result(c, Status.MET, runs.size() + (runs.size() == 1 ? " check" : " checks") + " passed: "
        + String.join(", ", runs.stream().map(PullFacts.CheckRun::name).toList()), last);
  }

  /** Each person's latest approving or change-requesting review counts; bots never do. */
  private static Result approved(SuccessCondition c, PullFacts f) {
    Map<String, PullFacts.Review> latest = new LinkedHashMap<>();
    for (PullFacts.Review r : f.reviews()) {
      if (!r.bot() && ("APPROVED".equals(r.state()) || "CHANGES_REQUESTED".equals(r.state())
          || "DISMISSED".equals(r.state()))) {
        latest.put(r.login(), r);
      }
    }
    for (PullFacts.Review r : latest.values()) {
      if ("CHANGES_REQUESTED".equals(r.state())) {
        return new Result(c, Status.NOT_MET, "@" + r.login() + " requested changes", r.submittedAt());
      }
    }
    return latest.values().stream().filter(r -> "APPROVED".equals(r.state()))
        .max(Comparator.comparing(PullFacts.Review::submittedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(r -> new Result(c, Status.MET, "approved by @" + r.login(), r.submittedAt()))
        .orElse(new Result(c, Status.PENDING, "no approval by a person yet", f.updatedAt()));
  }

  /** GitHub keeps every run; a re-run of a check supersedes the earlier one of the same name. */
  private static Map<String, PullFacts.CheckRun> latestByName(List<PullFacts.CheckRun> runs) {
    Map<String, PullFacts.CheckRun> latest = new LinkedHashMap<>();
    for (PullFacts.CheckRun r : runs) {
      PullFacts.CheckRun seen = latest.get(r.name());
      if (seen == null || seen.completed() && (!r.completed() || r.completedAt() != null && seen.completedAt() != null
          && r.completedAt().isAfter(seen.completedAt()))) {
        latest.put(r.name(), r);
      }
    }
    return latest;
  }
}
