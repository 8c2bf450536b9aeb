package dev.agentdispatch.sandbox;

/**
 * The default sandbox world: org octo-demo with repo octo-demo/webapp (CODEOWNERS, .github/agent-dispatch.yml,
 * two issues), users alice (admin), bob (write), carol (read, no Copilot licence), team octo-demo/backend, and
 * the app installed on the org. Loaded from the resource sandbox/demo-seed.yml.
 */
public final class DemoWorld {
  public static final String ORG = "octo-demo";
  public static final String REPO = "octo-demo/webapp";

  private DemoWorld() {}

  public static GitHubSimulator seed(GitHubSimulator sim) {
    Seed.loadResource(sim, "/sandbox/demo-seed.yml");
    return sim;
  }
}
