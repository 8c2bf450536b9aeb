package dev.agentdispatch.sandbox;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

/** Generates the app's RSA key pair at runtime and prints it as PEM (PKCS#1 like GitHub, or PKCS#8). */
final class Pem {
  private Pem() {}

  static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pkcs8(PrivateKey k) { return pem("PRIVATE KEY", k.getEncoded()); }

  /** GitHub hands out PKCS#1 PEM: the OCTET STRING inside the PKCS#8 structure. */
  static String pkcs1(PrivateKey k) {
    byte[] der = k.getEncoded();
    int[] pos = {0};
    header(der, pos, 0x30);              // PrivateKeyInfo SEQUENCE
    skip(der, pos, 0x02);                // version INTEGER
    skip(der, pos, 0x30);                // AlgorithmIdentifier SEQUENCE
    int len = header(der, pos, 0x04);    // privateKey OCTET STRING
    return pem("RSA PRIVATE KEY", Arrays.copyOfRange(der, pos[0], pos[0] + len));
  }

  private static int header(byte[] der, int[] pos, int tag) {
    if ((der[pos[0]++] & 0xff) != tag) throw new IllegalStateException("unexpected DER tag");
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) return b;
    int len = 0;
    for (int i = 0; i < (b & 0x7f); i++) len = (len << 8) | (der[pos[0]++] & 0xff);
    return len;
  }

  private static void skip(byte[] der, int[] pos, int tag) {
    int len = header(der, pos, tag);
    pos[0] += len;
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
