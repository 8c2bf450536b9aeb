package dev.agentdispatch.github;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default recorder: a warning per refusal, the last refusals in memory, and a counter per rule. */
public final class PolicyLog implements PolicyRecorder {
  private static final Logger log = LoggerFactory.getLogger(PolicyLog.class);
  private static final int KEEP = 1000;
  private final List<PolicyViolation> recent = new ArrayList<>();
  private final Counter refusals;

  public PolicyLog(PrometheusRegistry registry) {
    this.refusals = Counter.builder().name("agent_dispatch_github_policy_refusals_total")
        .help("GitHub calls refused by the policy guard before they were sent").labelNames("rule")
        .register(registry);
  }

  @Override
  public synchronized void refused(PolicyViolation v) {
    log.warn("PolicyGuard: refused a GitHub call; rule={} method={} path={}", v.rule(), v.method(), v.path());
    refusals.labelValues(v.rule()).inc();
    if (recent.size() == KEEP) {
      recent.remove(0);
    }
    recent.add(v);
  }

  /** The refusals so far (the last 1000), oldest first. */
  public synchronized List<PolicyViolation> recent() {
    return List.copyOf(recent);
  }
}
