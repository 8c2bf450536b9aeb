package dev.agentdispatch.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few top-level fields the inbox indexes, read in one streaming pass that also proves the body
 * is a well-formed JSON object.
 */
record PayloadSummary(String action, Long installationId, String repository, String sender) {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** Parses a payload; throws {@link IllegalArgumentException} if it is not one well-formed JSON object. */
  static PayloadSummary of(byte[] body) {
    String action = null;
    Long installation = null;
    String repository = null;
    String sender = null;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("payload is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "action" -> action = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
          case "installation" -> installation = value == JsonToken.START_OBJECT ? longField(p, "id") : skipLong(p);
          case "repository" -> repository = value == JsonToken.START_OBJECT ? textField(p, "full_name") : skip(p);
          case "sender" -> sender = value == JsonToken.START_OBJECT ? textField(p, "login") : skip(p);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalArgumentException("payload has content after the JSON object");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("payload is not valid JSON: " + firstLine(e.getMessage()));
    }
    return new PayloadSummary(action, installation, repository, sender);
  }

  private static String textField(JsonParser p, String name) throws IOException {
    String found = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals(name) && value == JsonToken.VALUE_STRING) {
        found = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private static Long longField(JsonParser p, String name) throws IOException {
    Long found = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
        found = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static Long skipLong(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
