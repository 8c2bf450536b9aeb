package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestServer;
import dev.agentdispatch.TestEnv;
import dev.agentdispatch.store.InboxStore.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookReceiverHttpTest {
  static final long MAX = 25L * 1024 * 1024;
  static final String WEBHOOKS = "/api/github/webhooks";

  // One app for the class (each start/stop costs about a second); tests use fresh delivery ids and
  // compare row counts and metrics with their values before the test.
  @TempDir
  static Path dir;
  static TestServer t;
  long rowsBefore;

  @BeforeAll
  static void start() {
    t = TestServer.start(TestEnv.env(dir));
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  @BeforeEach
  void countRows() {
    rowsBefore = allRows();
  }

  long newRows() {
    return allRows() - rowsBefore;
  }

  static byte[] example(String name) throws IOException {
    return Files.readAllBytes(TestEnv.webhookExamples().resolve(name));
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  long rowsFor(String deliveryId) {
    return t.app.database().read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM inbox WHERE delivery_id = ?")) {
        ps.setString(1, deliveryId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  long allRows() {
    return t.app.inboxStore().countByState().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void stored_delivery_answers_202_and_the_row_is_in_the_inbox() throws IOException {
    byte[] body = example("check_suite.requested.1.json");
    PayloadSummary summary = PayloadSummary.of(body);
    String id = newId();
    HttpResponse<String> r = t.post("check_suite", id, body);
    assertEquals(202, r.statusCode(), r.body());
    assertTrue(r.body().contains(id), r.body());
    Row row = t.app.inboxStore().find(id).orElseThrow();
    assertEquals("check_suite", row.event());
    assertEquals("requested", row.action());
    assertEquals(summary.installationId(), row.installationId());
    assertTrue(row.installationId() != null && row.installationId() > 0);
    assertEquals(summary.repository(), row.repository());
    assertTrue(row.repository().contains("/"));
    assertEquals(summary.sender(), row.sender());
    assertTrue(Arrays.equals(body, t.app.inboxStore().payload(row.id())), "payload stored byte-exactly");
  }

  @Test
  void duplicate_delivery_answers_200_and_stores_nothing() throws IOException {
    byte[] body = example("issues.labeled.1.json");
    String id = newId();
    double duplicates = t.metric("agent_dispatch_webhook_deliveries_total{event=\"issues\",outcome=\"duplicate\"}");
    assertEquals(202, t.post("issues", id, body).statusCode());
    HttpResponse<String> again = t.post("issues", id, body);
    assertEquals(200, again.statusCode(), again.body());
    assertTrue(again.body().contains("duplicate"), again.body());
    assertEquals(1, rowsFor(id));
    assertEquals(1, newRows());
    assertEquals(duplicates + 1,
        t.metric("agent_dispatch_webhook_deliveries_total{event=\"issues\",outcome=\"duplicate\"}"));
  }

  @Test
  void ping_answers_200_and_stores_nothing() throws IOException {
    HttpResponse<String> r = t.post("ping", newId(), example("ping.1.json"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("ping"), r.body());
    assertEquals(0, newRows());
  }

  @Test
  void missing_signature_answers_401_and_stores_nothing() throws IOException {
    HttpResponse<String> r = t.send(t.webhook("issues", newId(), example("issues.labeled.1.json"))
        .setHeader("X-Hub-Signature-256", ""));
    assertEquals(401, r.statusCode(), r.body());
    HttpRequest.Builder unsigned = HttpRequest.newBuilder(t.uri(WEBHOOKS))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "issues")
        .header("X-GitHub-Delivery", newId()).POST(HttpRequest.BodyPublishers.ofString("{}"));
    HttpResponse<String> none = t.send(unsigned);
    assertEquals(401, none.statusCode(), none.body());
    assertTrue(none.body().contains("X-Hub-Signature-256"), none.body());
    assertEquals(0, newRows());
  }

  @Test
  void wrong_signature_answers_401_stores_nothing_and_counts_a_signature_failure() throws IOException {
    byte[] body = example("issues.labeled.1.json");
    double before = t.metric("agent_dispatch_webhook_signature_failures_total");
    byte[] tampered = body.clone();
    tampered[tampered.length / 2] ^= 1;
    HttpResponse<String> r = t.send(t.webhook("issues", newId(), body)
        .POST(HttpRequest.BodyPublishers.ofByteArray(tampered)));
    assertEquals(401, r.statusCode(), r.body());
    HttpResponse<String> other = t.send(t.webhook("issues", newId(), body)
        .setHeader("X-Hub-Signature-256", Signatures.sign("not-the-secret", body)));
    assertEquals(401, other.statusCode(), other.body());
    assertEquals(0, newRows());
    assertEquals(before + 2, t.metric("agent_dispatch_webhook_signature_failures_total"));
  }

  @Test
  void signed_with_the_old_secret_fails_unless_webhook_secret_holds_both() throws IOException {
    byte[] body = example("issues.labeled.1.json");
    String oldSignature = Signatures.sign(TestEnv.OLD_SECRET, body);
    assertEquals(401, t.send(t.webhook("issues", newId(), body).setHeader("X-Hub-Signature-256", oldSignature))
        .statusCode());
    Map<String, String> env = TestEnv.env(dir.resolve("rotating"));
    env.put("WEBHOOK_SECRET", TestEnv.SECRET + "," + TestEnv.OLD_SECRET);
    try (TestServer rotating = TestServer.start(env)) {
      assertEquals(202, rotating.send(rotating.webhook("issues", newId(), body)
          .setHeader("X-Hub-Signature-256", oldSignature)).statusCode());
      assertEquals(202, rotating.post("issues", newId(), body).statusCode(), "the new secret works too");
    }
  }

  static Stream<Arguments> badRequests() {
    String ok = "{\"action\":\"labeled\"}";
    return Stream.of(
        Arguments.of("malformed JSON", "issues", "d-1", "{\"action\":\"labeled\""),
        Arguments.of("bare array", "issues", "d-1", "[]"),
        Arguments.of("empty body", "issues", "d-1", ""),
        Arguments.of("malformed ping", "ping", "d-1", "{zen}"),
        Arguments.of("missing X-GitHub-Event", null, "d-1", ok),
        Arguments.of("X-GitHub-Event with a space", "issues x", "d-1", ok),
        Arguments.of("missing X-GitHub-Delivery", "issues", null, ok),
        Arguments.of("X-GitHub-Delivery over 100 chars", "issues", "d".repeat(101), ok),
        Arguments.of("X-GitHub-Delivery with a slash", "issues", "../etc", ok));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void bad_requests_answer_400_and_store_nothing(String name, String event, String delivery, String body) {
    HttpResponse<String> r = t.post(event, delivery, body.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("error"), r.body());
    if (name.startsWith("missing X-")) {
      assertTrue(r.body().contains(name.substring("missing ".length())), "names the header: " + r.body());
    }
    assertEquals(0, newRows());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", "json"})
  void non_json_media_types_answer_415(String contentType) throws IOException {
    HttpResponse<String> r = t.send(t.webhook("issues", newId(), example("issues.labeled.1.json"))
        .setHeader("Content-Type", contentType));
    assertEquals(415, r.statusCode(), r.body());
    assertTrue(r.body().contains("application/json"), r.body());
    assertEquals(0, newRows());
  }

  @Test
  void missing_content_type_answers_415() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(WEBHOOKS))
        .header("X-Hub-Signature-256", Signatures.sign(TestEnv.SECRET, body))
        .header("X-GitHub-Event", "issues").header("X-GitHub-Delivery", newId())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    assertEquals(415, t.send(b).statusCode());
  }

  @Test
  void json_with_a_charset_parameter_is_accepted() throws IOException {
    HttpResponse<String> r = t.send(t.webhook("issues", newId(), example("issues.labeled.1.json"))
        .setHeader("Content-Type", "Application/JSON; charset=utf-8"));
    assertEquals(202, r.statusCode(), r.body());
  }

  @Test
  void a_2_mib_payload_is_accepted_and_stored_whole() {
    String filler = "x".repeat(2 * 1024 * 1024);
    byte[] body = ("{\"action\":\"edited\",\"filler\":\"" + filler + "\"}").getBytes(StandardCharsets.UTF_8);
    String id = newId();
    HttpResponse<String> r = t.post("issues", id, body);
    assertEquals(202, r.statusCode(), r.body());
    Row row = t.app.inboxStore().find(id).orElseThrow();
    assertTrue(Arrays.equals(body, t.app.inboxStore().payload(row.id())));
  }

  /** Sends raw HTTP/1.1 and returns the status code of the answer; the body is written on another thread. */
  int rawPost(String headers, BodyWriter body) throws Exception {
    try (Socket s = new Socket("127.0.0.1", t.app.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(headers.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread writer = new Thread(() -> {
        try {
          body.write(out);
          out.flush();
        } catch (IOException expectedWhenTheServerHangsUp) {
          // the server may answer and close before the whole body is sent
        }
      }, "raw-body-writer");
      writer.setDaemon(true);
      writer.start();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String status = in.readLine();
      writer.interrupt();
      assertTrue(status != null && status.startsWith("HTTP/1.1 "), "status line: " + status);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  String rawHeaders(String framing) {
    return "POST " + WEBHOOKS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "X-GitHub-Event: issues\r\nX-GitHub-Delivery: " + newId() + "\r\n"
        + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\n" + framing + "\r\n\r\n";
  }

  @Test
  void content_length_over_25_mib_answers_413_before_the_body_is_read() throws Exception {
    double tooLarge = t.metric("agent_dispatch_webhook_deliveries_total{event=\"unverified\",outcome=\"too_large\"}");
    int status = rawPost(rawHeaders("Content-Length: " + (MAX + 1)), out -> { });
    assertEquals(413, status);
    assertEquals(0, newRows());
    assertEquals(tooLarge + 1,
        t.metric("agent_dispatch_webhook_deliveries_total{event=\"unverified\",outcome=\"too_large\"}"));
  }

  @Test
  void streamed_body_of_25_mib_plus_one_byte_with_content_length_answers_413() throws Exception {
    HttpRequest.Builder b = t.webhook("issues", newId(), new byte[0])
        .POST(HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> zeros(MAX + 1)), MAX + 1));
    try {
      HttpResponse<String> r = t.send(b);
      assertEquals(413, r.statusCode(), r.body());
    } catch (java.io.UncheckedIOException closedAfterThe413) {
      // the server answered 413 without reading the body and closed while the client was still sending
      assertTrue(closedAfterThe413.getCause() != null);
    }
    assertEquals(0, newRows());
    assertEquals(200, t.get("/healthz").statusCode(), "server still serves");
  }

  @Test
  void chunked_body_over_25_mib_answers_413() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    long chunks = MAX / chunk.length + 1;
    int status = rawPost(rawHeaders("Transfer-Encoding: chunked"), out -> {
      String size = Integer.toHexString(chunk.length) + "\r\n";
      for (long k = 0; k < chunks && !Thread.currentThread().isInterrupted(); k++) {
        out.write(size.getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertEquals(413, status);
    assertEquals(0, newRows());
  }

  @Test
  void chunked_body_over_25_mib_from_the_http_client_answers_413() {
    HttpRequest.Builder b = t.webhook("issues", newId(), new byte[0])
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(MAX + 1)));
    try {
      HttpResponse<String> r = t.send(b);
      assertEquals(413, r.statusCode(), r.body());
    } catch (java.io.UncheckedIOException closedAfterThe413) {
      assertTrue(closedAfterThe413.getCause() != null);
    }
    assertEquals(0, newRows());
  }

  @Test
  void chunked_body_under_the_limit_is_accepted() throws IOException {
    byte[] body = example("issues.labeled.1.json");
    HttpResponse<String> r = t.send(t.webhook("issues", newId(), body)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
    assertEquals(202, r.statusCode(), r.body());
  }

  static InputStream zeros(long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() {
        return left-- > 0 ? ' ' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        Arrays.fill(b, off, off + n, (byte) ' ');
        left -= n;
        return n;
      }
    };
  }

  @Test
  void health_and_readiness_answer_200() {
    HttpResponse<String> health = t.get("/healthz");
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("ok"));
    HttpResponse<String> ready = t.get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
  }

  @Test
  void metrics_count_accepted_deliveries_by_event() throws IOException {
    String accepted = "agent_dispatch_webhook_deliveries_total{event=\"issues\",outcome=\"accepted\"}";
    double before = t.metric(accepted);
    assertEquals(202, t.post("issues", newId(), example("issues.labeled.1.json")).statusCode());
    HttpResponse<String> m = t.get("/metrics");
    assertEquals(200, m.statusCode());
    assertTrue(m.body().contains(accepted + " "), m.body());
    assertEquals(before + 1, t.metric(accepted));
    assertTrue(m.body().contains("agent_dispatch_inbox_depth"), m.body());
  }

  @Test
  void admin_api_needs_the_bearer_admin_token() throws IOException {
    String id = newId();
    assertEquals(202, t.post("issues", id, example("issues.labeled.1.json")).statusCode());
    HttpResponse<String> without = t.get("/api/inbox");
    assertEquals(401, without.statusCode());
    assertEquals("Bearer", without.headers().firstValue("WWW-Authenticate").orElse(""));
    assertFalse(without.body().contains(TestEnv.ADMIN_TOKEN));
    assertEquals(401, t.get("/api/inbox", "Authorization", "Bearer wrong-token").statusCode());
    assertEquals(401, t.get("/api/inbox", "Authorization", TestEnv.ADMIN_TOKEN).statusCode());
    assertEquals(401, t.get("/api/inbox/" + id).statusCode());
    HttpResponse<String> with = t.get("/api/inbox", "Authorization", "Bearer " + TestEnv.ADMIN_TOKEN);
    assertEquals(200, with.statusCode(), with.body());
    assertTrue(with.body().contains("PENDING") || with.body().contains("pending") || with.body().contains("DONE"),
        with.body());
    HttpResponse<String> one = t.get("/api/inbox/" + id, "Authorization", "Bearer " + TestEnv.ADMIN_TOKEN);
    assertEquals(200, one.statusCode(), one.body());
    assertTrue(one.body().contains(id), one.body());
    assertEquals(404, t.get("/api/inbox/nope", "Authorization", "Bearer " + TestEnv.ADMIN_TOKEN).statusCode());
  }

  @Test
  void admin_api_is_off_without_an_admin_token() {
    Map<String, String> env = TestEnv.env(dir.resolve("noadmin"));
    env.remove("ADMIN_TOKEN");
    try (TestServer noAdmin = TestServer.start(env)) {
      HttpResponse<String> r = noAdmin.get("/api/inbox", "Authorization", "Bearer ");
      assertEquals(401, r.statusCode());
      assertTrue(r.body().contains("ADMIN_TOKEN"), r.body());
    }
  }

  @Test
  void the_webhook_path_is_not_behind_the_admin_token() throws IOException {
    HttpResponse<String> r = t.post("issues", newId(), example("issues.labeled.1.json"));
    assertEquals(202, r.statusCode(), r.body());
    Map<String, String> env = TestEnv.env(dir.resolve("custom"));
    env.put("WEBHOOK_PATH", "/api/hooks/github");
    try (TestServer custom = TestServer.start(env)) {
      byte[] body = example("issues.labeled.1.json");
      HttpResponse<String> c = custom.send(custom.webhook("issues", newId(), body)
          .uri(custom.uri("/api/hooks/github")));
      assertEquals(202, c.statusCode(), c.body());
    }
  }

  @Test
  void deliveries_sent_concurrently_are_all_stored() throws Exception {
    byte[] body = example("issues.labeled.1.json");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int k = 0; k < 100; k++) {
        String id = "c-" + k + "-" + newId();
        futures.add(pool.submit(() -> t.post("issues", id, body).statusCode()));
      }
      for (var f : futures) {
        assertEquals(202, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(100, newRows());
  }
}
