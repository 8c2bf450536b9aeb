package dev.agentdispatch;

import dev.agentdispatch.config.Settings;
import dev.agentdispatch.webhook.DispatchPolicy;
import dev.agentdispatch.webhook.Handlers;
import dev.agentdispatch.webhook.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real app on a random port, called over real HTTP, without the simulator (see TestApp for both). */
public final class TestServer implements AutoCloseable {
  public static final DispatchPolicy FAST = DispatchPolicy.defaults()
      .withRetry(3, Duration.ofMillis(10), Duration.ofMillis(50))
      .withPollInterval(Duration.ofMillis(50));

  public final App app;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(App app) {
    this.app = app;
  }

  /** Wraps an app the test built and started itself. */
  public static TestServer wrap(App started) {
    return new TestServer(started);
  }

  public static TestServer start(Map<String, String> env) {
    return start(env, h -> { }, FAST);
  }

  public static TestServer start(Map<String, String> env, Consumer<Handlers> handlers, DispatchPolicy policy) {
    App app = App.builder(Settings.fromEnv(env)).clock(Clock.systemUTC()).handlers(handlers)
        .dispatchPolicy(policy).build();
    try {
      return new TestServer(app.start("127.0.0.1"));
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  /** A webhook POST to the default path, signed with {@link TestEnv#SECRET} over exactly {@code body}. */
  public HttpRequest.Builder webhook(String event, String delivery, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(Settings.DEFAULT_WEBHOOK_PATH))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/test")
        .header("X-Hub-Signature-256", Signatures.sign(TestEnv.SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (event != null) {
      b.header("X-GitHub-Event", event);
    }
    if (delivery != null) {
      b.header("X-GitHub-Delivery", delivery);
    }
    return b;
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> post(String event, String delivery, byte[] body) {
    return send(webhook(event, delivery, body));
  }

  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  /** The value of one sample in GET /metrics, e.g. {@code name{label="v"}}; 0 if absent. */
  public double metric(String sample) {
    String text = get("/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() {
    app.close();
  }
}
