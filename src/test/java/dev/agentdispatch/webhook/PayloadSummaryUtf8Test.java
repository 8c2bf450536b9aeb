package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8259 section 8.1: JSON text is UTF-8; PayloadSummary promises well-formed JSON. */
class PayloadSummaryUtf8Test {
  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("lone 0xff byte in a string", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'}),
        Arguments.of("lone continuation byte", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'}),
        Arguments.of("truncated two-byte sequence", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'}),
        Arguments.of("overlong encoding of '/'", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'}),
        Arguments.of("invalid byte in the action value",
            new byte[] {'{', '"', 'a', 'c', 't', 'i', 'o', 'n', '"', ':', '"', (byte) 0xfe, '"', '}'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalid_utf8_is_refused_like_jackson_refuses_it(String name, byte[] doc) {
    assertFalse(PayloadSummaryTest.jacksonAccepts(doc));
    assertThrows(IllegalArgumentException.class, () -> PayloadSummary.of(doc));
  }
}
