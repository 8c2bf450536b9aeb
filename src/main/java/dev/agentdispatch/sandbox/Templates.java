package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response templates: the examples from GitHub's OpenAPI description (see extract-templates.py), so every field
 * the schema requires is present. Renderers copy a template, then overwrite what the world knows.
 */
final class Templates {
  private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();

  private Templates() {}

  static ObjectNode of(String name) {
    JsonNode t = CACHE.computeIfAbsent(name, Templates::load);
    return (ObjectNode) t.deepCopy();
  }

  private static JsonNode load(String name) {
    String res = "/sandbox/templates/" + name + ".json";
    try (InputStream in = Templates.class.getResourceAsStream(res)) {
      if (in == null) throw new IllegalStateException("missing template " + res);
      return Sim.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + res, e);
    }
  }

  /** Replaces each {@code from} with its {@code to} in every string value of the tree, in map order. */
  static void rewrite(JsonNode node, Map<String, String> replacements) {
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) e.setValue(TextNode.valueOf(replace(e.getValue().asText(), replacements)));
        else rewrite(e.getValue(), replacements);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) a.set(i, TextNode.valueOf(replace(a.get(i).asText(), replacements)));
        else rewrite(a.get(i), replacements);
      }
    }
  }

  private static String replace(String s, Map<String, String> replacements) {
    for (var r : replacements.entrySet()) s = s.replace(r.getKey(), r.getValue());
    return s;
  }
}
