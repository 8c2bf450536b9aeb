package dev.agentdispatch.webhook;

/**
 * Reacts to stored deliveries of the events it is registered for. Deliveries arrive at least once
 * (a retry, a crash or a redelivery repeats them), so a handler must be idempotent: handling the same
 * delivery twice must leave the same result as handling it once. See docs/handlers.md.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Delivery delivery) throws Exception;

  /**
   * Whether this handler acts on the delivery, decided from its summary alone (event, action, installation,
   * repository, sender): it is asked on the request thread, before the delivery is stored, where the payload
   * cannot be read. The handler is called only for deliveries it wants; a delivery no handler wants is stored
   * already done and never dispatched.
   */
  default boolean wants(Delivery delivery) {
    return true;
  }

  /** The name used in logs and metrics. */
  default String name() {
    return getClass().getSimpleName();
  }
}
