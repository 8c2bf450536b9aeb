package dev.agentdispatch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/** For tests that run the app as a child JVM: a free port to give it, and waiting until it is ready. */
public final class ChildApp {
  private ChildApp() {}

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits up to a minute for {@code GET /readyz} to answer 200; fails at once if the process exits. */
  public static void awaitReady(int port, Process process) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the app exited with code " + process.exitValue() + " before it was ready");
      }
      try {
        if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the app did not become ready on port " + port);
  }
}
