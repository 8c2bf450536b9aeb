package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds webhook deliveries GitHub could not hand to the app (GitHub never retries, FACTS.md 3.3) and stores
 * them in the inbox under their own delivery id, so a repeat run, or a late original, is a duplicate.
 * Lists the app's deliveries of the last 3 days, groups attempts by guid, and for every guid not in the inbox
 * fetches the delivery and stores its payload; when GitHub no longer has the payload it asks for a redelivery.
 */
public final class DeliveryRecovery {
  private static final Logger log = LoggerFactory.getLogger(DeliveryRecovery.class);
  static final Duration WINDOW = Duration.ofDays(3);
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /** What one run found and did. */
  public record Result(int attempts, int guids, int failedGuids, int recovered, int redeliveryRequested) {}

  private record Attempt(long id, String guid, String event, boolean ok, Long installationId) {}

  private final GitHubTransport transport;
  private final AppJwt jwt;
  private final InboxStore inbox;
  private final Clock clock;
  private final Runnable onStored;

  DeliveryRecovery(GitHubTransport transport, AppJwt jwt, InboxStore inbox, Clock clock, Runnable onStored) {
    this.transport = transport;
    this.jwt = jwt;
    this.inbox = inbox;
    this.clock = clock;
    this.onStored = onStored;
  }

  /** One sweep; safe to run at any time and as often as wanted. */
  public Result runOnce() {
    List<Attempt> attempts = listRecent();
    Map<String, List<Attempt>> byGuid = new LinkedHashMap<>();
    attempts.forEach(a -> byGuid.computeIfAbsent(a.guid(), g -> new ArrayList<>()).add(a));
    Set<String> stored = inbox.existing(byGuid.keySet());
    int failed = 0;
    List<NewDelivery> recovered = new ArrayList<>();
    int redelivered = 0;
    for (Map.Entry<String, List<Attempt>> e : byGuid.entrySet()) {
      boolean anyOk = e.getValue().stream().anyMatch(Attempt::ok);
      failed += anyOk ? 0 : 1;
      Attempt latest = e.getValue().get(0);
      if (stored.contains(e.getKey()) || "ping".equals(latest.event())) {
        continue;
      }
      NewDelivery d = fetch(latest);
      if (d != null) {
        recovered.add(d);
      } else {
        redeliver(latest);
        redelivered++;
      }
    }
    int added = 0;
    if (!recovered.isEmpty()) {
      for (boolean isNew : inbox.insert(recovered)) {
        added += isNew ? 1 : 0;
      }
      if (added > 0) {
        onStored.run();
      }
    }
    Result r = new Result(attempts.size(), byGuid.size(), failed, added, redelivered);
    if (added > 0 || redelivered > 0) {
      log.info("DeliveryRecovery: stored {} missed deliveries, asked GitHub to redeliver {}; {} guids seen, {} failed",
          added, redelivered, r.guids(), failed);
    } else {
      log.debug("DeliveryRecovery: nothing missed; {} guids seen", r.guids());
    }
    return r;
  }

  private List<Attempt> listRecent() {
    Instant cutoff = clock.instant().minus(WINDOW);
    List<Attempt> all = new ArrayList<>();
    String target = "/app/hook/deliveries?per_page=100";
    while (target != null) {
      ApiResponse r = transport.send(ApiRequest.json("GET", target, null, jwt::credential));
      JsonNode page = Json.read(r, "list the app's webhook deliveries");
      boolean older = false;
      for (JsonNode n : page) {
        Instant at = instant(n.path("delivered_at").asText(""));
        if (at != null && at.isBefore(cutoff)) {
          older = true;
          continue;
        }
        all.add(new Attempt(n.path("id").asLong(), n.path("guid").asText(), n.path("event").asText(),
            "OK".equals(n.path("status").asText()),
            n.path("installation_id").canConvertToLong() ? n.get("installation_id").asLong() : null));
      }
      target = older ? null : next(r.header("Link").orElse(null));
    }
    return all;
  }

  private NewDelivery fetch(Attempt a) {
    JsonNode n = Json.read(transport.send(ApiRequest.json("GET", "/app/hook/deliveries/" + a.id(), null,
        jwt::credential)), "get webhook delivery " + a.guid());
    JsonNode payload = n.path("request").path("payload");
    if (!payload.isObject()) {
      return null;
    }
    Long installation = payload.path("installation").path("id").canConvertToLong()
        ? payload.path("installation").path("id").asLong() : a.installationId();
    return NewDelivery.of(a.guid(), a.event(), text(payload.path("action")), installation,
        text(payload.path("repository").path("full_name")), text(payload.path("sender").path("login")),
        clock.millis(), Json.write(payload));
  }

  private void redeliver(Attempt a) {
    ApiResponse r = transport.send(ApiRequest.json("POST", "/app/hook/deliveries/" + a.id() + "/attempts", null,
        jwt::credential));
    if (!r.ok()) {
      log.warn("DeliveryRecovery: GitHub refused to redeliver {} ({}); answered {}", a.guid(), a.event(), r.status());
    }
  }

  static String next(String link) {
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    return m.find() ? m.group(1) : null;
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  private static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
