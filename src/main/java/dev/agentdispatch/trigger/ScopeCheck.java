package dev.agentdispatch.trigger;

import java.util.List;

/** Which changed files of an agent pull request leave the task's scope or touch protected paths. */
public final class ScopeCheck {

  /**
   * The findings, each list in the order of the changed files. A boundary without a scope has nothing outside
   * it (there is nothing to hold the change to); protected paths are checked either way.
   */
  public record Outside(List<String> outsideScope, List<String> protectedChanged) {
    public boolean isEmpty() {
      return outsideScope.isEmpty() && protectedChanged.isEmpty();
    }

    /** Markdown lines for a review comment, empty when nothing is outside. */
    public String describe() {
      StringBuilder md = new StringBuilder();
      outsideScope.forEach(f -> md.append("- `").append(f).append("` is outside the task's scope\n"));
      protectedChanged.forEach(f -> md.append("- `").append(f).append("` is a protected path\n"));
      return md.toString();
    }
  }

  private ScopeCheck() {}

  public static Outside outside(TaskBoundary boundary, List<String> changedFiles, List<String> protectedPaths) {
    List<Glob> scope = boundary.scope().stream().map(Glob::of).toList();
    List<Glob> guarded = protectedPaths.stream().map(Glob::of).toList();
    List<String> outside = scope.isEmpty() ? List.of()
        : changedFiles.stream().filter(f -> scope.stream().noneMatch(g -> g.matches(f))).toList();
    List<String> touched = changedFiles.stream().filter(f -> guarded.stream().anyMatch(g -> g.matches(f))).toList();
    return new Outside(outside, touched);
  }
}
