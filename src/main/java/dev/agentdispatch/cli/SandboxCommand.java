package dev.agentdispatch.cli;

import dev.agentdispatch.App;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.Seed;
import dev.agentdispatch.sandbox.SimUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox}: the app wired to the built-in GitHub simulator, so the whole flow runs on one machine
 * with no GitHub account. The simulator's webhooks go to the app; the app's API calls go to the simulator.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Runs the app together with the built-in GitHub simulator (no GitHub account needed).",
        "Prints the simulator's URL, the seeded users with their tokens, and commands to try."})
final class SandboxCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "3000", description = "Port of the app (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--github-port", defaultValue = "3001",
      description = "Port of the GitHub simulator (default: ${DEFAULT-VALUE}).")
  int githubPort;

  @Option(names = "--seed", description = "A world to load instead of the demo organisation (docs/sandbox-seed.md).")
  Path seed;

  @Option(names = "--data",
      description = "Folder for the sandbox database (default: a new temporary folder, deleted when it stops).")
  Path data;

  /** The folder made for this run's database when no {@code --data} was given; deleted when the sandbox stops. */
  private Path temporaryFolder;

  @Override
  public Integer call() throws Exception {
    GitHubSimulator sim = new GitHubSimulator();
    if (seed != null) {
      Seed.load(sim, seed);
    } else {
      DemoWorld.seed(sim);
    }
    sim.start(githubPort);
    App app;
    try {
      app = App.builder(Settings.fromEnv(environment(sim))).build().start("127.0.0.1");
    } catch (RuntimeException e) {
      sim.stop();
      deleteTemporaryFolder();
      throw e;
    }
    String hook = "http://127.0.0.1:" + app.port() + Settings.DEFAULT_WEBHOOK_PATH;
    sim.webhook(hook, sim.webhookSecret());
    sim.agent().timings(Duration.ofSeconds(5), Duration.ofSeconds(30)) // a demo agent that finishes quickly
        .ci("build", "success"); // and a CI that passes its pushes, so a "Done when: checks pass" task is judged
    sim.agent().startTicker(Duration.ofSeconds(1));
    System.out.println(banner(sim, app.port()));
    return ServeCommand.runUntilStopped(() -> {
      app.close();
      sim.stop();
      deleteTemporaryFolder();
    });
  }

  private void deleteTemporaryFolder() {
    if (temporaryFolder == null) {
      return;
    }
    try (var paths = Files.walk(temporaryFolder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("agent-dispatch: could not delete the sandbox's folder " + temporaryFolder + ": " + e);
    }
  }

  private Map<String, String> environment(GitHubSimulator sim) throws IOException {
    if (data == null) {
      temporaryFolder = Files.createTempDirectory("agent-dispatch-sandbox");
    }
    Path folder = data != null ? Files.createDirectories(data) : temporaryFolder;
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("WEBHOOK_PATH");
    env.remove("PRIVATE_KEY_PATH");
    env.put("APP_ID", String.valueOf(sim.appId()));
    env.put("PRIVATE_KEY", sim.privateKeyPem());
    env.put("WEBHOOK_SECRET", sim.webhookSecret());
    env.put("GITHUB_API_URL", sim.url());
    env.put("PORT", String.valueOf(port));
    // The agent tasks API takes a user's token, never an installation token: the first seeded user with
    // Copilot (alice in the demo world) plays the service account.
    sim.state().users().stream().filter(u -> "User".equals(u.type) && u.pat != null && u.copilotLicensed)
        .findFirst().ifPresent(u -> env.put("AGENT_TOKEN", u.pat));
    env.putIfAbsent("ADMIN_TOKEN", "sandbox-admin-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)));
    env.put("DATABASE_URL", "jdbc:sqlite:" + folder.resolve("sandbox.db"));
    if (port != 0) {
      // User-token mode against the simulator's OAuth pages: its authorize page signs in the ?login= user at once.
      env.put("GITHUB_CLIENT_ID", sim.clientId());
      env.put("GITHUB_CLIENT_SECRET", sim.clientSecret());
      env.put("GITHUB_URL", sim.webUrl());
      env.put("PUBLIC_URL", "http://127.0.0.1:" + port);
      env.putIfAbsent("TOKEN_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(
          new SecureRandom().generateSeed(32)));
    }
    adminToken = env.get("ADMIN_TOKEN");
    return env;
  }

  private String adminToken;

  private static String tokenOr(GitHubSimulator sim, String login) {
    try {
      return sim.tokenOf(login);
    } catch (IllegalArgumentException notSeeded) {
      return "<token of a user with write access>";
    }
  }

  private String banner(GitHubSimulator sim, int appPort) {
    StringBuilder users = new StringBuilder();
    for (SimUser u : sim.state().users()) {
      if ("User".equals(u.type) && u.pat != null) {
        users.append(String.format("    %-8s %s%n", u.login, u.pat));
      }
    }
    String bob = tokenOr(sim, "bob");
    String alice = tokenOr(sim, "alice");
    String api = sim.url();
    return """
        agent-dispatch sandbox is running.
          app              http://127.0.0.1:%d  (webhooks at %s, admin token %s)
          GitHub simulator %s  (repository %s)
          users and their tokens:
        %s
        Try it (each call acts as that user, and the simulator sends the app the webhook GitHub would):
          # bob labels issue #2 agent-task
          curl -s -X POST -H 'Authorization: token %s' -H 'Content-Type: application/json' \\
            %s/repos/%s/issues/2/labels -d '{"labels":["agent-task"]}'
          # alice comments a command on issue #1
          curl -s -X POST -H 'Authorization: token %s' -H 'Content-Type: application/json' \\
            %s/repos/%s/issues/1/comments -d '{"body":"/copilot fix the login button"}'
          # a minute later: the status comment the app keeps on issue #2 (it links the agent's draft PR)
          curl -s -H 'Authorization: token %s' %s/repos/%s/issues/2/comments
          # bob files a task with a boundary and labels it: the simulated CI passes the agent's push (it writes
          # under agent/), and the new issue's status comment says the pull request was judged "succeeded"
          # (with "Scope: src/**" it is judged "failed", naming the file outside the scope)
          curl -s -X POST -H 'Authorization: token %s' -H 'Content-Type: application/json' \\
            %s/repos/%s/issues -d '{"title":"Add /version","body":"Scope: agent/**\\nDone when: checks pass","labels":["agent-task"]}'
          # what the app recorded
          curl -s -H 'Authorization: Bearer %s' http://127.0.0.1:%d/api/audit
          # user-token mode (agent_token: user in .github/agent-dispatch.yml): bob authorises the app in a browser
          open http://127.0.0.1:%d/auth/github/login?login=bob
        Stop with Ctrl-C.
        """.formatted(appPort, Settings.DEFAULT_WEBHOOK_PATH, adminToken, api, DemoWorld.REPO, users, bob, api,
        DemoWorld.REPO, alice, api, DemoWorld.REPO, bob, api, DemoWorld.REPO, bob, api, DemoWorld.REPO, adminToken,
        appPort, appPort);
  }
}
