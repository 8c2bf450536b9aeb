package dev.agentdispatch.trigger;

import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import dev.agentdispatch.trigger.TaskBoundary.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a task boundary (issue 6) from an issue's or command's text, over the repository config: {@code Scope:},
 * {@code Done when:}, {@code Timeout:} and {@code On failure:}, as key lines or as the rendering of the
 * {@value #ISSUE_FORM} issue form. The text is first reduced to what a reader sees ({@link HiddenText}), so a
 * key hidden in an HTML comment or split by zero-width characters reads the way it renders. Then
 * {@link #admit} applies the repository's {@code boundary: off | warn | require}. Pure: no I/O.
 */
public final class BoundaryParser {
  /** The issue form the app offers for agent tasks. */
  public static final String ISSUE_FORM = ".github/ISSUE_TEMPLATE/agent-task.yml";

  /** The boundary read (null when there are errors), the errors, and why a scope or condition is missing. */
  public record Parsed(TaskBoundary boundary, List<String> errors, List<String> missing) {
    public Parsed {
      errors = List.copyOf(errors);
      missing = List.copyOf(missing);
    }

    public boolean hasErrors() {
      return !errors.isEmpty();
    }
  }

  /**
   * Whether the task may be queued, the boundary it runs under (null when refused for errors), and the Markdown
   * reply to post on the issue: the refusal or the warning; empty when there is nothing to say.
   */
  public record Admission(boolean admitted, TaskBoundary boundary, String reply) {}

  private final RepoConfig config;

  public BoundaryParser(RepoConfig config) {
    this.config = config;
  }

  /** Reads the boundary from {@code text} (an issue body, or a command's instructions); null reads as empty. */
  public Parsed parse(String text) {
    BoundaryFields.Fields fields = BoundaryFields.read(HiddenText.clean(text));
    Map<Part, String> values = fields.values();
    List<String> errors = new ArrayList<>(fields.errors());
    List<String> missing = new ArrayList<>();
    Set<Part> defaults = EnumSet.noneOf(Part.class);

    ScopeReader.Result scope = ScopeReader.read(values.getOrDefault(Part.SCOPE, ""), config.modules(),
        config.allowWholeRepositoryScope());
    errors.addAll(scope.errors());
    if (scope.missingReason() != null) {
      missing.add("a scope: " + scope.missingReason());
    }

    ConditionReader.Result done = ConditionReader.read(values.getOrDefault(Part.DONE_WHEN, ""));
    errors.addAll(done.errors());
    if (done.conditions().isEmpty() && done.errors().isEmpty()) {
      missing.add("a success condition: no `Done when:` was given");
    }

    Duration timeout = config.taskTimeout();
    if (values.containsKey(Part.TIMEOUT) && !values.get(Part.TIMEOUT).isEmpty()) {
      try {
        timeout = Timeouts.parse(values.get(Part.TIMEOUT));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    } else {
      defaults.add(Part.TIMEOUT);
    }

    FailureMode onFailure = defaultFailureMode();
    if (values.containsKey(Part.ON_FAILURE) && !values.get(Part.ON_FAILURE).isEmpty()) {
      try {
        onFailure = FailureMode.parse(values.get(Part.ON_FAILURE));
      } catch (IllegalArgumentException e) {
        errors.add("On failure: " + e.getMessage());
      }
    } else {
      defaults.add(Part.ON_FAILURE);
    }

    TaskBoundary boundary = errors.isEmpty() ? new TaskBoundary(scope.globs(), done.conditions(), timeout,
        onFailure, config.protectedPaths(), defaults) : null;
    return new Parsed(boundary, errors, missing);
  }

  /** Parses {@code text} and decides under this repository's {@code boundary} mode. */
  public Admission admit(String text) {
    return admit(parse(text), config.boundary(), config.modules().keySet());
  }

  /**
   * The decision: errors refuse in every mode (a task never runs under terms other than those written);
   * a missing scope or condition refuses under {@code require}, is admitted with a note under {@code warn},
   * and is admitted silently under {@code off}.
   */
  static Admission admit(Parsed parsed, BoundaryMode mode, Set<String> moduleNames) {
    if (parsed.hasErrors()) {
      return new Admission(false, null, AdmissionReply.errors(parsed));
    }
    if (parsed.missing().isEmpty() || mode == BoundaryMode.OFF) {
      return new Admission(true, parsed.boundary(), "");
    }
    if (mode == BoundaryMode.REQUIRE) {
      return new Admission(false, parsed.boundary(), AdmissionReply.refused(parsed, moduleNames));
    }
    return new Admission(true, parsed.boundary(), AdmissionReply.warning(parsed));
  }

  private FailureMode defaultFailureMode() {
    try {
      return FailureMode.parse(config.onFailure());
    } catch (IllegalArgumentException | NullPointerException e) {
      return FailureMode.parse(RepoConfig.DEFAULTS.onFailure()); // the config loader already reported it
    }
  }
}
