package dev.agentdispatch.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A parsed YAML file together with the line of every key, so problems can name their line. */
record YamlDocument(JsonNode root, Map<String, Integer> lines) {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

  /** Parses YAML text; throws {@link ConfigSyntaxError} with the line of a syntax error. */
  static YamlDocument parse(String text) {
    try {
      JsonNode root = MAPPER.readTree(text);
      return new YamlDocument(root == null ? MAPPER.createObjectNode() : root, lines(text));
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigSyntaxError(line, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigSyntaxError(0, "not readable: " + e.getMessage());
    }
  }

  /** The line of a dotted key path such as {@code allowed.users}, or 0 if unknown. */
  int lineOf(String path) {
    return lines.getOrDefault(path, 0);
  }

  private static Map<String, Integer> lines(String text) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    List<String> containers = new ArrayList<>(); // the key each open object or array hangs from (null: none)
    try (JsonParser p = YAML.createParser(text)) {
      String pending = null;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case FIELD_NAME -> {
            pending = p.currentName();
            StringBuilder key = new StringBuilder();
            containers.stream().filter(Objects::nonNull).forEach(c -> key.append(c).append('.'));
            lines.putIfAbsent(key.append(pending).toString(), p.currentLocation().getLineNr());
          }
          case START_OBJECT, START_ARRAY -> {
            containers.add(pending);
            pending = null;
          }
          case END_OBJECT, END_ARRAY -> containers.remove(containers.size() - 1);
          default -> pending = null;
        }
      }
    }
    return lines;
  }

  /** A file that is not YAML at all. */
  static final class ConfigSyntaxError extends RuntimeException {
    final int line;

    ConfigSyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }
  }
}
