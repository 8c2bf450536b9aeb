package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignaturesTest {
  // GitHub's documented test vector (docs "Validating webhook deliveries"; FACTS.md 3.2).
  private static final String DOC_SECRET = "It's a Secret to Everybody";
  private static final byte[] DOC_PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String DOC_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void githubs_documented_vector_verifies() {
    assertTrue(new Signatures(List.of(DOC_SECRET)).verify(DOC_PAYLOAD, DOC_SIGNATURE));
  }

  @Test
  void sign_produces_githubs_documented_vector() {
    assertEquals(DOC_SIGNATURE, Signatures.sign(DOC_SECRET, DOC_PAYLOAD));
  }

  static Stream<Arguments> badHeaders() {
    String hex = DOC_SIGNATURE.substring("sha256=".length());
    return Stream.of(
        Arguments.of("missing", null),
        Arguments.of("empty", ""),
        Arguments.of("prefix only", "sha256="),
        Arguments.of("sha1 prefix", "sha1=" + hex),
        Arguments.of("no prefix", hex),
        Arguments.of("upper-case prefix", "SHA256=" + hex),
        Arguments.of("one hex digit changed", "sha256=" + hex.substring(0, 63) + (hex.endsWith("7") ? "8" : "7")),
        Arguments.of("truncated", DOC_SIGNATURE.substring(0, DOC_SIGNATURE.length() - 2)),
        Arguments.of("extra hex digits", DOC_SIGNATURE + "00"),
        Arguments.of("non-hex characters", "sha256=" + hex.substring(0, 62) + "zz"),
        Arguments.of("trailing space", DOC_SIGNATURE + " "),
        Arguments.of("signature of another payload", Signatures.sign(DOC_SECRET, "Hello, World?".getBytes())),
        Arguments.of("signed with another secret", Signatures.sign("another secret", DOC_PAYLOAD)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHeaders")
  void wrong_missing_or_malformed_headers_fail(String name, String header) {
    assertFalse(new Signatures(List.of(DOC_SECRET)).verify(DOC_PAYLOAD, header));
  }

  @Test
  void upper_case_hex_is_accepted_like_github_compares_digests() {
    String upper = "sha256=" + DOC_SIGNATURE.substring(7).toUpperCase();
    assertTrue(new Signatures(List.of(DOC_SECRET)).verify(DOC_PAYLOAD, upper));
  }

  @Test
  void during_rotation_either_of_two_secrets_verifies() {
    Signatures rotating = new Signatures(List.of("new-secret", DOC_SECRET));
    assertTrue(rotating.verify(DOC_PAYLOAD, DOC_SIGNATURE));
    assertTrue(rotating.verify(DOC_PAYLOAD, Signatures.sign("new-secret", DOC_PAYLOAD)));
    assertFalse(rotating.verify(DOC_PAYLOAD, Signatures.sign("third-secret", DOC_PAYLOAD)));
  }

  @Test
  void after_rotation_the_old_secret_no_longer_verifies() {
    assertFalse(new Signatures(List.of("new-secret")).verify(DOC_PAYLOAD, DOC_SIGNATURE));
  }

  @Test
  void the_empty_body_is_signed_too() {
    Signatures s = new Signatures(List.of(DOC_SECRET));
    assertTrue(s.verify(new byte[0], Signatures.sign(DOC_SECRET, new byte[0])));
    assertFalse(s.verify(new byte[0], DOC_SIGNATURE));
  }

  @Test
  void no_secret_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> new Signatures(List.of()));
  }
}
