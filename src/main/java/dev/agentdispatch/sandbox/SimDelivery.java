package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.Map;

/** One webhook delivery attempt as GET /app/hook/deliveries shows it, plus the exact bytes sent. */
public final class SimDelivery {
  public final long id;
  public final String guid;
  public final String event;
  public final String action;
  public final Long installationId;
  public final Long repositoryId;
  public final byte[] body;
  public final boolean redelivery;
  public final Instant deliveredAt;
  public volatile Map<String, String> requestHeaders = Map.of();
  public volatile String status = "pending";
  public volatile int statusCode;
  public volatile double durationSeconds;
  public volatile String responseBody = "";
  public volatile boolean done;

  public SimDelivery(long id, String guid, String event, String action, Long installationId, Long repositoryId,
      byte[] body, boolean redelivery, Instant deliveredAt) {
    this.id = id;
    this.guid = guid;
    this.event = event;
    this.action = action;
    this.installationId = installationId;
    this.repositoryId = repositoryId;
    this.body = body;
    this.redelivery = redelivery;
    this.deliveredAt = deliveredAt;
  }

  public boolean ok() { return "OK".equals(status); }
}
