package dev.agentdispatch;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Test credentials made at test time: one RSA key as PKCS#8 and PKCS#1 PEM, and a valid environment. */
public final class TestEnv {
  public static final String SECRET = "s3cret-webhook-value-XYZ";
  public static final String OLD_SECRET = "old-webhook-secret-ABC";
  public static final String ADMIN_TOKEN = "admin-token-value-QWE";
  public static final String AGENT_TOKEN = "agent-token-value-RTY";
  public static final RSAPrivateKey KEY;
  public static final String PKCS8_PEM;
  public static final String PKCS1_PEM;

  static {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
      kpg.initialize(2048);
      KEY = (RSAPrivateKey) kpg.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
    byte[] pkcs8 = KEY.getEncoded();
    PKCS8_PEM = pem("PRIVATE KEY", pkcs8);
    PKCS1_PEM = pem("RSA PRIVATE KEY", pkcs1Of(pkcs8));
  }

  private TestEnv() {}

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The PKCS#1 RSAPrivateKey is the OCTET STRING inside the PKCS#8 PrivateKeyInfo. */
  static byte[] pkcs1Of(byte[] pkcs8) {
    ByteArrayInputStream in = new ByteArrayInputStream(pkcs8);
    expect(in, 0x30);
    length(in);
    expect(in, 0x02); // version
    in.skip(length(in));
    expect(in, 0x30); // AlgorithmIdentifier
    in.skip(length(in));
    expect(in, 0x04);
    int n = length(in);
    byte[] out = new byte[n];
    if (in.read(out, 0, n) != n) {
      throw new IllegalStateException("short PKCS#8");
    }
    return out;
  }

  private static void expect(ByteArrayInputStream in, int tag) {
    int t = in.read();
    if (t != tag) {
      throw new IllegalStateException("DER tag " + t + " where " + tag + " was expected");
    }
  }

  private static int length(ByteArrayInputStream in) {
    int first = in.read();
    if (first < 0x80) {
      return first;
    }
    int n = 0;
    for (int k = 0; k < (first & 0x7f); k++) {
      n = (n << 8) | in.read();
    }
    return n;
  }

  /** A complete, valid environment for the app with a SQLite file in {@code dir} and a random port. */
  public static Map<String, String> env(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("APP_ID", "12345");
    env.put("PRIVATE_KEY", PKCS8_PEM);
    env.put("WEBHOOK_SECRET", SECRET);
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("PORT", "0");
    env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("app.db"));
    return env;
  }

  /** The folder of real webhook payloads shared by the team. */
  public static Path webhookExamples() {
    Path relative = Path.of("..", "shared", "github", "webhook-examples");
    return Files.isDirectory(relative) ? relative : Path.of("/work/shared/github/webhook-examples");
  }
}
