package dev.agentdispatch.trigger;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an agent task may touch and when it is done: the scope (path globs, empty when none was declared), the
 * success conditions (empty when none), the timeout, what happens on failure, and the repository's protected
 * paths. {@code fromDefaults} names the parts taken from the repository config rather than the issue.
 */
public record TaskBoundary(List<String> scope, List<SuccessCondition> conditions, Duration timeout,
    FailureMode onFailure, List<String> protectedPaths, Set<Part> fromDefaults) {

  /** The parts of a boundary, each with the key that sets it in an issue. */
  public enum Part {
    SCOPE("Scope"), DONE_WHEN("Done when"), TIMEOUT("Timeout"), ON_FAILURE("On failure");

    private final String key;

    Part(String key) {
      this.key = key;
    }

    /** The key as written in an issue, e.g. {@code Done when}. */
    public String key() {
      return key;
    }
  }

  public TaskBoundary {
    scope = List.copyOf(scope);
    conditions = List.copyOf(conditions);
    protectedPaths = List.copyOf(protectedPaths);
    fromDefaults = fromDefaults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fromDefaults));
  }

  public boolean hasScope() {
    return !scope.isEmpty();
  }

  public boolean hasCondition() {
    return !conditions.isEmpty();
  }

  /** Markdown for the task's status comment. */
  public String describe() {
    StringBuilder md = new StringBuilder("**Task boundary**\n\n");
    md.append("- **Scope:** ").append(hasScope() ? code(scope) : "_not declared_").append('\n');
    md.append("- **Done when:** ");
    if (hasCondition()) {
      md.append(conditions.stream().map(c -> c.isCheckedByApp() ? c.describe()
          : "_judged by a human:_ " + c.text()).collect(Collectors.joining("; ")));
    } else {
      md.append("_not declared_");
    }
    md.append('\n');
    md.append("- **Timeout:** ").append(Timeouts.format(timeout)).append(origin(Part.TIMEOUT)).append('\n');
    md.append("- **On failure:** `").append(onFailure).append('`').append(origin(Part.ON_FAILURE)).append('\n');
    if (!protectedPaths.isEmpty()) {
      md.append("- **Protected paths:** ").append(code(protectedPaths)).append('\n');
    }
    return md.toString();
  }

  /** Plain text for the agent's prompt: scope, done condition, timeout, failure mode and protected paths. */
  public String forPrompt() {
    StringBuilder t = new StringBuilder();
    t.append("Scope: ").append(hasScope()
        ? "change only files matching " + String.join(", ", scope)
        : "not declared; keep the change as small as the task needs").append('\n');
    t.append("Done when: ");
    if (hasCondition()) {
      t.append(conditions.stream().map(SuccessCondition::describe).collect(Collectors.joining("; and ")));
      if (conditions.stream().anyMatch(c -> !c.isCheckedByApp())) {
        t.append(" (conditions judged by a human are checked by a person reviewing the pull request)");
      }
    } else {
      t.append("not declared; the pull request is reviewed by a person");
    }
    t.append('\n');
    t.append("Timeout: ").append(Timeouts.format(timeout)).append("; work still running then is stopped\n");
    t.append("On failure: ").append(onFailure.explain()).append('\n');
    if (!protectedPaths.isEmpty()) {
      t.append("Protected paths (must not be changed, even if inside the scope): ")
          .append(String.join(", ", protectedPaths)).append('\n');
    }
    return t.toString();
  }

  private String origin(Part part) {
    return fromDefaults.contains(part) ? " (repository default)" : "";
  }

  private static String code(List<String> items) {
    return items.stream().map(i -> "`" + i + "`").collect(Collectors.joining(", "));
  }
}
