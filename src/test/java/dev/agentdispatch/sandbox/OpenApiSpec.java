package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.InputFormat;
import com.networknt.schema.serialization.JsonNodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GitHub's OpenAPI description (../shared/github/openapi/api.github.com.json) as a JSON Schema document:
 * OpenAPI 3.0 "nullable: true" becomes a union with "null", and every JSON response schema is copied to
 * components/schemas/sim-response-N so it can be addressed by a plain JSON pointer. Load once per test class.
 */
final class OpenApiSpec {
  private static final String BASE = "https://sim.invalid/api.github.com.json";
  private final Map<String, String> responseSchemas = new HashMap<>();
  private final Map<String, JsonSchema> compiled = new HashMap<>();
  private final JsonSchemaFactory factory;

  OpenApiSpec() throws Exception {
    ObjectMapper om = new ObjectMapper();
    JsonNode spec = om.readTree(Files.readAllBytes(locate()));
    ObjectNode schemas = (ObjectNode) spec.path("components").path("schemas");
    int n = 0;
    Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
    while (paths.hasNext()) {
      var p = paths.next();
      for (var op : iterable(p.getValue().fields())) {
        for (var resp : iterable(op.getValue().path("responses").fields())) {
          JsonNode r = resolve(spec, resp.getValue());
          JsonNode schema = r.path("content").path("application/json").path("schema");
          if (schema.isMissingNode()) continue;
          String name = "sim-response-" + n++;
          schemas.set(name, schema);
          responseSchemas.put(op.getKey().toUpperCase() + " " + p.getKey() + " " + resp.getKey(), name);
        }
      }
    }
    nullable(spec);
    // The loader hands out a marker and the reader swaps in the parsed spec: the 13 MB are parsed once, not per schema.
    JsonNodeReader reader = new JsonNodeReader() {
      @Override public JsonNode readTree(String content, InputFormat f) throws java.io.IOException {
        return swap(om.readTree(content));
      }

      @Override public JsonNode readTree(java.io.InputStream in, InputFormat f) throws java.io.IOException {
        return swap(om.readTree(in));
      }

      private JsonNode swap(JsonNode n) { return "spec".equals(n.path("$sim").asText()) ? spec : n; }
    };
    factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
        b -> b.jsonNodeReader(reader).schemaLoaders(l -> l.schemas(Map.of(BASE, "{\"$sim\": \"spec\"}"))));
  }

  static Path locate() {
    Path rel = Path.of("..", "shared", "github", "openapi", "api.github.com.json");
    return Files.exists(rel) ? rel : Path.of("/work/shared/github/openapi/api.github.com.json");
  }

  /** True when the description documents a JSON body for this operation and status. */
  boolean documents(String operation, int status) {
    return responseSchemas.containsKey(operation + " " + status);
  }

  /** Validation messages for a response body of operation ("GET /repos/{owner}/{repo}") and status. */
  Set<ValidationMessage> validate(String operation, int status, JsonNode body) {
    String name = responseSchemas.get(operation + " " + status);
    if (name == null) throw new IllegalArgumentException("not documented: " + operation + " " + status);
    JsonSchema s = compiled.computeIfAbsent(name,
        k -> factory.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + k)));
    return s.validate(body);
  }

  /** Validation messages for a webhook payload against components/schemas/{name}, e.g. webhook-issues-labeled. */
  Set<ValidationMessage> validateComponent(String name, JsonNode body) {
    JsonSchema s = compiled.computeIfAbsent("component:" + name,
        k -> factory.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + name)));
    return s.validate(body);
  }

  private static JsonNode resolve(JsonNode spec, JsonNode node) {
    while (node.has("$ref")) node = spec.at(node.get("$ref").asText().substring(1));
    return node;
  }

  /** nullable: true -> type [t, "null"] (and null allowed by enum), or anyOf with {type: null} next to a $ref. */
  private static void nullable(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (var e : iterable(o.fields())) nullable(e.getValue());
      if (o.path("nullable").asBoolean(false)) {
        o.remove("nullable");
        if (o.has("type")) {
          ArrayNode t = o.arrayNode().add(o.get("type").asText()).add("null");
          o.set("type", t);
          if (o.has("enum")) ((ArrayNode) o.get("enum")).addNull();
        } else {
          ObjectNode copy = o.deepCopy();
          o.removeAll();
          o.putArray("anyOf").add(copy).addObject().put("type", "null");
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(OpenApiSpec::nullable);
    }
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    List<T> l = new java.util.ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
