package dev.agentdispatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentdispatch.TestEnv;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PrivateKeysTest {

  @Test
  void pkcs1_and_pkcs8_pems_parse_to_the_same_key() {
    RSAPrivateKey fromPkcs1 = PrivateKeys.parse(TestEnv.PKCS1_PEM);
    RSAPrivateKey fromPkcs8 = PrivateKeys.parse(TestEnv.PKCS8_PEM);
    assertEquals(TestEnv.KEY.getModulus(), fromPkcs1.getModulus());
    assertEquals(TestEnv.KEY.getPrivateExponent(), fromPkcs1.getPrivateExponent());
    assertEquals(fromPkcs8.getModulus(), fromPkcs1.getModulus());
    assertEquals(fromPkcs8.getPrivateExponent(), fromPkcs1.getPrivateExponent());
  }

  @Test
  void pem_with_literal_backslash_n_escapes_parses() {
    for (String pem : new String[] {TestEnv.PKCS1_PEM, TestEnv.PKCS8_PEM}) {
      String escaped = pem.replace("\n", "\\n");
      assertFalse(escaped.contains("\n"));
      assertEquals(TestEnv.KEY.getModulus(), PrivateKeys.parse(escaped).getModulus());
    }
  }

  @Test
  void pem_with_windows_line_endings_parses() {
    assertEquals(TestEnv.KEY.getModulus(), PrivateKeys.parse(TestEnv.PKCS1_PEM.replace("\n", "\r\n")).getModulus());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "garbage-KEYMATERIAL-1234",
      "-----BEGIN RSA PRIVATE KEY-----\nKEYMATERIALnotbase64!!!\n-----END RSA PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\nS0VZTUFURVJJQUw=\n-----END PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\nS0VZTUFURVJJQUw=",
      "-----BEGIN RSA PRIVATE KEY-----\nS0VZTUFURVJJQUw=\n-----END RSA PRIVATE KEY-----",
      ""})
  void garbage_is_refused_without_echoing_the_input(String pem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse(pem));
    assertFalse(e.getMessage().contains("KEYMATERIAL"), e.getMessage());
    assertFalse(e.getMessage().contains("S0VZTUFURVJJQUw"), e.getMessage());
  }

  @Test
  void a_truncated_real_key_is_refused_without_echoing_key_material() {
    String body = TestEnv.PKCS8_PEM.split("\n")[3];
    String truncated = TestEnv.PKCS8_PEM.replace(body + "\n", "");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrivateKeys.parse(truncated));
    assertFalse(e.getMessage().contains(TestEnv.PKCS8_PEM.split("\n")[1].substring(0, 20)), e.getMessage());
  }
}
