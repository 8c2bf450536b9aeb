package dev.agentdispatch.github;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One request to GitHub: method, a path under the API base (or an absolute URL, which must be under it),
 * an optional JSON body and extra headers. The credential is asked for again on every attempt, so a retry
 * after a long wait sends a fresh JWT or token rather than one that expired meanwhile.
 */
record ApiRequest(String method, String target, byte[] body, String contentType, Map<String, String> headers,
    Supplier<Credential> credential) {
  static ApiRequest json(String method, String target, byte[] body, Supplier<Credential> credential) {
    return new ApiRequest(method, target, body, body == null ? null : "application/json", Map.of(), credential);
  }

  @Override
  public String toString() {
    return method + " " + target;
  }
}
