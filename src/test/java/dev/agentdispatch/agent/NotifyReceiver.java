package dev.agentdispatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A local stand-in for a Slack incoming webhook: records each JSON body it gets at its secret path and answers with
 * the scripted statuses in turn (then 200). {@link #hold()} keeps answers back until {@link #release()}.
 */
final class NotifyReceiver implements AutoCloseable {
  /** Shaped like a Slack webhook path; built at run time. */
  static final String SECRET_PATH = "/services/T000/B000/" + "s3cr3t".repeat(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
  private final HttpServer server;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  NotifyReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(SECRET_PATH, ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      received.add(JSON.readTree(body));
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Integer status = statuses.poll();
      ex.sendResponseHeaders(status == null ? 200 : status, -1);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  /** The webhook URL, secret path included. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
  }

  NotifyReceiver answer(Integer... codes) {
    statuses.addAll(List.of(codes));
    return this;
  }

  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  List<String> texts() {
    return received.stream().map(j -> j.path("text").asText()).toList();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
