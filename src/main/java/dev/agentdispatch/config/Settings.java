package dev.agentdispatch.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The app's settings, read from the environment with Probot's names. Every problem is collected and
 * reported together, one line per setting; values of secrets never appear in messages or {@link #toString()}.
 */
public record Settings(
    long appId,
    RSAPrivateKey privateKey,
    List<String> webhookSecrets,
    String webhookPath,
    int port,
    URI githubApiUrl,
    String databaseUrl,
    String agentToken,
    String adminToken,
    String logLevel,
    Duration sweepInterval,
    int maxTasksPerOrg,
    int maxTasksTotal,
    UserAuth userAuth,
    URI notifyWebhookUrl,
    Duration inboxRetention) {

  /**
   * The GitHub App's OAuth side, for the agent worker's user-token mode (docs/github-access.md): the app's client
   * id and secret, the key that encrypts stored user tokens (32 bytes), the app's public URL (the callback is
   * {@code publicUrl + /auth/github/callback}) and GitHub's web origin, where the OAuth pages live. Null in
   * {@link Settings} when none of them is set.
   */
  public record UserAuth(String clientId, String clientSecret, byte[] encryptionKey, URI publicUrl, URI githubUrl) {
    public static final String CALLBACK_PATH = "/auth/github/callback";
    public static final String LOGIN_PATH = "/auth/github/login";

    /** Where a person goes to authorise the app. */
    public String loginUrl() {
      return publicUrl + LOGIN_PATH;
    }

    public String callbackUrl() {
      return publicUrl + CALLBACK_PATH;
    }

    @Override
    public String toString() {
      return "UserAuth[clientId=" + clientId + ", publicUrl=" + publicUrl + ", githubUrl=" + githubUrl + "]";
    }
  }

  public static final String DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
  public static final int DEFAULT_PORT = 3000;
  public static final String DEFAULT_GITHUB_API_URL = "https://api.github.com";
  public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/agent-dispatch.db";
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_INBOX_RETENTION = Duration.ofDays(30);
  /** Longer than the 3 days in which GitHub redelivers and the app's recovery looks back. */
  public static final Duration MIN_INBOX_RETENTION = Duration.ofDays(7);
  public static final String DEFAULT_GITHUB_URL = "https://github.com";
  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  /** Reads and validates all settings; throws {@link SettingsException} listing every problem. */
  public static Settings fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    long appId = r.appId();
    RSAPrivateKey key = r.privateKey();
    List<String> secrets = r.webhookSecrets();
    String path = r.webhookPath();
    int port = r.port();
    URI api = r.githubApiUrl();
    String db = r.databaseUrl();
    String level = r.logLevel();
    Duration sweep = r.sweepInterval();
    int perOrg = r.positive("MAX_TASKS_PER_ORG", 10);
    int total = r.positive("MAX_TASKS_TOTAL", 20);
    UserAuth userAuth = r.userAuth();
    URI notify = r.notifyWebhookUrl();
    Duration retention = r.inboxRetention();
    if (!r.problems.isEmpty()) {
      throw new SettingsException(r.problems);
    }
    return new Settings(appId, key, secrets, path, port, api, db,
        r.optional("AGENT_TOKEN"), r.optional("ADMIN_TOKEN"), level, sweep, perOrg, total, userAuth, notify,
        retention);
  }

  /** The log level named by {@code LOG_LEVEL}, or info; used before the rest is validated. */
  public static String logLevelOf(Map<String, String> env) {
    String v = env.getOrDefault("LOG_LEVEL", "info").trim().toLowerCase(Locale.ROOT);
    return LOG_LEVELS.contains(v) ? v : "info";
  }

  @Override
  public String toString() {
    return "Settings[appId=" + appId + ", webhookPath=" + webhookPath + ", port=" + port
        + ", githubApiUrl=" + githubApiUrl + ", databaseUrl=" + redactUrl(databaseUrl)
        + ", webhookSecrets=" + webhookSecrets.size() + " set, agentToken=" + (agentToken == null ? "unset" : "set")
        + ", adminToken=" + (adminToken == null ? "unset" : "set") + ", logLevel=" + logLevel
        + ", sweepInterval=" + sweepInterval + ", maxTasksPerOrg=" + maxTasksPerOrg + ", maxTasksTotal="
        + maxTasksTotal + ", userAuth=" + (userAuth == null ? "unset" : userAuth)
        + ", notifyWebhookUrl=" + (notifyWebhookUrl == null ? "unset" : redactPath(notifyWebhookUrl))
        + ", inboxRetention=" + inboxRetention + "]";
  }

  /** Drops a password from a JDBC URL for display. */
  public static String redactUrl(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  /**
   * A webhook URL for logs: scheme and host only, since its path is the secret (Slack's
   * {@code /services/T.../B.../xyz}).
   */
  public static String redactPath(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/***";
  }

  private static final class Reader {
    final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String optional(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    long appId() {
      String v = optional("APP_ID");
      if (v == null) {
        problems.add("APP_ID is not set: give the GitHub App's numeric id (App settings > About)");
        return 0;
      }
      try {
        long id = Long.parseLong(v);
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      problems.add("APP_ID must be a positive number, got '" + v + "'");
      return 0;
    }

    RSAPrivateKey privateKey() {
      String path = optional("PRIVATE_KEY_PATH");
      String inline = optional("PRIVATE_KEY");
      if (path == null && inline == null) {
        problems.add("PRIVATE_KEY_PATH (or PRIVATE_KEY) is not set: give the app's private key PEM file");
        return null;
      }
      String name = path != null ? "PRIVATE_KEY_PATH" : "PRIVATE_KEY";
      try {
        String pem = path != null ? Files.readString(Path.of(path)) : inline;
        return PrivateKeys.parse(pem);
      } catch (IOException e) {
        problems.add("PRIVATE_KEY_PATH cannot be read: " + path + " (" + e.getClass().getSimpleName() + ")");
      } catch (IllegalArgumentException e) {
        problems.add(name + " is invalid: " + e.getMessage());
      }
      return null;
    }

    List<String> webhookSecrets() {
      String v = env.get("WEBHOOK_SECRET");
      if (v == null || v.isBlank()) {
        problems.add("WEBHOOK_SECRET is not set: give the webhook secret from the App settings");
        return List.of();
      }
      List<String> secrets = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (secrets.isEmpty() || secrets.size() > 2) {
        problems.add("WEBHOOK_SECRET must hold one secret, or two separated by a comma while rotating");
      }
      return secrets;
    }

    String webhookPath() {
      String v = env.getOrDefault("WEBHOOK_PATH", DEFAULT_WEBHOOK_PATH).trim();
      if (!v.startsWith("/") || v.contains(" ") || v.contains("?")) {
        problems.add("WEBHOOK_PATH must be a path starting with '/', got '" + v + "'");
      }
      return v;
    }

    int port() {
      String v = env.getOrDefault("PORT", String.valueOf(DEFAULT_PORT)).trim();
      try {
        int p = Integer.parseInt(v);
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      problems.add("PORT must be a number from 0 to 65535, got '" + v + "'");
      return DEFAULT_PORT;
    }

    URI githubApiUrl() {
      return url("GITHUB_API_URL", DEFAULT_GITHUB_API_URL);
    }

    URI url(String name, String fallback) {
      String v = env.getOrDefault(name, fallback).trim();
      try {
        URI uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
            && uri.getQuery() == null) {
          return uri;
        }
      } catch (IllegalArgumentException ignored) {
        // reported below
      }
      problems.add(name + " must be an http(s) URL such as " + fallback + ", got '" + v + "'");
      return null;
    }

    /**
     * The OAuth settings of user-token mode: all optional, but once one is set the others that mode needs
     * must be set too (each missing one is reported by name).
     */
    UserAuth userAuth() {
      List<String> names = List.of("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEY", "PUBLIC_URL");
      if (names.stream().allMatch(n -> optional(n) == null)) {
        if (optional("GITHUB_URL") != null) {
          url("GITHUB_URL", DEFAULT_GITHUB_URL);
        }
        return null;
      }
      int before = problems.size();
      for (String n : names) {
        if (optional(n) == null) {
          problems.add(n + " is not set: user-token mode needs GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, "
              + "TOKEN_ENCRYPTION_KEY and PUBLIC_URL together (docs/configuration.md)");
        }
      }
      String id = optional("GITHUB_CLIENT_ID");
      if (id != null && !id.matches("[A-Za-z0-9._-]{1,100}")) {
        problems.add("GITHUB_CLIENT_ID must be the app's client id (App settings > About, such as Iv23li...), got '"
            + id + "'");
      }
      byte[] key = encryptionKey();
      URI publicUrl = optional("PUBLIC_URL") == null ? null : url("PUBLIC_URL", "https://dispatch.example.com");
      URI github = url("GITHUB_URL", DEFAULT_GITHUB_URL);
      if (problems.size() > before) {
        return null;
      }
      return new UserAuth(id, optional("GITHUB_CLIENT_SECRET"), key, publicUrl, github);
    }

    byte[] encryptionKey() {
      String v = optional("TOKEN_ENCRYPTION_KEY");
      if (v == null) {
        return null;
      }
      try {
        byte[] key = java.util.Base64.getDecoder().decode(v);
        if (key.length == 32) {
          return key;
        }
      } catch (IllegalArgumentException ignored) {
        // reported below; the value itself is a secret and never shown
      }
      problems.add("TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)");
      return null;
    }

    String databaseUrl() {
      String v = env.getOrDefault("DATABASE_URL", DEFAULT_DATABASE_URL).trim();
      if (!v.startsWith("jdbc:sqlite:") && !v.startsWith("jdbc:postgresql:")) {
        problems.add("DATABASE_URL must be a JDBC URL starting with jdbc:sqlite: or jdbc:postgresql:, got '"
            + redactUrl(v) + "'");
      } else if (v.startsWith("jdbc:sqlite:") && (v.contains(":memory:") || v.contains("mode=memory")
          || v.equals("jdbc:sqlite:"))) {
        problems.add("DATABASE_URL must name a SQLite file: an in-memory database loses every delivery on restart");
      }
      return v;
    }

    String logLevel() {
      String v = env.getOrDefault("LOG_LEVEL", "info").trim().toLowerCase(Locale.ROOT);
      if (!LOG_LEVELS.contains(v)) {
        problems.add("LOG_LEVEL must be one of trace, debug, info, warn, error, off, got '" + v + "'");
      }
      return v;
    }

    int positive(String name, int fallback) {
      String v = optional(name);
      if (v == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= 1 && n <= 100_000) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      problems.add(name + " must be a whole number from 1 to 100000, got '" + v + "'");
      return fallback;
    }

    /** Optional; its path is a secret, so a bad value is never echoed. */
    URI notifyWebhookUrl() {
      String v = optional("NOTIFY_WEBHOOK_URL");
      if (v == null) {
        return null;
      }
      try {
        URI uri = new URI(v);
        if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
          return uri;
        }
      } catch (java.net.URISyntaxException ignored) {
        // reported below
      }
      problems.add("NOTIFY_WEBHOOK_URL must be an http(s) URL such as a Slack incoming webhook"
          + " (https://hooks.slack.com/services/...); the value given is not one (not shown: it may hold a secret)");
      return null;
    }

    Duration inboxRetention() {
      return duration("INBOX_RETENTION", DEFAULT_INBOX_RETENTION, MIN_INBOX_RETENTION,
          "7d (GitHub can redeliver a delivery for 3 days)");
    }

    Duration sweepInterval() {
      return duration("SWEEP_INTERVAL", DEFAULT_SWEEP_INTERVAL, Duration.ofSeconds(1), "1s");
    }

    /** An optional duration setting of at least {@code min} ({@code minText} in the problem line). */
    private Duration duration(String name, Duration fallback, Duration min, String minText) {
      String v = optional(name);
      if (v == null) {
        return fallback;
      }
      try {
        Duration d = Durations.parse(v);
        if (d.compareTo(min) >= 0) {
          return d;
        }
        problems.add(name + " must be at least " + minText + ", got '" + v + "'");
      } catch (IllegalArgumentException e) {
        problems.add(name + " is invalid: " + e.getMessage());
      }
      return fallback;
    }
  }
}
