package dev.agentdispatch.config;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an RSA private key from PEM text: PKCS#1 (the RSA-specific PEM GitHub hands out) or PKCS#8 (the
 * generic one). Error messages never contain key material.
 */
public final class PrivateKeys {
  private static final String PKCS1 = "RSA PRIVATE KEY";
  private static final String PKCS8 = "PRIVATE KEY";
  // AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters.
  private static final byte[] RSA_ALGORITHM_ID = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private PrivateKeys() {}

  public static RSAPrivateKey parse(String pem) {
    String text = pem.replace("\\n", "\n").trim();
    String type = text.contains("BEGIN " + PKCS1) ? PKCS1 : text.contains("BEGIN " + PKCS8) ? PKCS8 : null;
    if (type == null) {
      throw new IllegalArgumentException("not a PEM private key (expected a PKCS#1 or PKCS#8 PEM block)");
    }
    int start = text.indexOf("-----BEGIN " + type + "-----") + ("-----BEGIN " + type + "-----").length();
    int end = text.indexOf("-----END " + type + "-----");
    if (end < start) {
      throw new IllegalArgumentException("PEM private key has no END line");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(start, end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM private key is not valid base64");
    }
    byte[] pkcs8 = type.equals(PKCS1) ? wrapPkcs1(der) : der;
    try {
      return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("PEM private key is not a valid RSA key");
    }
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING pkcs1 }. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM_ID);
    body.write(0x04);
    writeLength(body, pkcs1.length);
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((length >>> (8 * i)) & 0xff);
    }
  }
}
