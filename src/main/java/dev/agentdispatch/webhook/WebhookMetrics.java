package dev.agentdispatch.webhook;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The webhook and inbox metrics, registered in the app's Prometheus registry. */
public final class WebhookMetrics {
  final Counter received;
  final Counter signatureFailures;
  final Histogram ingestSeconds;
  final Counter handled;
  final Histogram handlerSeconds;

  public WebhookMetrics(PrometheusRegistry registry) {
    received = Counter.builder().name("agent_dispatch_webhook_deliveries_total")
        .help("Webhook deliveries received, by event and outcome (accepted, duplicate, ping, or the refusal)")
        .labelNames("event", "outcome").register(registry);
    signatureFailures = Counter.builder().name("agent_dispatch_webhook_signature_failures_total")
        .help("Webhook requests refused for a missing or wrong X-Hub-Signature-256").register(registry);
    ingestSeconds = Histogram.builder().name("agent_dispatch_webhook_ingest_seconds")
        .help("Time from request to answer for stored deliveries (includes the synced commit)")
        .classicOnly().classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5)
        .register(registry);
    handled = Counter.builder().name("agent_dispatch_inbox_handled_total")
        .help("Inbox deliveries processed, by outcome (done, retry, dead; unwanted: no handler wanted it, stored done)")
        .labelNames("outcome").register(registry);
    handlerSeconds = Histogram.builder().name("agent_dispatch_handler_duration_seconds")
        .help("Event handler latency, by handler and outcome").labelNames("handler", "outcome")
        .classicOnly().register(registry);
  }
}
