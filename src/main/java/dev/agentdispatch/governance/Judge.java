package dev.agentdispatch.governance;

import dev.agentdispatch.trigger.ScopeCheck;
import dev.agentdispatch.trigger.TaskBoundary;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Judges a pull request against its task's boundary, without side effects. In order: files outside the scope or
 * on protected paths fail it; else the first condition not met needs attention; else it stays pending while any
 * condition is undecided; else a condition left to a person needs attention (a person judges it); else it succeeded.
 */
final class Judge {
  static final String SCOPE = "scope";

  private Judge() {}

  static Verdict judge(TaskBoundary boundary, PullFacts facts) {
    ScopeCheck.Outside outside = ScopeCheck.outside(boundary, facts.files(), boundary.protectedPaths());
    if (!outside.isEmpty()) {
      return new Verdict(Outcome.FAILED, SCOPE, "Files changed outside the task's boundary:\n" + outside.describe(),
          facts.updatedAt());
    }
    List<ConditionCheck.Result> results = boundary.conditions().stream().map(c -> ConditionCheck.check(c, facts))
        .toList();
    for (ConditionCheck.Result r : results) {
      if (r.status() == ConditionCheck.Status.NOT_MET) {
        return new Verdict(Outcome.NEEDS_ATTENTION, r.condition().describe(), r.detail(), r.at());
      }
    }
    List<ConditionCheck.Result> pending = results.stream()
        .filter(r -> r.status() == ConditionCheck.Status.PENDING).toList();
    if (!pending.isEmpty()) {
      return Verdict.pending(String.join("; ", pending.stream().map(ConditionCheck.Result::detail).toList()));
    }
    Instant last = results.stream().map(ConditionCheck.Result::at).filter(Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(facts.updatedAt());
    for (ConditionCheck.Result r : results) {
      if (r.status() == ConditionCheck.Status.HUMAN) {
        return new Verdict(Outcome.NEEDS_ATTENTION, r.condition().describe(), "Every condition the app can check "
            + "holds; this one is for a person to judge. Merge the pull request if it is met.", last);
      }
    }
    ConditionCheck.Result deciding = results.stream().filter(r -> Objects.equals(r.at(), last)).reduce((a, b) -> b)
        .orElse(results.get(results.size() - 1));
    return new Verdict(Outcome.SUCCEEDED, deciding.condition().describe(), String.join("; ",
        results.stream().map(ConditionCheck.Result::detail).toList()), last);
  }
}
