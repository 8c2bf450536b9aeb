package dev.agentdispatch.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * hub4j's way out, bound to one credential: each hub4j request becomes an {@link ApiRequest} through the same
 * {@link GitHubTransport}, so hub4j calls get the same origin check, guard, limits and counting.
 */
final class Hub4jConnector implements GitHubConnector {
  private final GitHubTransport transport;
  private final Supplier<Credential> credential;

  Hub4jConnector(GitHubTransport transport, Supplier<Credential> credential) {
    this.transport = transport;
    this.credential = credential;
  }

  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    request.allHeaders().forEach((k, v) -> {
      if (k != null && !v.isEmpty()) {
        headers.put(k, String.join(", ", v));
      }
    });
    byte[] body = null;
    if (request.hasBody()) {
      try (InputStream in = request.body()) {
        body = in.readAllBytes();
      }
    }
    ApiRequest api = new ApiRequest(request.method(), request.url().toString(), body,
        body == null ? null : request.contentType(), headers, credential);
    ApiResponse r = transport.send(api);
    return new Response(request, r);
  }

  private static final class Response extends GitHubConnectorResponse {
    private final byte[] body;

    Response(GitHubConnectorRequest request, ApiResponse r) {
      super(request, r.status(), headersOf(r));
      this.body = r.body() == null ? new byte[0] : r.body();
    }

    private static Map<String, List<String>> headersOf(ApiResponse r) {
      Map<String, List<String>> m = new LinkedHashMap<>(r.headers());
      m.remove(":status");
      return m;
    }

    @Override
    public InputStream bodyStream() throws IOException {
      return wrapStream(new ByteArrayInputStream(body));
    }

    @Override
    public void close() {
      // the body is already in memory
    }
  }
}
