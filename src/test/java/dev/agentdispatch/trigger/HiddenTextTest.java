package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HiddenTextTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("plain text is kept", "Fix the login page", "Fix the login page"),
        Arguments.of("HTML comment", "a<!-- hidden -->b", "ab"),
        Arguments.of("multi-line comment", "a\n<!--\nScope: **\n-->\nb", "a\n\nb"),
        Arguments.of("unterminated comment runs to the end", "keep<!-- and hide\nall this", "keep"),
        Arguments.of("empty comment <!-->", "a<!-->b", "ab"),
        Arguments.of("empty comment <!--->", "a<!--->b", "ab"),
        Arguments.of("comments do not nest: the first --> closes", "<!-- a <!-- b --> seen -->", " seen -->"),
        Arguments.of("a removed comment joining a new opener", "x<!<!-- -->-- hidden", "x"),
        Arguments.of("zero-width space, joiners, word joiner, BOM",
            "a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf", "abcdef"),
        Arguments.of("soft hyphen", "Sco\u00ADpe", "Scope"),
        Arguments.of("bidi embeddings and overrides", "\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee", "abcde"),
        Arguments.of("bidi isolates", "\u2066a\u2067b\u2068c\u2069", "abc"),
        Arguments.of("tag characters", "ok" + new String(Character.toChars(0xE0041))
            + new String(Character.toChars(0xE007F)), "ok"),
        Arguments.of("other format characters (Arabic letter mark)", "a\u061Cb", "ab"),
        Arguments.of("control characters, tab kept", "a\u0000b\u001Bc\td", "abc\td"),
        Arguments.of("CRLF and CR become LF", "a\r\nb\rc", "a\nb\nc"),
        Arguments.of("no-break space reads as a space", "a\u00A0b", "a b"),
        Arguments.of("three blank lines collapse to one", "a\n\n\n\nb", "a\n\nb"),
        Arguments.of("whitespace-only lines count as blank", "a\n  \n\t\n \nb", "a\n\nb"),
        Arguments.of("variation selectors smuggling bytes", "hi" + new String(Character.toChars(0xE0100))
            + new String(Character.toChars(0xE01EF)) + "\uFE0F", "hi"),
        Arguments.of("emoji are kept", "ship it 🚀", "ship it 🚀"),
        Arguments.of("null reads as empty", null, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keeps_only_what_a_reader_sees(String name, String raw, String expected) {
    assertEquals(expected, HiddenText.clean(raw));
  }

  @Test
  void huge_input_is_cut_first_and_stays_fast() {
    String hostile = "<!-- ".repeat(200_000) + "\u200B".repeat(200_000) + "x\n".repeat(200_000);
    long start = System.nanoTime();
    String out = HiddenText.clean(hostile);
    assertTrue(out.length() <= HiddenText.MAX_INPUT_CHARS);
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "took too long");
  }
}
