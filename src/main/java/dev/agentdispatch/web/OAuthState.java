package dev.agentdispatch.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The web flow's {@code state} (CSRF) and PKCE pair, with no server-side storage so any instance can take the
 * callback: the state is {@code nonce.expiry.hmac}, signed with a key derived from TOKEN_ENCRYPTION_KEY; the browser
 * keeps {@code nonce.verifier} in a cookie, so a callback counts only in the browser that started the login.
 */
final class OAuthState {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final byte[] key;

  /** What the login hands out: the state for GitHub, the cookie for the browser, the PKCE challenge. */
  record Issued(String state, String cookie, String challenge) {}

  OAuthState(byte[] encryptionKey) {
    this.key = hmac(encryptionKey, "agent-dispatch oauth state");
  }

  Issued issue(long expiresAtMillis) {
    String nonce = random();
    String verifier = random();
    String signed = nonce + "." + expiresAtMillis;
    return new Issued(signed + "." + hmacText(signed), nonce + "." + verifier, challenge(verifier));
  }

  /**
   * The PKCE verifier when {@code state} is ours, unexpired at {@code now} and belongs to {@code cookie}; null
   * otherwise.
   */
  String verify(String state, String cookie, long now) {
    if (state == null || cookie == null) {
      return null;
    }
    String[] s = state.split("\\.");
    String[] c = cookie.split("\\.");
    if (s.length != 3 || c.length != 2) {
      return null;
    }
    String signed = s[0] + "." + s[1];
    boolean ours = MessageDigest.isEqual(hmacText(signed).getBytes(StandardCharsets.US_ASCII),
        s[2].getBytes(StandardCharsets.US_ASCII));
    boolean sameBrowser = MessageDigest.isEqual(s[0].getBytes(StandardCharsets.US_ASCII),
        c[0].getBytes(StandardCharsets.US_ASCII));
    long expires;
    try {
      expires = Long.parseLong(s[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    return ours && sameBrowser && now < expires ? c[1] : null;
  }

  /** S256: base64url(sha256(verifier)). */
  static String challenge(String verifier) {
    try {
      return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String hmacText(String text) {
    return B64.encodeToString(hmac(key, text));
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }
}
