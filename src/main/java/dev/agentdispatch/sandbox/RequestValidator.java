package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks request bodies with networknt's json-schema-validator against the requestBody schemas of GitHub's OpenAPI
 * description. extract-templates.py extracts them to sandbox/request-schemas.json as plain draft-4 JSON Schema
 * ($refs inlined, OpenAPI's "nullable: true" rewritten to a union with null); each operation's schema is compiled on
 * first use. Failures become GitHub's 422 "Validation Failed" with one {resource, field, code} entry per problem.
 */
final class RequestValidator {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
  private final JsonNode operations;
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  RequestValidator() {
    try (InputStream in = RequestValidator.class.getResourceAsStream("/sandbox/request-schemas.json")) {
      operations = Sim.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sandbox/request-schemas.json", e);
    }
  }

  /**
   * Throws GitHub's 422 "Validation Failed" when the body breaks the operation's schema. Unknown top-level keys pass,
   * as on GitHub, unless strict, where they are refused like under "additionalProperties: false".
   */
  void validate(String operation, String resource, JsonNode body, boolean strict) {
    JsonNode op = operations.get(operation);
    if (op == null) return;
    if (body == null || body.isMissingNode()) {
      if (op.path("required").asBoolean()) throw SimError.invalid(resource, "body", "missing");
      return;
    }
    JsonSchema schema = compiled.computeIfAbsent((strict ? "strict " : "") + operation, k -> compile(op.get("schema"), strict));
    Map<String, ObjectNode> errors = new TreeMap<>();
    for (ValidationMessage m : schema.validate(body)) {
      ObjectNode e = error(resource, m);
      errors.putIfAbsent(e.get("field").asText() + " " + e.get("code").asText(), e);
    }
    if (!errors.isEmpty()) throw SimError.validation(Sim.JSON.createArrayNode().addAll(errors.values()));
  }

  private static JsonSchema compile(JsonNode schema, boolean strict) {
    if (strict && schema.has("properties")) {
      schema = ((ObjectNode) schema.deepCopy()).put("additionalProperties", false);
    }
    return FACTORY.getSchema(schema);
  }

  /** GitHub's {resource, field, code[, message]} for one report of the library. */
  private static ObjectNode error(String resource, ValidationMessage m) {
    ObjectNode e = Sim.JSON.createObjectNode().put("resource", resource);
    int alternative = alternativeDepth(m.getEvaluationPath());
    if (alternative >= 0) {
      String field = field(m.getInstanceLocation(), alternative, null);
      return e.put("field", field).put("code", "invalid").put("message", field + ": does not match any of the allowed forms");
    }
    boolean named = "required".equals(m.getType()) || "additionalProperties".equals(m.getType());
    String field = field(m.getInstanceLocation(), Integer.MAX_VALUE, named ? m.getProperty() : null);
    if ("required".equals(m.getType())) return e.put("field", field).put("code", "missing_field");
    return e.put("field", field).put("code", "invalid").put("message", field + ": " + m.getError());
  }

  /**
   * A report from inside a oneOf/anyOf branch is about one of several allowed forms, so it is reported once, as "matches
   * none of the forms", at the value the oneOf/anyOf applies to: returns how many instance steps lead there (counting
   * the properties/items/additionalProperties keywords before the outermost oneOf/anyOf), or -1 outside any branch.
   */
  private static int alternativeDepth(JsonNodePath evaluation) {
    int depth = 0;
    for (int i = 0; i < evaluation.getNameCount(); i++) {
      Object keyword = evaluation.getElement(i);
      if ("oneOf".equals(keyword) || "anyOf".equals(keyword)) return depth;
      if ("properties".equals(keyword)) i++; // skip the property's name
      if ("properties".equals(keyword) || "items".equals(keyword) || "additionalProperties".equals(keyword)) depth++;
    }
    return -1;
  }

  /** "labels[0].name" for the first depth steps of the instance location /labels/0 plus property "name"; "body" at the top. */
  private static String field(JsonNodePath at, int depth, String property) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(depth, at.getNameCount()); i++) {
      Object el = at.getElement(i);
      if (el instanceof Integer n) b.append('[').append(n).append(']');
      else b.append(b.length() == 0 ? "" : ".").append(el);
    }
    if (property != null) b.append(b.length() == 0 ? "" : ".").append(property);
    return b.length() == 0 ? "body" : b.toString();
  }
}
