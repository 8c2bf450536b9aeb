package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * The part of rulesets the simulator enforces: active branch rulesets with "creation" or "deletion" rules block
 * matching refs unless the app is a bypass actor (Integration with the app id). Patterns use glob matching.
 */
final class Rules {
  private Rules() {}

  static void checkCreate(SimRepo repo, String ref, Principal p) { check(repo, ref, p, "creation"); }

  static void checkDelete(SimRepo repo, String ref, Principal p) { check(repo, ref, p, "deletion"); }

  private static void check(SimRepo repo, String ref, Principal p, String ruleType) {
    for (ObjectNode rs : repo.rulesets) {
      if (!"active".equals(rs.path("enforcement").asText()) || !"branch".equals(rs.path("target").asText("branch"))) continue;
      if (!hasRule(rs, ruleType) || !matches(rs.path("conditions").path("ref_name"), repo, "refs/" + ref)) continue;
      if (bypasses(rs, p)) continue;
      throw new SimError(422, "Repository rule violations found\n\nCannot " + (ruleType.equals("creation") ? "create" : "delete")
          + " ref due to ruleset " + rs.path("name").asText());
    }
  }

  private static boolean hasRule(JsonNode rs, String type) {
    for (JsonNode r : rs.path("rules")) if (type.equals(r.path("type").asText())) return true;
    return false;
  }

  private static boolean bypasses(JsonNode rs, Principal p) {
    for (JsonNode b : rs.path("bypass_actors")) {
      if (p.kind() == Principal.Kind.INSTALLATION && "Integration".equals(b.path("actor_type").asText())) return true;
    }
    return false;
  }

  private static boolean matches(JsonNode refName, SimRepo repo, String fullRef) {
    boolean included = false;
    for (JsonNode inc : refName.path("include")) included |= glob(inc.asText(), repo, fullRef);
    for (JsonNode exc : refName.path("exclude")) if (glob(exc.asText(), repo, fullRef)) return false;
    return included;
  }

  private static boolean glob(String pattern, SimRepo repo, String fullRef) {
    if ("~ALL".equals(pattern)) return true;
    if ("~DEFAULT_BRANCH".equals(pattern)) return fullRef.equals("refs/heads/" + repo.defaultBranch);
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(fullRef));
  }
}
