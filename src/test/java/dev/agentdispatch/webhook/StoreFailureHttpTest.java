package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestEnv;
import dev.agentdispatch.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delivery the inbox cannot store is answered 503 (GitHub's log keeps it for a redelivery), never 202. */
class StoreFailureHttpTest {
  @TempDir
  Path dir;

  @Test
  void a_delivery_that_cannot_be_stored_is_answered_503_and_counted() throws Exception {
    byte[] body = Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.labeled.1.json"));
    try (TestServer t = TestServer.start(TestEnv.env(dir), h -> { }, TestServer.FAST)) {
      assertEquals(202, t.post("issues", "before", body).statusCode());
      t.app.database().close(); // the database goes away under the running server

      HttpResponse<String> r = t.post("issues", "after", body);

      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("can be redelivered"), r.body());
      assertEquals(200, t.get("/metrics").statusCode(), "metrics still served with the database gone");
      assertEquals(503, t.get("/readyz").statusCode());
      assertEquals(1.0, t.metric("agent_dispatch_webhook_deliveries_total{event=\"issues\",outcome=\"store_failed\"}"));
    }
  }
}
