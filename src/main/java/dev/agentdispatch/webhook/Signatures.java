package dev.agentdispatch.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256}: HMAC-SHA256 of the raw body bytes, hex, prefixed {@code sha256=},
 * compared in constant time. Holds one secret, or two while a secret is being rotated.
 */
public final class Signatures {
  private static final String PREFIX = "sha256=";
  /** One keyed Mac per secret and thread: looking up and keying a Mac costs more than hashing a payload. */
  private final List<ThreadLocal<Mac>> macs;

  public Signatures(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook secret is needed");
    }
    this.macs = secrets.stream()
        .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .map(key -> ThreadLocal.withInitial(() -> keyed(key)))
        .toList();
  }

  /** True if the header carries a valid signature of {@code body} under any of the secrets. */
  public boolean verify(byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX) || header.length() != PREFIX.length() + 64) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean ok = false;
    for (ThreadLocal<Mac> mac : macs) {
      ok |= MessageDigest.isEqual(mac.get().doFinal(body), given);
    }
    return ok;
  }

  /** The header value GitHub would send for {@code body} signed with {@code secret}. */
  public static String sign(String secret, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(
        hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), body));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] body) {
    return keyed(key).doFinal(body);
  }

  private static Mac keyed(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
