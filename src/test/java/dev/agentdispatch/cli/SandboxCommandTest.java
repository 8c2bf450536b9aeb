package dev.agentdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.ChildApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox} as a person runs it: a separate process that prints the simulator's URL, the users and their
 * tokens; acting as one of them through the simulator's REST API lands a webhook in the app's inbox.
 */
class SandboxCommandTest {
  @TempDir Path dir;

  @Test
  void the_sandbox_wires_the_app_to_the_simulator_and_prints_how_to_use_it() throws Exception {
    int appPort = ChildApp.freePort();
    int githubPort = ChildApp.freePort();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sandbox",
        "--port", String.valueOf(appPort), "--github-port", String.valueOf(githubPort), "--data", dir.toString());
    pb.environment().put("LOG_LEVEL", "warn");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      String banner = readUntil(p, "Stop with Ctrl-C.");
      assertTrue(banner.contains("GitHub simulator http://127.0.0.1:" + githubPort), banner);
      assertTrue(banner.contains("http://127.0.0.1:" + appPort), banner);
      String bob = find(banner, "bob\\s+(\\S+)");
      String admin = find(banner, "admin token (\\S+)\\)");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> label = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + githubPort
              + "/repos/octo-demo/webapp/issues/2/labels"))
          .header("Authorization", "token " + bob).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":[\"agent-task\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, label.statusCode(), label.body());

      String inbox = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // at least the label's delivery; the app's own answers (the status comment) arrive as deliveries too
      while ((inbox.isEmpty() || inbox.contains("\"DONE\":0")) && System.nanoTime() < deadline) {
        inbox = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/inbox"))
            .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
        Thread.sleep(100);
      }
      assertTrue(inbox.contains("\"DONE\":") && !inbox.contains("\"DONE\":0"),
          "the labeled webhook reached the app and was handled: " + inbox);

      // user-token mode is wired to the simulator's OAuth pages: the sign-in runs through to the app's callback
      HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
      String next = find(banner, "open (\\S+/auth/github/login\\S*)");
      HttpResponse<String> r = null;
      for (int hop = 0; hop < 3; hop++) {
        r = browser.send(HttpRequest.newBuilder(URI.create(next)).build(), HttpResponse.BodyHandlers.ofString());
        next = r.headers().firstValue("Location").orElse(null);
        if (next == null) {
          break;
        }
      }
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("Signed in as @bob"), r.body());
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void without_a_data_folder_the_sandbox_deletes_its_temporary_database_when_it_stops() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sandbox",
        "--port", String.valueOf(ChildApp.freePort()), "--github-port", String.valueOf(ChildApp.freePort()));
    pb.environment().put("LOG_LEVEL", "warn");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      readUntil(p, "Stop with Ctrl-C.");
      List<Path> folders = sandboxFolders();
      assertEquals(1, folders.size(), "one temporary folder while it runs: " + folders);
      assertTrue(Files.exists(folders.get(0).resolve("sandbox.db")), "the database lives in it");
    } finally {
      p.destroy(); // SIGTERM, as Ctrl-C would
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the sandbox stopped");
    }
    assertEquals(List.of(), sandboxFolders(), "the temporary folder is gone after the sandbox stopped");
  }

  private List<Path> sandboxFolders() throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("agent-dispatch-sandbox")).toList();
    }
  }

  private static String readUntil(Process p, String last) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder text = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
      text.append(line).append('\n');
      if (line.contains(last)) {
        return text.toString();
      }
    }
    throw new AssertionError("the sandbox did not print its banner:\n" + text);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in\n" + text);
    return m.group(1);
  }
}
