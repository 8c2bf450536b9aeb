package dev.agentdispatch.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator on its own: {@code SandboxMain [port] [seed.yml] [webhook-url] [key-file]}. Defaults: port 3901,
 * the demo world, no webhook URL, key written to ./sandbox-app-key.pem. Prints where things are, never the secrets.
 */
public final class SandboxMain {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxMain.class);

  private SandboxMain() {}

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3901;
    GitHubSimulator sim = new GitHubSimulator(SimClock.ticking());
    if (args.length > 1 && !args[1].isBlank()) Seed.load(sim, Path.of(args[1]));
    else DemoWorld.seed(sim);
    if (args.length > 2) sim.webhook(args[2], sim.webhookSecret());
    Path key = Path.of(args.length > 3 ? args[3] : "sandbox-app-key.pem");
    Path secret = key.resolveSibling(key.getFileName() + ".webhook-secret");
    writePrivate(key, sim.privateKeyPem());
    writePrivate(secret, sim.webhookSecret());
    sim.start(port);
    sim.agent().startTicker(Duration.ofSeconds(1));
    LOG.info("GitHubSimulator: serving {} as app {} ({}); private key in {}, webhook secret in {}",
        sim.url(), sim.appId(), sim.appSlug(), key.toAbsolutePath(), secret.toAbsolutePath());
    Runtime.getRuntime().addShutdownHook(new Thread(sim::stop));
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.writeString(file, text);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      LOG.debug("SandboxMain: file system without POSIX permissions; {} left as created", file);
    }
  }
}
