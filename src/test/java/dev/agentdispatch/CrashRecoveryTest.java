package dev.agentdispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.webhook.Signatures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the app as a separate process, streams deliveries at it, kills it with SIGKILL mid-stream,
 * restarts it on the same database, and checks that every delivery answered 202 was stored and is then
 * handled exactly once by the restarted process (deliveries the first process finished stay finished).
 */
class CrashRecoveryTest {
  private static final String SECRET = "crash-test-secret";

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void every_accepted_delivery_survives_sigkill_and_is_handled_once_after_restart() throws Exception {
    int port = ChildApp.freePort();
    Path db = dir.resolve("crash.db");
    Map<String, String> env = environment(port, db);
    byte[] body = Files.readAllBytes(TestFiles.webhookExample("issues.labeled.1.json"));
    String signature = Signatures.sign(SECRET, body);

    Process first = start(env, dir.resolve("handled-1.log"));
    ChildApp.awaitReady(port, first);
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      int thread = t;
      senders.execute(() -> {
        for (int n = 0; sending.get(); n++) {
          String id = "crash-" + thread + "-" + n;
          sent.incrementAndGet();
          try {
            HttpResponse<String> r = http.send(post(port, id, body, signature), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
              accepted.add(id);
            }
          } catch (IOException e) {
            return; // the server died mid-request: this delivery was never acknowledged
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (accepted.size() < 1500 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL on Linux, mid-stream
    sending.set(false);
    senders.shutdown();
    assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(accepted.size() >= 100, "the stream reached the server before the kill: " + accepted.size());

    Map<String, String> states = readStates(db);
    Set<String> missing = new HashSet<>(accepted);
    missing.removeAll(states.keySet());
    assertEquals(Set.of(), missing, "every delivery answered 202 is in the inbox after SIGKILL");
    Set<String> unfinished = states.entrySet().stream().filter(e -> !e.getValue().equals("done"))
        .map(Map.Entry::getKey).collect(Collectors.toSet());

    assertTrue(!unfinished.isEmpty(), "the kill left deliveries unfinished, so the restart has work to take over");

    Process second = start(env, dir.resolve("handled-2.log"));
    ChildApp.awaitReady(port, second);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!readStates(db).values().stream().allMatch("done"::equals) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    second.destroy();
    second.waitFor(20, TimeUnit.SECONDS);

    Map<String, String> after = readStates(db);
    assertTrue(after.values().stream().allMatch("done"::equals), "every stored delivery ends done: " + after.size());
    List<String> handledAfterRestart = Files.readAllLines(dir.resolve("handled-2.log"));
    assertEquals(handledAfterRestart.size(), new HashSet<>(handledAfterRestart).size(),
        "no delivery is handled twice after the restart");
    assertEquals(unfinished, new HashSet<>(handledAfterRestart),
        "the restarted app handles exactly the deliveries the killed one had not finished");
    Set<String> handledEver = new HashSet<>(Files.readAllLines(dir.resolve("handled-1.log")));
    handledEver.addAll(handledAfterRestart);
    assertTrue(handledEver.containsAll(accepted), "every accepted delivery was handled");
    System.out.printf("crash test: %d sent, %d accepted, %d stored, %d unfinished at the kill%n",
        sent.get(), accepted.size(), states.size(), unfinished.size());
  }

  private Process start(Map<String, String> env, Path handledLog) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashTestServer.class.getName());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("HANDLED_LOG", handledLog.toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve(handledLog.getFileName() + ".out").toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private Map<String, String> environment(int port, Path db) throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
    kpg.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(kpg.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"));
    env.put("APP_ID", "1");
    env.put("PRIVATE_KEY", pem);
    env.put("WEBHOOK_SECRET", SECRET);
    env.put("PORT", String.valueOf(port));
    env.put("DATABASE_URL", "jdbc:sqlite:" + db);
    env.put("LOG_LEVEL", "warn");
    return env;
  }

  private static Map<String, String> readStates(Path db) throws Exception {
    Map<String, String> states = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT delivery_id, state FROM inbox")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getString(2));
      }
    }
    return states;
  }

  private static HttpRequest post(int port, String id, byte[] body, String signature) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/github/webhooks"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "issues")
        .header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
