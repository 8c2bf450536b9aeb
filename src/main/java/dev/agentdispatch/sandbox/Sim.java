package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Small shared helpers: the JSON mapper, GitHub timestamps, fake SHAs and node ids. */
final class Sim {
  static final ObjectMapper JSON = new ObjectMapper();

  private Sim() {}

  /** GitHub prints timestamps as ISO-8601 UTC with whole seconds. */
  static String ts(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String sha1(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      for (String p : parts) md.update((p + "\u0000").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A GraphQL-style node id such as "PR_kwDOsim123". */
  static String nodeId(String prefix, long id) {
    return prefix + "_kwDOsim" + Long.toString(id, 36);
  }
}
