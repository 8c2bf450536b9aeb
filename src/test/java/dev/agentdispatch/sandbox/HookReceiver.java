package dev.agentdispatch.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny webhook receiver that records what it gets and answers 202. */
final class HookReceiver implements AutoCloseable {
  /** One received delivery: headers (lower-case names) and the exact body bytes. */
  record Received(Map<String, String> headers, byte[] body) {
    String header(String name) { return headers.get(name.toLowerCase()); }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/webhook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> h = new java.util.HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
      received.add(new Received(h, body));
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    server.start();
  }

  String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook"; }

  List<Received> events(String event) {
    return received.stream().filter(r -> event.equals(r.header("X-GitHub-Event"))).toList();
  }

  @Override public void close() { server.stop(0); }
}
