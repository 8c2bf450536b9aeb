package dev.agentdispatch;

import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.webhook.Handlers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One fresh world per test: the GitHub simulator seeded with the demo organisation and the app, wired to
 * each other over HTTP, sharing one controllable clock. Nothing runs in the background: {@link #settle()}
 * delivers pending webhooks and runs the app's due work on the test thread, so tests need no sleeps.
 */
public final class TestApp implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token";

  public final SimClock clock;
  public final GitHubSimulator github;
  public final App app;

  private TestApp(SimClock clock, GitHubSimulator github, App app) {
    this.clock = clock;
    this.github = github;
    this.app = app;
  }

  /** Starts the simulator (demo world) and the app with SQLite in {@code dir}. */
  public static TestApp start(Path dir, Consumer<Handlers> handlers) {
    return start("jdbc:sqlite:" + dir.resolve("app.db"), handlers);
  }

  /** As {@link #start(Path, Consumer)} without the app's own handlers (triggers): delivery plumbing tests. */
  public static TestApp startQuiet(Path dir, Consumer<Handlers> handlers) {
    return start("jdbc:sqlite:" + dir.resolve("app.db"), handlers, false);
  }

  public static TestApp start(String databaseUrl, Consumer<Handlers> handlers) {
    return start(databaseUrl, handlers, true, b -> { });
  }

  /** As {@link #start(Path, Consumer)}, with more options on the app's builder (e.g. a notifier). */
  public static TestApp start(Path dir, Consumer<Handlers> handlers, Consumer<App.Builder> options) {
    return start("jdbc:sqlite:" + dir.resolve("app.db"), handlers, true, options);
  }

  private static TestApp start(String databaseUrl, Consumer<Handlers> handlers, boolean appHandlers) {
    return start(databaseUrl, handlers, appHandlers, b -> { });
  }

  private static TestApp start(String databaseUrl, Consumer<Handlers> handlers, boolean appHandlers,
      Consumer<App.Builder> options) {
    SimClock clock = SimClock.fixed(Instant.parse("2026-11-02T09:00:00Z"));
    GitHubSimulator github = new GitHubSimulator(clock);
    DemoWorld.seed(github);
    github.start(0);
    App app = null;
    try {
      App.Builder builder = App.builder(Settings.fromEnv(environment(github, databaseUrl)))
          .clock(clock).handlers(handlers).manualDispatch();
      options.accept(builder);
      app = (appHandlers ? builder : builder.withoutAppHandlers()).build().start("127.0.0.1");
      github.webhook("http://127.0.0.1:" + app.port() + Settings.DEFAULT_WEBHOOK_PATH, github.webhookSecret());
      return new TestApp(clock, github, app);
    } catch (RuntimeException e) {
      if (app != null) {
        app.close();
      }
      github.stop();
      throw e;
    }
  }

  /** The settings the app runs with: the simulator's app id, key and secret, a random port. */
  public static Map<String, String> environment(GitHubSimulator github, String databaseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("APP_ID", String.valueOf(github.appId()));
    env.put("PRIVATE_KEY", github.privateKeyPem());
    env.put("WEBHOOK_SECRET", github.webhookSecret());
    env.put("GITHUB_API_URL", github.url());
    env.put("PORT", "0");
    env.put("DATABASE_URL", databaseUrl);
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("LOG_LEVEL", "warn");
    env.put("AGENT_TOKEN", github.tokenOf("alice")); // the agent account: alice has a Copilot licence
    return env;
  }

  /** Lets every queued webhook reach the app, then runs all the app's due work. Returns deliveries handled. */
  public int settle() {
    github.awaitWebhooksIdle();
    return app.runDueWork();
  }

  public String appUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  @Override
  public void close() {
    app.close();
    github.stop();
  }
}
