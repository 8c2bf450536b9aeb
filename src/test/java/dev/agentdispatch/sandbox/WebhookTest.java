package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {
  private static final String SECRET = "test-secret-not-real";
  private SimFixture f;
  private HookReceiver app;

  @BeforeEach void start() throws Exception {
    f = new SimFixture();
    app = new HookReceiver();
    f.sim.webhook(app.url(), SECRET);
  }

  @AfterEach void stop() {
    f.close();
    app.close();
  }

  @Test void signature_matches_githubs_documented_test_vector() {
    assertEquals("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        WebhookSender.hmac("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)));
  }

  @Test void bob_labelling_an_issue_sends_a_signed_issues_labeled_webhook() throws Exception {
    SimFixture.Resp r = f.post("/repos/octo-demo/webapp/issues/1/labels", f.sim.tokenOf("bob"),
        Map.of("labels", List.of("agent-task")));
    assertEquals(200, r.status());
    f.sim.awaitWebhooksIdle();

    List<HookReceiver.Received> got = app.events("issues");
    assertEquals(1, got.size());
    HookReceiver.Received d = got.get(0);
    String expected = "sha256=" + WebhookSender.hmac(SECRET, d.body());
    assertTrue(MessageDigest.isEqual(expected.getBytes(), d.header("X-Hub-Signature-256").getBytes()));
    assertNotNull(d.header("X-GitHub-Delivery"));
    assertEquals("integration", d.header("X-GitHub-Hook-Installation-Target-Type"));
    assertEquals(String.valueOf(f.sim.appId()), d.header("X-GitHub-Hook-Installation-Target-ID"));
    assertTrue(d.header("User-Agent").startsWith("GitHub-Hookshot/"));

    JsonNode p = SimFixture.JSON.readTree(d.body());
    assertEquals("labeled", p.get("action").asText());
    assertEquals("agent-task", p.get("label").get("name").asText());
    assertEquals(1, p.get("issue").get("number").asInt());
    assertEquals("octo-demo/webapp", p.get("repository").get("full_name").asText());
    assertEquals(f.sim.installationId(DemoWorld.ORG), p.get("installation").get("id").asLong());
    assertEquals("bob", p.get("sender").get("login").asText());
    assertEquals("octo-demo", p.get("organization").get("login").asText());
    assertTrue(f.sim.writeLog().contains("octo-demo/webapp#1:label:agent-task"));
  }

  @Test void comment_on_issue_sends_issue_comment_created_without_pull_request_field() throws Exception {
    f.post("/repos/octo-demo/webapp/issues/2/comments", f.sim.tokenOf("alice"), Map.of("body", "/copilot go"));
    f.sim.awaitWebhooksIdle();
    JsonNode p = SimFixture.JSON.readTree(app.events("issue_comment").get(0).body());
    assertEquals("created", p.get("action").asText());
    assertEquals("/copilot go", p.get("comment").get("body").asText());
    assertFalse(p.get("issue").has("pull_request"));
  }

  @Test void dropped_delivery_shows_as_failed_and_redelivery_sends_same_guid_and_bytes() throws Exception {
    f.sim.faults().dropWebhooks("issues", 1);
    f.post("/repos/octo-demo/webapp/issues/1/labels", f.sim.tokenOf("bob"), Map.of("labels", List.of("agent-task")));
    f.sim.awaitWebhooksIdle();
    assertTrue(app.events("issues").isEmpty());

    SimFixture.Resp list = f.get("/app/hook/deliveries", f.jwt());
    assertEquals(200, list.status());
    JsonNode failed = list.json().get(0);
    assertEquals("issues", failed.get("event").asText());
    assertEquals(502, failed.get("status_code").asInt());
    assertFalse("OK".equals(failed.get("status").asText()));

    SimFixture.Resp again = f.post("/app/hook/deliveries/" + failed.get("id").asLong() + "/attempts", f.jwt(), null);
    assertEquals(202, again.status());
    f.sim.awaitWebhooksIdle();
    assertEquals(1, app.events("issues").size());
    HookReceiver.Received d = app.events("issues").get(0);
    assertEquals(failed.get("guid").asText(), d.header("X-GitHub-Delivery"));
    SimDelivery first = f.sim.deliveries().stream().filter(x -> x.id == failed.get("id").asLong()).findFirst().get();
    assertEquals(new String(first.body, StandardCharsets.UTF_8), new String(d.body(), StandardCharsets.UTF_8));

    JsonNode newest = f.get("/app/hook/deliveries", f.jwt()).json().get(0);
    assertTrue(newest.get("redelivery").asBoolean());
    assertEquals("OK", newest.get("status").asText());
  }

  @Test void deliveries_paginate_with_a_cursor_in_the_link_header() {
    for (int i = 0; i < 3; i++) {
      f.post("/repos/octo-demo/webapp/issues/2/comments", f.sim.tokenOf("alice"), Map.of("body", "c" + i));
    }
    f.sim.awaitWebhooksIdle();
    SimFixture.Resp page1 = f.get("/app/hook/deliveries?per_page=2", f.jwt());
    assertEquals(2, page1.json().size());
    String link = page1.header("Link");
    assertTrue(link.contains("rel=\"next\""));
    String next = link.substring(link.indexOf(f.sim.url()) + f.sim.url().length(), link.indexOf('>'));
    SimFixture.Resp page2 = f.get(next, f.jwt());
    assertEquals(1, page2.json().size());
  }
}
