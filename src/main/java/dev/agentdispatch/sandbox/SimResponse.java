package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A status, optional JSON body and extra headers. */
record SimResponse(int status, JsonNode body, Map<String, String> headers) {
  static SimResponse ok(JsonNode body) { return new SimResponse(200, body, new LinkedHashMap<>()); }
  static SimResponse created(JsonNode body) { return new SimResponse(201, body, new LinkedHashMap<>()); }
  static SimResponse of(int status, JsonNode body) { return new SimResponse(status, body, new LinkedHashMap<>()); }
  static SimResponse noContent() { return new SimResponse(204, null, new LinkedHashMap<>()); }

  SimResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
