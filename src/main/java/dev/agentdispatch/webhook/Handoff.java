package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import java.util.List;

/**
 * The receiving instance's short cut from the inbox writer to its dispatcher: new deliveries are stored already
 * leased to the dispatcher and handed over in memory, so the happy path needs no claim query; the dispatcher's
 * completions ride the writer's next transaction. Anything not handed over is claimed from the table as before,
 * and a lease that runs out (a crash) puts the delivery back in the queue for any instance.
 */
interface Handoff {
  /** The lease new deliveries may be stored under now; max 0 when the dispatcher takes none. */
  dev.agentdispatch.store.InboxStore.Lease lease(long now);

  /** Deliveries stored leased until {@code leaseUntil} (committed); the dispatcher handles them. */
  void accept(List<Row> rows, long leaseUntil);

  /** Whether any handler wants the delivery; asked on the request thread. One no handler wants is stored done. */
  default boolean wanted(NewDelivery delivery) {
    return true;
  }

  /** New deliveries that no handler wanted were stored done (committed). */
  default void storedUnwanted(int count) { }

  /** No handoff: every delivery is stored pending and claimed. */
  Handoff NONE = new Handoff() {
    @Override
    public dev.agentdispatch.store.InboxStore.Lease lease(long now) {
      return dev.agentdispatch.store.InboxStore.Lease.NONE;
    }

    @Override
    public void accept(List<Row> rows, long leaseUntil) { }
  };
}
