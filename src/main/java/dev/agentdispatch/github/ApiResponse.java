package dev.agentdispatch.github;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A final answer from GitHub (after any retries), with headers looked up case-insensitively. */
record ApiResponse(URI uri, int status, Map<String, List<String>> headers, byte[] body) {
  ApiResponse {
    Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (k != null) {
        m.put(k, List.copyOf(v));
      }
    });
    headers = m;
  }

  Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  boolean ok() {
    return status >= 200 && status < 300;
  }
}
