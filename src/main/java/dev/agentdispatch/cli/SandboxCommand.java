package dev.agentdispatch.cli;

import dev.agentdispatch.App;
import dev.agentdispatch.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox}: the app on one machine with generated credentials and its own SQLite file. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = "Runs the app with a generated webhook secret, app key and database, to try it locally.")
final class SandboxCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Port of the app (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
  int port;

  @Option(names = "--data", description = "Folder for the sandbox database (default: a new temporary folder).")
  Path data;

  @Override
  public Integer call() throws Exception {
    Path folder = data != null ? Files.createDirectories(data) : Files.createTempDirectory("agent-dispatch-sandbox");
    String secret = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
    String adminToken = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
    kpg.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(kpg.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("APP_ID", "1");
    env.put("PRIVATE_KEY", pem);
    env.put("WEBHOOK_SECRET", secret);
    env.put("PORT", String.valueOf(port));
    env.put("ADMIN_TOKEN", adminToken);
    env.put("DATABASE_URL", "jdbc:sqlite:" + folder.resolve("sandbox.db"));
    env.remove("WEBHOOK_PATH");
    Settings settings = Settings.fromEnv(env);
    App app = App.builder(settings).build().start("127.0.0.1");
    String url = "http://127.0.0.1:" + app.port() + settings.webhookPath();
    System.out.println("""
        agent-dispatch sandbox is running.
          webhook URL     %s
          webhook secret  %s
          admin token     %s
          database        %s

        Send it a signed webhook (needs curl and openssl):
          body='{"action":"labeled","label":{"name":"agent-task"},"issue":{"number":1},"repository":{"full_name":"octo-demo/webapp"},"sender":{"login":"alice"},"installation":{"id":1}}'
          sig=$(printf '%%s' "$body" | openssl dgst -sha256 -hmac '%s' | sed 's/^.* //')
          curl -i -X POST %s -H 'Content-Type: application/json' -H 'X-GitHub-Event: issues' \\
            -H "X-GitHub-Delivery: $(cat /proc/sys/kernel/random/uuid)" -H "X-Hub-Signature-256: sha256=$sig" -d "$body"

        See what it stored:
          curl -s -H 'Authorization: Bearer %s' http://127.0.0.1:%d/api/inbox
        Stop with Ctrl-C.
        """.formatted(url, secret, adminToken, settings.databaseUrl(), secret, url, adminToken, app.port()));
    return ServeCommand.runUntilStopped(app);
  }
}
