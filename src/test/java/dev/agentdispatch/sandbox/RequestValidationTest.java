package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestValidationTest {
  private static SimFixture f;
  private static String token;

  @BeforeAll static void start() {
    f = new SimFixture();
    token = f.installationToken();
  }

  @AfterAll static void stop() { f.close(); }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("comment without body", "POST", "/repos/octo-demo/webapp/issues/1/comments", Map.of()),
        Arguments.of("comment body of wrong type", "POST", "/repos/octo-demo/webapp/issues/1/comments", Map.of("body", 7)),
        Arguments.of("label without name", "POST", "/repos/octo-demo/webapp/labels", Map.of("color", "ffffff")),
        Arguments.of("reaction outside the enum", "POST", "/repos/octo-demo/webapp/issues/comments/1/reactions",
            Map.of("content", "thumbs")),
        Arguments.of("ref without sha", "POST", "/repos/octo-demo/webapp/git/refs", Map.of("ref", "refs/heads/x")),
        Arguments.of("check run without head_sha", "POST", "/repos/octo-demo/webapp/check-runs", Map.of("name", "ci")),
        Arguments.of("issue state outside the enum", "PATCH", "/repos/octo-demo/webapp/issues/1", Map.of("state", "gone")),
        Arguments.of("assignee item of wrong type", "PATCH", "/repos/octo-demo/webapp/issues/1", Map.of("assignees", List.of(3))),
        Arguments.of("milestone matching none of its forms", "PATCH", "/repos/octo-demo/webapp/issues/1", Map.of("milestone", true)),
        Arguments.of("labels matching none of the forms", "POST", "/repos/octo-demo/webapp/issues/1/labels", List.of(7)),
        Arguments.of("nested annotation field of wrong type", "POST", "/repos/octo-demo/webapp/check-runs",
            Map.of("name", "ci", "head_sha", "abc", "output", Map.of("title", "t", "summary", "s", "annotations",
                List.of(Map.of("path", "a", "start_line", "1", "end_line", 1, "annotation_level", "notice", "message", "m"))))),
        Arguments.of("completed_at not a date-time", "POST", "/repos/octo-demo/webapp/check-runs",
            Map.of("name", "ci", "head_sha", "abc", "completed_at", "yesterday")),
        Arguments.of("completed check run without conclusion", "PATCH", "/repos/octo-demo/webapp/check-runs/1",
            Map.of("status", "completed")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void body_breaking_the_openapi_schema_gets_422(String name, String method, String path, Object body) {
    SimFixture.Resp r = f.call(method, path, token, body);
    assertEquals(422, r.status(), String.valueOf(r.json()));
    assertEquals("Validation Failed", r.json().get("message").asText());
    assertEquals(true, r.json().get("errors").isArray());
  }

  @Test void errors_name_the_field_and_github_code() {
    SimFixture.Resp missing = f.post("/repos/octo-demo/webapp/labels", token, Map.of("color", "ffffff"));
    assertEquals("Label", missing.json().at("/errors/0/resource").asText(), String.valueOf(missing.json()));
    assertEquals("name", missing.json().at("/errors/0/field").asText());
    assertEquals("missing_field", missing.json().at("/errors/0/code").asText());
    SimFixture.Resp nested = f.post("/repos/octo-demo/webapp/check-runs", token, Map.of("name", "ci", "head_sha", "abc",
        "output", Map.of("title", "t", "summary", "s", "annotations", List.of(Map.of("path", "a", "start_line", 1)))));
    assertEquals(Set.of("output.annotations[0].end_line missing_field", "output.annotations[0].annotation_level missing_field",
        "output.annotations[0].message missing_field"), fieldsAndCodes(nested), String.valueOf(nested.json()));
    SimFixture.Resp item = f.call("PATCH", "/repos/octo-demo/webapp/issues/1", token, Map.of("labels", List.of(1.5)));
    assertEquals(Set.of("labels[0] invalid"), fieldsAndCodes(item), String.valueOf(item.json()));
  }

  @Test void nullable_fields_accept_null() {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("milestone", null);
    body.put("body", null);
    body.put("assignee", null);
    SimFixture.Resp r = f.call("PATCH", "/repos/octo-demo/webapp/issues/1", token, body);
    assertEquals(200, r.status(), String.valueOf(r.json()));
  }

  private static Set<String> fieldsAndCodes(SimFixture.Resp r) {
    assertEquals(422, r.status(), String.valueOf(r.json()));
    Set<String> s = new java.util.HashSet<>();
    r.json().get("errors").forEach(e -> s.add(e.get("field").asText() + " " + e.get("code").asText()));
    return s;
  }

  @Test void unknown_fields_pass_like_on_github_unless_strict() {
    String path = "/repos/octo-demo/webapp/issues/1/comments";
    assertEquals(201, f.post(path, token, Map.of("body", "ok", "bodyy", "typo")).status());
    f.sim.strictUnknownFields(true);
    try {
      assertEquals(422, f.post(path, token, Map.of("body", "ok", "bodyy", "typo")).status());
    } finally {
      f.sim.strictUnknownFields(false);
    }
  }

  @Test void malformed_json_gets_400() {
    assertEquals(400, f.call("POST", "/repos/octo-demo/webapp/issues/1/comments", token, "{oops").status());
  }

  @Test void unknown_route_gets_a_loud_404() {
    SimFixture.Resp r = f.get("/repos/octo-demo/webapp/wiki/pages", token);
    assertEquals(404, r.status());
    assertEquals("Not Found", r.json().get("message").asText());
  }

  @Test void lists_paginate_with_link_headers() {
    for (int i = 0; i < 3; i++) f.post("/repos/octo-demo/webapp/issues/2/comments", token, Map.of("body", "c" + i));
    SimFixture.Resp first = f.get("/repos/octo-demo/webapp/issues/2/comments?per_page=2", token);
    assertEquals(2, first.json().size());
    String link = first.header("Link");
    String next = link.substring(link.indexOf(f.sim.url()) + f.sim.url().length(), link.indexOf('>'));
    SimFixture.Resp second = f.get(next, token);
    assertEquals(1, second.json().size());
    assertEquals(true, second.header("Link").contains("rel=\"first\""));
  }

  @Test void valid_body_passes() {
    assertEquals(201, f.post("/repos/octo-demo/webapp/issues/1/comments", token, Map.of("body", "ok")).status());
    assertEquals(200, f.post("/repos/octo-demo/webapp/issues/1/labels", token, Map.of("labels", List.of(Map.of("name", "bug")))).status());
  }
}
