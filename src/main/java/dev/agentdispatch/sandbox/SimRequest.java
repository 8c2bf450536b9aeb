package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A routed request: path parameters, query, parsed JSON body (may be null) and the caller. */
record SimRequest(String method, String operation, String url, Map<String, String> params, Map<String, List<String>> query,
    JsonNode body, Principal principal) {

  String param(String name) { return params.get(name); }

  int intParam(String name) {
    try {
      return Integer.parseInt(params.get(name));
    } catch (NumberFormatException e) {
      throw SimError.notFound();
    }
  }

  long longParam(String name) {
    try {
      return Long.parseLong(params.get(name));
    } catch (NumberFormatException e) {
      throw SimError.notFound();
    }
  }

  String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** An ISO-8601 time in the query (GitHub's {@code since}), or null when absent. */
  java.time.Instant queryInstant(String name) {
    String v = query(name);
    return v == null ? null : java.time.Instant.parse(v);
  }

  int queryInt(String name, int dflt) {
    String v = query(name);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  /** owner/repo from the path. */
  String repoName() { return params.get("owner") + "/" + params.get("repo"); }

  String bodyText(String field) {
    return body != null && body.hasNonNull(field) ? body.get(field).asText() : null;
  }
}
