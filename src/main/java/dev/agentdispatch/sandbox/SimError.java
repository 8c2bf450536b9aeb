package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** An HTTP error answered with GitHub's JSON error body {"message", "documentation_url"[, "errors"], "status"}. */
public final class SimError extends RuntimeException {
  public final int status;
  public final ArrayNode errors;
  public final String retryAfter;

  public SimError(int status, String message) { this(status, message, null, null); }

  public SimError(int status, String message, ArrayNode errors, String retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }

  public static SimError notFound() { return new SimError(404, "Not Found"); }
  public static SimError badCredentials() { return new SimError(401, "Bad credentials"); }
  public static SimError notAccessible() { return new SimError(403, "Resource not accessible by integration"); }
  public static SimError validation(ArrayNode errors) { return new SimError(422, "Validation Failed", errors, null); }

  /** 422 with one error entry {resource, field, code}. */
  public static SimError invalid(String resource, String field, String code) {
    ArrayNode a = Sim.JSON.createArrayNode();
    a.addObject().put("resource", resource).put("field", field).put("code", code);
    return validation(a);
  }
}
