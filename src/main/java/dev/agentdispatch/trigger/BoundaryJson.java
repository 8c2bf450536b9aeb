package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link TaskBoundary} as the JSON stored in agent_task.boundary and written to the audit, and back:
 * {@code {"scope":[..], "done_when":[{"kind":"named_checks_pass","checks":[..]}|{"kind":"human_judged","text":..}],
 * "timeout_seconds":2700, "on_failure":"notify @alice", "protected_paths":[..], "from_defaults":["timeout"]}}.
 */
public final class BoundaryJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BoundaryJson() {}

  public static String write(TaskBoundary b) {
    ObjectNode n = JSON.createObjectNode();
    strings(n.putArray("scope"), b.scope());
    ArrayNode done = n.putArray("done_when");
    for (SuccessCondition c : b.conditions()) {
      ObjectNode o = done.addObject().put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
      if (!c.checkNames().isEmpty()) {
        strings(o.putArray("checks"), c.checkNames());
      }
      if (c.text() != null) {
        o.put("text", c.text());
      }
    }
    n.put("timeout_seconds", b.timeout().toSeconds());
    n.put("on_failure", b.onFailure().toString());
    strings(n.putArray("protected_paths"), b.protectedPaths());
    strings(n.putArray("from_defaults"), b.fromDefaults().stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT))
        .sorted().toList());
    return n.toString();
  }

  /** The boundary, or {@link IllegalArgumentException} when the text is not a stored boundary. */
  public static TaskBoundary read(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("stored boundary is not JSON", e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("stored boundary is not a JSON object");
    }
    List<SuccessCondition> conditions = new ArrayList<>();
    for (JsonNode c : n.path("done_when")) {
      SuccessCondition.Kind kind = SuccessCondition.Kind.valueOf(c.path("kind").asText().toUpperCase(java.util.Locale.ROOT));
      conditions.add(new SuccessCondition(kind, strings(c.path("checks")),
          c.hasNonNull("text") ? c.get("text").asText() : null));
    }
    Set<TaskBoundary.Part> defaults = EnumSet.noneOf(TaskBoundary.Part.class);
    strings(n.path("from_defaults")).forEach(p -> defaults.add(TaskBoundary.Part.valueOf(p.toUpperCase(java.util.Locale.ROOT))));
    return new TaskBoundary(strings(n.path("scope")), conditions, Duration.ofSeconds(n.path("timeout_seconds").asLong()),
        FailureMode.parse(n.path("on_failure").asText()), strings(n.path("protected_paths")), defaults);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(v -> out.add(v.asText()));
    return out;
  }
}
