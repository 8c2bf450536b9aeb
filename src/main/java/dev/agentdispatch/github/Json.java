package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** JSON in and out of GitHub answers; a non-2xx answer becomes {@link GitHubCallFailed} with GitHub's message. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode read(ApiResponse r, String what) {
    JsonNode n = parse(r);
    if (!r.ok()) {
      String message = n == null ? null : n.path("message").asText(null);
      throw new GitHubCallFailed(what, r.status(), message);
    }
    return n == null ? MAPPER.createObjectNode() : n;
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write JSON", e);
    }
  }

  private static JsonNode parse(ApiResponse r) {
    if (r.body() == null || r.body().length == 0) {
      return null;
    }
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      return null;
    }
  }
}
