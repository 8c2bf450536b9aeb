package dev.agentdispatch.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/** One stored webhook delivery as handlers see it. The payload is parsed on first use. */
public final class Delivery {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final String event;
  private final String action;
  private final Long installationId;
  private final String repository;
  private final String sender;
  private final Instant receivedAt;
  private final java.util.function.Supplier<String> payloadSource;
  private String payload;
  private final int attempt;
  private JsonNode json;

  public Delivery(String id, String event, String action, Long installationId, String repository,
      String sender, Instant receivedAt, java.util.function.Supplier<String> payload, int attempt) {
    this.id = id;
    this.event = event;
    this.action = action;
    this.installationId = installationId;
    this.repository = repository;
    this.sender = sender;
    this.receivedAt = receivedAt;
    this.payloadSource = payload;
    this.attempt = attempt;
  }

  public String id() { return id; }
  public String event() { return event; }
  /** The payload's {@code action}, or null for events without one. */
  public String action() { return action; }
  public Long installationId() { return installationId; }
  /** {@code owner/repo}, or null. */
  public String repository() { return repository; }
  public String sender() { return sender; }
  /** From an installation, about a repository: only then does the app have a token to act there. */
  public boolean fromInstallation() {
    return repository != null && installationId != null;
  }
  public Instant receivedAt() { return receivedAt; }
  /** The raw JSON payload, loaded from the inbox on first use. */
  public synchronized String payload() {
    if (payload == null) {
      payload = payloadSource.get();
    }
    return payload;
  }
  /** 1 on the first try, higher on retries. */
  public int attempt() { return attempt; }

  /** {@code event.action}, or just the event when there is no action. */
  public String name() {
    return action == null ? event : event + "." + action;
  }

  public synchronized JsonNode json() {
    if (json == null) {
      try {
        json = JSON.readTree(payload());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored payload of delivery " + id + " is not JSON", e);
      }
    }
    return json;
  }

  @Override
  public String toString() {
    return "Delivery[" + id + " " + name() + " " + repository + "]";
  }
}
