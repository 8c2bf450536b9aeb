package dev.agentdispatch.webhook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few top-level fields the inbox indexes ({@code action}, {@code installation.id},
 * {@code repository.full_name}, {@code sender.login}), read in one pass over the bytes that also proves
 * the body is one well-formed JSON object (RFC 8259 grammar). It allocates only the four values: this
 * runs on every delivery, before the 202.
 */
record PayloadSummary(String action, Long installationId, String repository, String sender) {
  private static final int MAX_DEPTH = 256;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long SPACES = 0x2020202020202020L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Parses a payload; throws {@link IllegalArgumentException} if it is not one well-formed JSON object. */
  static PayloadSummary of(byte[] body) {
    return new Scanner(body).summary();
  }

  /** Reads one member's value; the key is bytes [keyStart, keyEnd) of the body. */
  private interface Member {
    void value(int keyStart, int keyEnd);
  }

  private static final class Scanner {
    private final byte[] b;
    private int i;
    private String action;
    private Long installation;
    private String repository;
    private String sender;

    Scanner(byte[] body) {
      this.b = body;
    }

    PayloadSummary summary() {
      ws();
      if (peek() != '{') {
        throw error("payload is not a JSON object");
      }
      topObject();
      ws();
      if (i != b.length) {
        throw error("payload has content after the JSON object");
      }
      return new PayloadSummary(action, installation, repository, sender);
    }

    private void topObject() {
      object((keyStart, keyEnd) -> {
        if (keyIs(keyStart, keyEnd, "action") && peek() == '"') {
          action = stringValue();
        } else if (keyIs(keyStart, keyEnd, "installation") && peek() == '{') {
          installation = nestedNumber("id");
        } else if (keyIs(keyStart, keyEnd, "repository") && peek() == '{') {
          repository = nestedString("full_name");
        } else if (keyIs(keyStart, keyEnd, "sender") && peek() == '{') {
          sender = nestedString("login");
        } else {
          value(1);
        }
      });
    }

    /** Reads an object one level down, returning the string member {@code name}, validating the rest. */
    private String nestedString(String name) {
      String[] found = new String[1];
      nested(name, () -> {
        if (peek() == '"') {
          found[0] = stringValue();
        } else {
          value(2);
        }
      });
      return found[0];
    }

    private Long nestedNumber(String name) {
      Long[] found = new Long[1];
      nested(name, () -> {
        int start = i;
        value(2);
        try {
          found[0] = Long.parseLong(new String(b, start, i - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException notAnInteger) {
          found[0] = null;
        }
      });
      return found[0];
    }

    private void nested(String name, Runnable onMember) {
      object((keyStart, keyEnd) -> {
        if (keyIs(keyStart, keyEnd, name)) {
          onMember.run();
        } else {
          value(2);
        }
      });
    }

    /** Reads an object at the cursor, handing each member's key span to {@code member} to read its value. */
    private void object(Member member) {
      if (empty('}')) {
        return;
      }
      do {
        int keyStart = i + 1;
        string();
        int keyEnd = i - 1;
        colon();
        member.value(keyStart, keyEnd);
      } while (!endOfMembers('}'));
    }

    /** Steps past an opening bracket; true if {@code close} follows at once (and steps past it too). */
    private boolean empty(char close) {
      i++;
      ws();
      if (peek() == close) {
        i++;
        return true;
      }
      return false;
    }

    private void value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("payload nests deeper than " + MAX_DEPTH + " levels");
      }
      ws();
      switch (peek()) {
        case '{' -> { // not object(): no member callback to allocate for the many objects that are skipped
          if (empty('}')) {
            return;
          }
          do {
            string();
            colon();
            value(depth + 1);
          } while (!endOfMembers('}'));
        }
        case '[' -> {
          if (empty(']')) {
            return;
          }
          do {
            value(depth + 1);
          } while (!endOfMembers(']'));
        }
        case '"' -> string();
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> number();
      }
    }

    /** After a member or element: true at the closing bracket, false at a comma. */
    private boolean endOfMembers(char close) {
      ws();
      int c = peek();
      i++;
      if (c == ',') {
        ws();
        return false;
      }
      if (c == close) {
        return true;
      }
      throw error("expected ',' or '" + close + "'");
    }

    private void colon() {
      ws();
      if (peek() != ':') {
        throw error("expected ':'");
      }
      i++;
      ws();
    }

    private String stringValue() {
      int start = i + 1;
      boolean escaped = string();
      String raw = new String(b, start, i - 1 - start, StandardCharsets.UTF_8);
      return escaped ? unescape(raw) : raw;
    }

    /** Skips a string; returns true if it held escapes. */
    private boolean string() {
      if (peek() != '"') {
        throw error("expected a string");
      }
      i++;
      boolean escaped = false;
      while (true) {
        skipPlain();
        if (i >= b.length) {
          throw error("unterminated string");
        }
        int c = b[i++] & 0xff;
        if (c == '"') {
          return escaped;
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c >= 0x80) {
          utf8(c);
          continue;
        }
        if (c == '\\') {
          escaped = true;
          int e = i < b.length ? b[i++] : -1;
          if (e == 'u') {
            for (int k = 0; k < 4; k++) {
              if (i >= b.length || Character.digit(b[i++], 16) < 0) {
                throw error("bad \\u escape");
              }
            }
          } else if ("\"\\/bfnrt".indexOf(e) < 0 || e == -1) {
            throw error("bad escape");
          }
        }
      }
    }

    /**
     * Moves past plain string bytes (printable ASCII other than quote and backslash) eight at a time; stops at
     * the first byte that needs a look, or fewer than eight bytes before the end.
     */
    private void skipPlain() {
      while (i + 8 <= b.length) {
        long x = (long) LONGS.get(b, i);
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        // a byte's high bit is set below if it is 0x22, 0x5C, under 0x20 or over 0x7F; a borrow can only mark
        // bytes after such a byte, so the lowest marked byte is always a real one
        long marked = ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (x - SPACES) & ~x | x) & HIGHS;
        if (marked != 0) {
          i += Long.numberOfTrailingZeros(marked) >>> 3;
          return;
        }
        i += 8;
      }
    }

    /** Checks one UTF-8 sequence whose lead byte {@code c} was just read (RFC 3629: no overlongs, no surrogates). */
    private void utf8(int c) {
      int more;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
      } else {
        throw error("invalid UTF-8");
      }
      for (int k = 0; k < more; k++) {
        int next = i < b.length ? b[i++] & 0xff : -1;
        if (next < (k == 0 ? lo : 0x80) || next > (k == 0 ? hi : 0xBF)) {
          throw error("invalid UTF-8");
        }
      }
    }

    private void number() {
      int start = i;
      if (peek() == '-') {
        i++;
      }
      if (peek() == '0') {
        i++;
      } else if (digits() == 0) {
        throw error(i == start ? "unexpected character" : "bad number");
      }
      if (peek() == '.') {
        i++;
        if (digits() == 0) {
          throw error("bad number");
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        i++;
        if (peek() == '+' || peek() == '-') {
          i++;
        }
        if (digits() == 0) {
          throw error("bad number");
        }
      }
    }

    private int digits() {
      int start = i;
      while (i < b.length && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      return i - start;
    }

    private void literal(String word) {
      for (int k = 0; k < word.length(); k++) {
        if (i >= b.length || b[i++] != word.charAt(k)) {
          throw error("bad literal");
        }
      }
    }

    private void ws() {
      while (i < b.length) {
        byte c = b[i];
        if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
          return;
        }
        i++;
      }
    }

    private int peek() {
      return i < b.length ? b[i] : -1;
    }

    private boolean keyIs(int start, int end, String key) {
      for (int k = start; k < end; k++) {
        if (b[k] == '\\') { // a name written with escapes: compare its decoded text (rare)
          return unescape(new String(b, start, end - start, StandardCharsets.UTF_8)).equals(key);
        }
      }
      if (end - start != key.length()) {
        return false;
      }
      for (int k = 0; k < key.length(); k++) {
        if (b[start + k] != key.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    private IllegalArgumentException error(String what) {
      String at = i >= b.length ? "at the end" : "at byte " + i;
      return new IllegalArgumentException("payload is not valid JSON: " + what + " " + at);
    }

    private static String unescape(String raw) {
      StringBuilder out = new StringBuilder(raw.length());
      for (int k = 0; k < raw.length(); k++) {
        char c = raw.charAt(k);
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = raw.charAt(++k);
        switch (e) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(raw.substring(k + 1, k + 5), 16));
            k += 4;
          }
          default -> out.append(e);
        }
      }
      return out.toString();
    }
  }
}
