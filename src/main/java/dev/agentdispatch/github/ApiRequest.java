package dev.agentdispatch.github;

import java.util.Map;

/**
 * One request to GitHub: method, a path under the API base (or an absolute URL, which must be under it),
 * an optional JSON body and extra headers.
 */
record ApiRequest(String method, String target, byte[] body, String contentType, Map<String, String> headers,
    Credential credential) {
  static ApiRequest json(String method, String target, byte[] body, Credential credential) {
    return new ApiRequest(method, target, body, body == null ? null : "application/json", Map.of(), credential);
  }

  @Override
  public String toString() {
    return method + " " + target + " as " + credential;
  }
}
