package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.ChildApp;
import dev.agentdispatch.TestEnv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood of badly signed requests against `serve` (a child JVM): each is counted, the log says so once a second. */
class SignatureFailureLogTest {
  private static final String LINE = "refused a delivery with a";

  @TempDir
  Path dir;
  private Process server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void bad_signatures_are_each_counted_and_logged_at_most_once_a_second() throws Exception {
    int port = ChildApp.freePort();
    Path log = dir.resolve("server.log");
    Map<String, String> env = TestEnv.env(dir);
    env.put("PORT", String.valueOf(port));
    env.put("LOG_LEVEL", "warn");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.agentdispatch.cli.Main", "serve")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    server = pb.start();
    ChildApp.awaitReady(port, server);
    byte[] body = Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.labeled.1.json"));

    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertEquals(401, post(port, body, i % 2 == 0 ? Signatures.sign("not-the-secret", body) : null).statusCode());
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long burstLines = lines(log);
    assertTrue(burstLines >= 1, "the first refusal is logged");
    assertTrue(burstLines <= 1 + elapsedMs / 1000,
        burstLines + " log lines for 20 refusals in " + elapsedMs + " ms: " + Files.readString(log));

    Thread.sleep(1_100);
    assertEquals(401, post(port, body, null).statusCode());
    assertEquals(burstLines + 1, lines(log), "a refusal a second later is logged again");
    assertEquals(21.0, metric(port, "agent_dispatch_webhook_signature_failures_total"), "every refusal is counted");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertFalse(text.contains(TestEnv.SECRET), "the secret never reaches the log");
  }

  private HttpResponse<String> post(int port, byte[] body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/github/webhooks"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("X-GitHub-Event", "issues").header("X-GitHub-Delivery", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      b.header("X-Hub-Signature-256", signature);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private double metric(int port, String name) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElse(0);
  }

  private static long lines(Path log) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return all.stream().filter(l -> l.contains(LINE)).count();
  }
}
