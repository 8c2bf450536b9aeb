package dev.agentdispatch.agent;

import dev.agentdispatch.task.Task;
import dev.agentdispatch.trigger.BoundaryJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The text of a task's one status comment on its issue, rewritten at every status change: a headline, what
 * happened and what to do next, and a link to the agent session. The hidden marker names the task.
 */
final class StatusComment {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private StatusComment() {}

  static String render(Task task, String headline, String detail, String agentTaskId, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append("**Copilot agent: ").append(headline).append("**\n\n");
    if (detail != null && !detail.isBlank()) {
      b.append(detail).append("\n\n");
    }
    String boundary = boundary(task);
    if (boundary != null) {
      b.append(boundary).append('\n');
    }
    b.append("<sub>agent-dispatch task ").append(task.id());
    if (agentTaskId != null) {
      b.append(" · [agent session](").append(sessionUrl(task, agentTaskId)).append(")");
    }
    b.append(" · updated ").append(TIME.format(now)).append("</sub>\n");
    b.append("<!-- agent-dispatch:status task=").append(task.id()).append(" -->");
    return b.toString();
  }

  /** The task's boundary as the status comment shows it (issue 6), or null when none was stored or it is unreadable. */
  private static String boundary(Task task) {
    if (task.boundary() == null) {
      return null;
    }
    try {
      return BoundaryJson.read(task.boundary()).describe();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String at(Instant t) {
    return TIME.format(t);
  }

  /** Where a person watches the agent session (FACTS.md 1.5, html_url). */
  static String sessionUrl(Task task, String agentTaskId) {
    return "https://github.com/" + task.repository() + "/copilot/tasks/" + agentTaskId;
  }

  static String pullUrl(Task task, int number) {
    return "https://github.com/" + task.repository() + "/pull/" + number;
  }
}
