package dev.agentdispatch.cli;

import dev.agentdispatch.App;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.config.SettingsException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code serve}: runs the app with settings from the environment. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Runs the GitHub App: webhook ingress, inbox and workers.",
        "Settings come from the environment: APP_ID, PRIVATE_KEY_PATH (or PRIVATE_KEY), WEBHOOK_SECRET,",
        "WEBHOOK_PATH, PORT, GITHUB_API_URL, DATABASE_URL, AGENT_TOKEN, ADMIN_TOKEN, LOG_LEVEL, SWEEP_INTERVAL,",
        "INBOX_RETENTION.",
        "See docs/configuration.md."})
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return serve(System.getenv());
  }

  static int serve(Map<String, String> env) {
    Settings settings;
    try {
      settings = Settings.fromEnv(env);
    } catch (SettingsException e) {
      e.problems().forEach(System.err::println);
      return Main.BAD_SETTINGS;
    }
    App app;
    try {
      app = App.builder(settings).build().start("0.0.0.0");
    } catch (RuntimeException e) {
      System.err.println("agent-dispatch could not start: " + describe(e));
      return 1;
    }
    return runUntilStopped(app);
  }

  /** Blocks until the JVM is asked to stop, then closes the app in order. */
  static int runUntilStopped(AutoCloseable app) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        app.close();
      } catch (Exception e) {
        System.err.println("agent-dispatch: error while stopping: " + describe(e));
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(": ").append(c.getMessage());
    }
    return b.toString();
  }
}
