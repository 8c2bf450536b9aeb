package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.TestEnv;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadSummaryTest {
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static List<Path> realPayloads() throws IOException {
    try (Stream<Path> files = Files.list(TestEnv.webhookExamples())) {
      List<Path> list = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
      assertFalse(list.isEmpty(), "no payloads in " + TestEnv.webhookExamples());
      return list;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realPayloads")
  void extracts_the_indexed_fields_of_every_real_payload(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    PayloadSummary summary = PayloadSummary.of(bytes);
    assertEquals(expected(STRICT.readTree(bytes)), summary);
  }

  @Test
  void real_payloads_carry_the_fields_we_index() throws IOException {
    PayloadSummary s = PayloadSummary.of(Files.readAllBytes(
        TestEnv.webhookExamples().resolve("check_suite.requested.1.json")));
    assertEquals("requested", s.action());
    assertTrue(s.installationId() != null && s.installationId() > 0, s.toString());
    assertTrue(s.repository() != null && s.repository().contains("/"), s.toString());
    assertTrue(s.sender() != null && !s.sender().isEmpty(), s.toString());
  }

  /** What PayloadSummary should report, read by Jackson from the same document. */
  static PayloadSummary expected(JsonNode n) {
    JsonNode action = n.get("action");
    JsonNode id = n.path("installation").path("id");
    JsonNode repo = n.path("repository").path("full_name");
    JsonNode sender = n.path("sender").path("login");
    return new PayloadSummary(action != null && action.isTextual() ? action.textValue() : null,
        id.isIntegralNumber() && id.canConvertToLong() ? id.longValue() : null,
        repo.isTextual() ? repo.textValue() : null,
        sender.isTextual() ? sender.textValue() : null);
  }

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of("empty object", "{}", new PayloadSummary(null, null, null, null)),
        Arguments.of("whitespace around", " \t\r\n{ } \n", new PayloadSummary(null, null, null, null)),
        Arguments.of("all four fields",
            "{\"action\":\"labeled\",\"installation\":{\"id\":7},\"repository\":{\"full_name\":\"o/r\"},"
                + "\"sender\":{\"login\":\"alice\"}}",
            new PayloadSummary("labeled", 7L, "o/r", "alice")),
        Arguments.of("escapes in values",
            "{\"action\":\"a\\\"b\\\\c\\/d\\n\\u00e9\",\"sender\":{\"login\":\"\\u0041x\"}}",
            new PayloadSummary("a\"b\\c/d\né", null, null, "Ax")),
        Arguments.of("non-ASCII UTF-8 and emoji",
            "{\"repository\":{\"full_name\":\"ö/😀\"},\"sender\":{\"login\":\"ジョン\"}}",
            new PayloadSummary(null, null, "ö/😀", "ジョン")),
        Arguments.of("nested fields beside other members and values",
            "{\"x\":[1,-2.5e+3,true,false,null,{\"y\":[]}],\"installation\":{\"node_id\":\"n\",\"id\":9223372036854775807,"
                + "\"z\":{}},\"repository\":{\"owner\":{\"full_name\":\"deep/er\"},\"full_name\":\"top/level\"}}",
            new PayloadSummary(null, Long.MAX_VALUE, "top/level", null)),
        Arguments.of("fields of other types are absent",
            "{\"action\":null,\"installation\":{\"id\":\"7\"},\"repository\":\"o/r\",\"sender\":[\"alice\"]}",
            new PayloadSummary(null, null, null, null)),
        Arguments.of("non-integer installation id", "{\"installation\":{\"id\":1.5}}",
            new PayloadSummary(null, null, null, null)),
        Arguments.of("names only count at the top level",
            "{\"issue\":{\"action\":\"x\",\"sender\":{\"login\":\"nested\"}}}",
            new PayloadSummary(null, null, null, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void reads_well_formed_objects(String name, String json, PayloadSummary expected) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, PayloadSummary.of(bytes));
    assertEquals(expected, expected(STRICT.readTree(bytes)), "Jackson agrees");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("whitespace only", "  \n"),
        Arguments.of("truncated", "{\"action\":\"labeled\",\"sender\":{\"login\":\"al"),
        Arguments.of("truncated after a member", "{\"action\":\"labeled\","),
        Arguments.of("missing closing brace", "{\"action\":\"labeled\""),
        Arguments.of("trailing garbage", "{\"action\":\"labeled\"}x"),
        Arguments.of("two objects", "{}{}"),
        Arguments.of("trailing comma in object", "{\"a\":1,}"),
        Arguments.of("trailing comma in array", "{\"a\":[1,]}"),
        Arguments.of("bare array", "[{\"action\":\"labeled\"}]"),
        Arguments.of("bare string", "\"labeled\""),
        Arguments.of("bare number", "1"),
        Arguments.of("unquoted key", "{action:\"labeled\"}"),
        Arguments.of("single quotes", "{'action':'labeled'}"),
        Arguments.of("missing colon", "{\"action\" \"labeled\"}"),
        Arguments.of("missing comma", "{\"a\":1 \"b\":2}"),
        Arguments.of("bad escape", "{\"action\":\"lab\\xeled\"}"),
        Arguments.of("bad unicode escape", "{\"action\":\"\\u12G4\"}"),
        Arguments.of("short unicode escape at the end", "{\"action\":\"\\u12"),
        Arguments.of("control char in string", "{\"action\":\"lab\u0001eled\"}"),
        Arguments.of("raw newline in string", "{\"action\":\"lab\neled\"}"),
        Arguments.of("leading zeros", "{\"installation\":{\"id\":0123}}"),
        Arguments.of("leading zeros elsewhere", "{\"n\":00}"),
        Arguments.of("lone minus", "{\"n\":-}"),
        Arguments.of("plus sign", "{\"n\":+1}"),
        Arguments.of("decimal point without digits", "{\"n\":1.}"),
        Arguments.of("no digit before the point", "{\"n\":.5}"),
        Arguments.of("exponent without digits", "{\"n\":1e}"),
        Arguments.of("NaN", "{\"n\":NaN}"),
        Arguments.of("bad literal", "{\"n\":tru}"),
        Arguments.of("capitalised literal", "{\"n\":True}"),
        Arguments.of("comment", "{/* c */\"a\":1}"),
        Arguments.of("unterminated string", "{\"action\":\"labeled}"),
        Arguments.of("non-string key", "{1:2}"),
        Arguments.of("deep nesting 10,000 levels in arrays", "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
        Arguments.of("deep nesting 10,000 levels in objects",
            "{\"a\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"),
        Arguments.of("deep nesting 10,000 levels under repository",
            "{\"repository\":{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformed_documents_are_refused(String name, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayloadSummary.of(bytes));
    assertTrue(e.getMessage().startsWith("payload is not"), e.getMessage());
    assertFalse(jacksonAccepts(bytes), "Jackson refuses it too");
  }

  @Test
  void the_error_message_does_not_echo_the_payload() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PayloadSummary.of("{\"token\":\"ghs_SECRETVALUE\" x}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(e.getMessage().contains("SECRETVALUE"), e.getMessage());
  }

  /** Bytes that matter to the JSON grammar, plus ASCII controls and letters. */
  private static final byte[] ALPHABET =
      "{}[]\",:\\/ \t\n\r0123456789-+.eEtrufalsnbxAZ'\u0000\u0001\u001f\u007f".getBytes(StandardCharsets.US_ASCII);

  @Test
  void agrees_with_jackson_on_hundreds_of_randomly_mutated_real_payloads() throws IOException {
    Random random = new Random(20261126L);
    List<byte[]> sources = new ArrayList<>();
    for (Path p : realPayloads()) {
      sources.add(Files.readAllBytes(p));
    }
    int accepted = 0;
    int refused = 0;
    List<String> disagreements = new ArrayList<>();
    for (int round = 0; round < 600; round++) {
      byte[] source = sources.get(random.nextInt(sources.size()));
      byte[] doc = mutate(source, random);
      boolean jackson = jacksonAccepts(doc);
      boolean ours;
      PayloadSummary summary = null;
      try {
        summary = PayloadSummary.of(doc);
        ours = true;
      } catch (IllegalArgumentException e) {
        ours = false;
      } catch (RuntimeException | StackOverflowError e) {
        fail("round " + round + ": " + e, e);
        return;
      }
      if (ours != jackson) {
        disagreements.add("round " + round + ": PayloadSummary " + (ours ? "accepts" : "refuses")
            + ", Jackson " + (jackson ? "accepts" : "refuses") + ": " + describe(source, doc));
      } else if (ours) {
        accepted++;
        PayloadSummary want = expected(STRICT.readTree(doc));
        if (!want.equals(summary)) {
          disagreements.add("round " + round + ": fields " + summary + " vs Jackson " + want);
        }
      } else {
        refused++;
      }
    }
    assertEquals(List.of(), disagreements);
    assertTrue(accepted > 50 && refused > 50, "both outcomes exercised: " + accepted + " accepted, " + refused
        + " refused");
  }

  /** Strings are skipped eight bytes at a time: a byte that matters must be seen at every place in a word. */
  @Test
  void every_byte_that_matters_in_a_string_is_seen_wherever_it_falls_in_an_eight_byte_word() throws IOException {
    byte[][] inserts = {{'"'}, {'\\', 'n'}, {'\\', 'u', '0', '0', 'e', '9'}, {'\\', 'x'}, {0x01}, {0x1f}, {0x7f},
        {(byte) 0xc3, (byte) 0xa9}, {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (int before = 0; before < 20; before++) {
      for (byte[] insert : inserts) {
        java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
        doc.writeBytes("{\"action\":\"".getBytes(StandardCharsets.US_ASCII));
        doc.writeBytes("a".repeat(before).getBytes(StandardCharsets.US_ASCII));
        doc.writeBytes(insert);
        doc.writeBytes("bcdefghijklmnop\",\"sender\":{\"login\":\"octocat\"}}".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = doc.toByteArray();
        boolean ours;
        try {
          PayloadSummary summary = PayloadSummary.of(bytes);
          ours = true;
          assertEquals(expected(STRICT.readTree(bytes)), summary);
        } catch (IllegalArgumentException e) {
          ours = false;
        }
        if (ours != jacksonAccepts(bytes)) {
          disagreements.add(before + " bytes then " + Arrays.toString(insert) + ": we " + (ours ? "accept" : "refuse"));
        }
        accepted += ours ? 1 : 0;
      }
    }
    assertEquals(List.of(), disagreements);
    assertEquals(20 * 4, accepted, "the two escapes, DEL and a well-formed two-byte character are accepted");
  }

  private static byte[] mutate(byte[] source, Random random) {
    byte[] doc = source.clone();
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits && doc.length > 0; k++) {
      int at = random.nextInt(doc.length);
      byte with = ALPHABET[random.nextInt(ALPHABET.length)];
      switch (random.nextInt(5)) {
        case 0 -> doc[at] = with;
        case 1 -> {
          byte[] longer = new byte[doc.length + 1];
          System.arraycopy(doc, 0, longer, 0, at);
          longer[at] = with;
          System.arraycopy(doc, at, longer, at + 1, doc.length - at);
          doc = longer;
        }
        case 2 -> {
          byte[] shorter = new byte[doc.length - 1];
          System.arraycopy(doc, 0, shorter, 0, at);
          System.arraycopy(doc, at + 1, shorter, at, doc.length - at - 1);
          doc = shorter;
        }
        case 3 -> doc = Arrays.copyOf(doc, at);
        default -> {
          // swap with a neighbour: moves brackets, quotes and commas
          int other = Math.min(doc.length - 1, at + 1);
          byte t = doc[at];
          doc[at] = doc[other];
          doc[other] = t;
        }
      }
    }
    return doc;
  }

  private static String describe(byte[] source, byte[] doc) {
    int first = 0;
    while (first < source.length && first < doc.length && source[first] == doc[first]) {
      first++;
    }
    int from = Math.max(0, first - 30);
    int to = Math.min(doc.length, first + 30);
    return "first change at byte " + first + ", around it: "
        + new String(doc, from, to - from, StandardCharsets.UTF_8).replace("\n", "\\n");
  }

  /** Strict reference: valid UTF-8, one JSON object, nothing after it. */
  static boolean jacksonAccepts(byte[] doc) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(doc)).toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    try {
      JsonNode node = STRICT.readTree(text);
      return node != null && node.isObject();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void a_missing_top_level_field_is_null() {
    PayloadSummary s = PayloadSummary.of("{\"zen\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
    assertNull(s.action());
    assertNull(s.installationId());
  }
}
