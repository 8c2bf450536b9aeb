package dev.agentdispatch.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which handlers run for which {@code event} or {@code event.action}: the app's one wiring list. */
public final class Handlers {
  private static final Logger log = LoggerFactory.getLogger(Handlers.class);

  // Registered at start-up, read on every request: concurrent reads without a lock.
  private final Map<String, List<EventHandler>> byName = new ConcurrentHashMap<>();

  /** Registers a handler for names such as {@code issues.labeled} (one action) or {@code issues} (all). */
  public Handlers on(String name, EventHandler handler) {
    if (name.isBlank() || name.chars().filter(ch -> ch == '.').count() > 1) {
      throw new IllegalArgumentException("event name must be 'event' or 'event.action', got '" + name + "'");
    }
    byName.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(handler);
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
  public List<EventHandler> forDelivery(String event, String action) {
    List<EventHandler> found = new ArrayList<>(byName.getOrDefault(event, List.of()));
    if (action != null) {
      found.addAll(byName.getOrDefault(event + "." + action, List.of()));
    }
    return found;
  }

  /** Whether any handler of the delivery's event or action wants it (see {@link EventHandler#wants}). */
  public boolean wanted(Delivery d) {
    if (anyWants(byName.get(d.event()), d)) {
      return true;
    }
    return d.action() != null && anyWants(byName.get(d.event() + "." + d.action()), d);
  }

  private static boolean anyWants(List<EventHandler> handlers, Delivery d) {
    if (handlers != null) {
      for (EventHandler h : handlers) {
        if (wants(h, d)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A handler's {@link EventHandler#wants}; one that fails wants the delivery (it is then stored and handled). */
  static boolean wants(EventHandler h, Delivery d) {
    try {
      return h.wants(d);
    } catch (RuntimeException e) {
      log.warn("Handlers: {}.wants failed on delivery {}; handling it: {}", h.name(), d.id(), e.toString());
      return true;
    }
  }

  /** A named handler body, for small handlers registered inline. */
  @FunctionalInterface
  public interface ThrowingConsumer {
    void accept(Delivery delivery) throws Exception;
  }
}
