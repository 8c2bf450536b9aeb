package dev.agentdispatch.trigger;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The Markdown replies of {@link BoundaryParser#admit}: what is wrong or missing, and how to add it. */
final class AdmissionReply {
  private static final String DOCS = "docs/task-boundaries.md";

  private AdmissionReply() {}

  static String errors(BoundaryParser.Parsed parsed) {
    return "agent-dispatch did not start this task: its task boundary could not be read.\n\n"
        + bullets(parsed.errors())
        + "\nEdit the issue to fix these lines, then ask again. The syntax is in `" + DOCS + "`.\n";
  }

  static String refused(BoundaryParser.Parsed parsed, Set<String> moduleNames) {
    TaskBoundary b = parsed.boundary();
    StringBuilder md = new StringBuilder("agent-dispatch did not start this task: this repository requires a"
        + " task boundary (`boundary: require`), and the issue is missing\n\n");
    md.append(bullets(parsed.missing()));
    md.append("\nAdd the missing lines to the issue, for example:\n\n```\n");
    if (!b.hasScope()) {
      md.append("Scope: src/http/**, docs/*.md\n");
    }
    if (!b.hasCondition()) {
      md.append("Done when: checks pass and approved\n");
    }
    md.append("```\n\n");
    if (!b.hasScope() && !moduleNames.isEmpty()) {
      md.append("A scope can also name a module of this repository: ")
          .append(moduleNames.stream().sorted().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
          .append(".\n");
    }
    md.append("Or open the issue with the **Agent task** form (`").append(BoundaryParser.ISSUE_FORM)
        .append("`), which asks for both. The syntax is in `").append(DOCS).append("`.\n");
    return md.toString();
  }

  static String warning(BoundaryParser.Parsed parsed) {
    return "Note: this task was started without\n\n" + bullets(parsed.missing())
        + "\nThe agent was asked to keep the change small. To bound the next task, add `Scope:` and `Done when:`"
        + " lines, or use the **Agent task** form (`" + BoundaryParser.ISSUE_FORM + "`); see `" + DOCS + "`.\n";
  }

  private static String bullets(List<String> lines) {
    return lines.stream().map(l -> "- " + l + "\n").collect(Collectors.joining());
  }
}
