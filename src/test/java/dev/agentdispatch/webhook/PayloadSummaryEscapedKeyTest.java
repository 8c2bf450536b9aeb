package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadSummaryEscapedKeyTest {
  @Test
  void escaped_member_names_are_recognised_like_jackson_does() throws Exception {
    byte[] doc = "{\"act\\u0069on\":\"labeled\",\"sender\":{\"log\\u0069n\":\"alice\"}}"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(PayloadSummaryTest.expected(new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc)),
        PayloadSummary.of(doc));
  }
}
