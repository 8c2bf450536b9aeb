package dev.agentdispatch.webhook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which handlers run for which {@code event} or {@code event.action}: the app's one wiring list. */
public final class Handlers {
  private final Map<String, List<EventHandler>> byName = new LinkedHashMap<>();

  /** Registers a handler for names such as {@code issues.labeled} (one action) or {@code issues} (all). */
  public synchronized Handlers on(String name, EventHandler handler) {
    if (name.isBlank() || name.chars().filter(ch -> ch == '.').count() > 1) {
      throw new IllegalArgumentException("event name must be 'event' or 'event.action', got '" + name + "'");
    }
    byName.computeIfAbsent(name, k -> new ArrayList<>()).add(handler);
    return this;
  }

  public Handlers on(String name, String handlerName, ThrowingConsumer consumer) {
    return on(name, new EventHandler() {
      @Override
      public void handle(Delivery delivery) throws Exception {
        consumer.accept(delivery);
      }

      @Override
      public String name() {
        return handlerName;
      }
    });
  }

  /** Handlers registered for the event as a whole, then for its action. */
  public synchronized List<EventHandler> forDelivery(String event, String action) {
    List<EventHandler> found = new ArrayList<>(byName.getOrDefault(event, List.of()));
    if (action != null) {
      found.addAll(byName.getOrDefault(event + "." + action, List.of()));
    }
    return found;
  }

  /** A named handler body, for small handlers registered inline. */
  @FunctionalInterface
  public interface ThrowingConsumer {
    void accept(Delivery delivery) throws Exception;
  }
}
