package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks request bodies against the requestBody schemas of GitHub's OpenAPI description (extracted to
 * sandbox/request-schemas.json): required, type, nullable, enum, properties, additionalProperties:false, items,
 * oneOf/anyOf/allOf. A small subset of JSON Schema, enough for GitHub's request bodies.
 */
final class RequestValidator {
  private final JsonNode schemas;

  RequestValidator() {
    try (InputStream in = RequestValidator.class.getResourceAsStream("/sandbox/request-schemas.json")) {
      schemas = Sim.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sandbox/request-schemas.json", e);
    }
  }

  /** Throws GitHub's 422 "Validation Failed" when the body breaks the operation's schema. */
  void validate(String operation, String resource, JsonNode body, boolean strict) {
    JsonNode op = schemas.get(operation);
    if (op == null) return;
    if (body == null || body.isMissingNode()) {
      if (op.path("required").asBoolean()) throw SimError.invalid(resource, "body", "missing");
      return;
    }
    ArrayNode errors = Sim.JSON.createArrayNode();
    check(op.get("schema"), body, "", resource, errors);
    if (strict && body.isObject() && op.get("schema").has("properties")) {
      body.fieldNames().forEachRemaining(k -> {
        if (!op.get("schema").get("properties").has(k)) err(errors, resource, k, "invalid", "is not a permitted key");
      });
    }
    if (!errors.isEmpty()) throw SimError.validation(errors);
  }

  private boolean check(JsonNode s, JsonNode v, String path, String resource, ArrayNode errors) {
    int before = errors.size();
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean() && s.has("type")) err(errors, resource, path, "invalid", "cannot be null");
      return errors.size() == before;
    }
    if (s.has("type") && !typeOk(s.get("type").asText(), v)) {
      err(errors, resource, path, "invalid", "is not of type " + s.get("type").asText());
      return false;
    }
    if (s.has("enum") && !containsText(s.get("enum"), v)) err(errors, resource, path, "invalid", "is not a valid value");
    if (v.isObject()) {
      for (JsonNode req : s.path("required")) {
        if (!v.has(req.asText())) err(errors, resource, join(path, req.asText()), "missing_field", null);
      }
      JsonNode props = s.path("properties");
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (props.has(e.getKey())) check(props.get(e.getKey()), e.getValue(), join(path, e.getKey()), resource, errors);
        else if (s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").asBoolean()) {
          err(errors, resource, join(path, e.getKey()), "invalid", "is not a permitted key");
        } else if (s.path("additionalProperties").isObject()) {
          check(s.get("additionalProperties"), e.getValue(), join(path, e.getKey()), resource, errors);
        }
      }
    }
    if (v.isArray() && s.has("items")) {
      for (int i = 0; i < v.size(); i++) check(s.get("items"), v.get(i), path + "[" + i + "]", resource, errors);
    }
    for (JsonNode sub : s.path("allOf")) check(sub, v, path, resource, errors);
    for (String alt : new String[] {"oneOf", "anyOf"}) {
      if (s.has(alt) && !anyPasses(s.get(alt), v, path, resource)) {
        err(errors, resource, path, "invalid", "does not match any allowed form");
      }
    }
    return errors.size() == before;
  }

  private boolean anyPasses(JsonNode alts, JsonNode v, String path, String resource) {
    for (JsonNode a : alts) {
      if (check(a, v, path, resource, Sim.JSON.createArrayNode())) return true;
    }
    return false;
  }

  private static boolean typeOk(String type, JsonNode v) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "array" -> v.isArray();
      case "object" -> v.isObject();
      default -> true;
    };
  }

  private static boolean containsText(JsonNode e, JsonNode v) {
    for (JsonNode x : e) if (x.equals(v) || (x.isTextual() && v.isValueNode() && x.asText().equals(v.asText()))) return true;
    return false;
  }

  private static String join(String path, String key) { return path.isEmpty() ? key : path + "." + key; }

  private static void err(ArrayNode errors, String resource, String field, String code, String message) {
    ObjectNode e = errors.addObject().put("resource", resource).put("field", field).put("code", code);
    if (message != null) e.put("message", field + " " + message);
  }
}
