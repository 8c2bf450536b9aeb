package dev.agentdispatch.webhook;

/**
 * Reacts to stored deliveries of the events it is registered for. Deliveries arrive at least once
 * (a retry, a crash or a redelivery repeats them), so a handler must be idempotent: handling the same
 * delivery twice must leave the same result as handling it once. See docs/handlers.md.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Delivery delivery) throws Exception;

  /** The name used in logs and metrics. */
  default String name() {
    return getClass().getSimpleName();
  }
}
