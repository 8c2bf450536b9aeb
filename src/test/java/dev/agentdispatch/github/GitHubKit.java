package dev.agentdispatch.github;

import dev.agentdispatch.config.PrivateKeys;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.Exchange;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A started demo simulator on a frozen clock and a client pointed at it whose waits are recorded (and move the
 * simulator's clock by the same amount) instead of slept.
 */
final class GitHubKit implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
  final SimClock clock = SimClock.fixed(START);
  final GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  volatile Runnable onSleep = () -> { };
  final PolicyLog policy = new PolicyLog(new PrometheusRegistry());
  final Sleeper sleeper = d -> {
    waits.add(d);
    clock.advance(d);
    onSleep.run();
  };
  final GitHubClient client = clientFor(sim.url());

  GitHubClient clientFor(String api) {
    return GitHubClient.builder(URI.create(api), sim.appId(), PrivateKeys.parse(sim.privateKeyPem()))
        .clock(clock).sleeper(sleeper).jitter(1.0).recorder(policy).build();
  }

  GitHubGateway webapp(Permissions declared) {
    return client.gateway(RepoRef.of(DemoWorld.REPO), declared);
  }

  /** Requests the simulator answered for this operation, e.g. "POST /app/installations/{installation_id}/access_tokens". */
  long count(String operation) {
    return sim.exchanges().stream().filter(e -> operation.equals(e.operation())).count();
  }

  List<Exchange> exchanges() {
    return sim.exchanges();
  }

  @Override
  public void close() {
    sim.stop();
  }
}
