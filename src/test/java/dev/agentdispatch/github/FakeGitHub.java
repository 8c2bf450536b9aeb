package dev.agentdispatch.github;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server for answers the simulator never gives (a past token expiry, a redirect or Link to
 * another origin, a secondary limit without Retry-After). Routes are "METHOD /path"; it records what it got.
 */
final class FakeGitHub implements AutoCloseable {
  record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final Map<String, List<Answer>> routes = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeGitHub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
      requests.add(key);
      ex.getRequestBody().readAllBytes();
      List<Answer> answers = routes.get(key);
      Answer a = answers == null || answers.isEmpty() ? new Answer(404, Map.of(), "{\"message\":\"Not Found\"}")
          : answers.size() == 1 ? answers.get(0) : answers.remove(0);
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v.replace("{self}", url())));
      byte[] body = a.body().replace("{self}", url()).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** Answers {@code key} with these, in order; the last one repeats. */
  FakeGitHub on(String key, Answer... answers) {
    routes.put(key, new CopyOnWriteArrayList<>(List.of(answers)));
    return this;
  }

  static Answer json(int status, String body) {
    return new Answer(status, Map.of(), body);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long count(String key) {
    return requests.stream().filter(key::equals).count();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
