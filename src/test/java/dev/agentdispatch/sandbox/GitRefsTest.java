package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitRefsTest {
  private static final String R = "/repos/octo-demo/webapp";
  private SimFixture f;
  private String token;
  private String main;

  @BeforeEach void start() {
    f = new SimFixture();
    token = f.installationToken();
    main = f.get(R + "/git/ref/heads/main", token).json().get("object").get("sha").asText();
  }

  @AfterEach void stop() { f.close(); }

  @Test void branch_names_with_slashes_work_plain_and_percent_encoded() {
    assertEquals(201, f.post(R + "/git/refs", token, Map.of("ref", "refs/heads/copilot/fix-1", "sha", main)).status());
    assertEquals("refs/heads/copilot/fix-1", f.get(R + "/git/ref/heads/copilot/fix-1", token).json().get("ref").asText());
    assertEquals(200, f.get(R + "/git/ref/heads%2Fcopilot%2Ffix-1", token).status());
    assertEquals(204, f.call("DELETE", R + "/git/refs/heads%2Fcopilot%2Ffix-1", token, null).status());
    assertEquals(422, f.call("DELETE", R + "/git/refs/heads/copilot/fix-1", token, null).status());
    assertTrue(f.sim.writeLog().contains("octo-demo/webapp:delete-ref:heads/copilot/fix-1"));
  }

  @Test void creation_rule_blocks_users_outside_copilot_branches_but_the_app_bypasses() {
    f.post(R + "/rulesets", f.sim.tokenOf("alice"), Map.of("name", "only copilot/", "target", "branch",
        "enforcement", "active", "bypass_actors", List.of(Map.of("actor_id", f.sim.appId(), "actor_type", "Integration",
            "bypass_mode", "always")),
        "conditions", Map.of("ref_name", Map.of("include", List.of("~ALL"), "exclude", List.of("refs/heads/copilot/**"))),
        "rules", List.of(Map.of("type", "creation"))));
    String bob = f.sim.tokenOf("bob");
    assertEquals(422, f.post(R + "/git/refs", bob, Map.of("ref", "refs/heads/hotfix", "sha", main)).status());
    assertEquals(201, f.post(R + "/git/refs", bob, Map.of("ref", "refs/heads/copilot/x", "sha", main)).status());
    assertEquals(201, f.post(R + "/git/refs", token, Map.of("ref", "refs/heads/hotfix", "sha", main)).status());
  }

  @Test void contents_follow_the_ref() {
    f.sim.world().branch(DemoWorld.REPO, "feature", "main", Map.of("README.md", "changed"));
    String onMain = f.get(R + "/contents/README.md", token).json().get("content").asText();
    String onFeature = f.get(R + "/contents/README.md?ref=feature", token).json().get("content").asText();
    assertTrue(!onMain.equals(onFeature));
    assertEquals(404, f.get(R + "/contents/nope.txt", token).status());
  }
}
