package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores deliveries with group commit: one writer thread takes every delivery waiting, inserts them in
 * one transaction, and completes each caller's future only after that transaction committed. With a
 * {@link Handoff}, new deliveries are stored leased to this instance's dispatcher and handed to it after the
 * commit, and the dispatcher's completions of those are written in the writer's next transaction; a delivery
 * that none of its handlers wants is stored done and not handed over.
 */
public final class Inbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);
  /** Most deliveries per transaction: bounds the time the first caller in a group waits. */
  static final int MAX_GROUP = 512;
  /** How long the writer waits for a delivery before it writes waiting completions alone. */
  private static final long IDLE_MS = 100;

  /** Whether a stored delivery was new or a repeat of a delivery id already in the inbox. */
  public enum Outcome { STORED, DUPLICATE }

  private record Pending(NewDelivery delivery, CompletableFuture<Outcome> result) {}

  private record Done(String owner, List<Long> ids) {}

  private final InboxStore store;
  private final Runnable onStored;
  private final Handoff handoff;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  /** Every delivery stored pending; {@code onStored} runs after a group with new ones committed. */
  public Inbox(InboxStore store, Runnable onStored) {
    this(store, onStored, Handoff.NONE, Clock.systemUTC());
  }

  /** Hands new deliveries to {@code dispatcher} (while it runs) and writes its completions of them. */
  public Inbox(InboxStore store, Dispatcher dispatcher, Clock clock) {
    this(store, dispatcher::wake, dispatcher, clock);
    dispatcher.completeThrough(this);
  }

  private Inbox(InboxStore store, Runnable onStored, Handoff handoff, Clock clock) {
    this.store = store;
    this.onStored = onStored;
    this.handoff = handoff;
    this.clock = clock;
    this.writer = new Thread(this::run, "inbox-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues a delivery for the next group; the future completes once it is durable (or failed). */
  public CompletableFuture<Outcome> store(NewDelivery delivery) {
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("inbox is closed"));
      return f;
    }
    queue.add(new Pending(handoff.wanted(delivery) ? delivery : delivery.asUnwanted(), f));
    return f;
  }

  /**
   * Marks handed-over deliveries done in the writer's next transaction; false once the writer has stopped
   * (the caller then completes them itself). They do not wake the writer: under load they ride the next group
   * instead of costing a commit of their own, and when no delivery comes they are written within
   * {@link #IDLE_MS}. Their leases last far longer than that.
   */
  boolean complete(String owner, List<Long> ids) {
    if (!running) {
      return false;
    }
    done.add(new Done(owner, List.copyOf(ids)));
    return true;
  }

  private void run() {
    List<Pending> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty() || !done.isEmpty()) {
      try {
        Pending first = queue.poll(IDLE_MS, TimeUnit.MILLISECONDS);
        if (first == null && done.isEmpty()) {
          continue;
        }
        if (first != null) {
          group.add(first);
          queue.drainTo(group, MAX_GROUP - 1);
        }
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void write(List<Pending> group) {
    Map<String, List<Long>> completions = new HashMap<>();
    for (Done d; (d = done.poll()) != null; ) {
      completions.computeIfAbsent(d.owner(), o -> new ArrayList<>()).addAll(d.ids());
    }
    long now = clock.millis();
    InboxStore.Stored stored;
    InboxStore.Lease lease = group.isEmpty() ? InboxStore.Lease.NONE : handoff.lease(now);
    try {
      stored = store.write(group.stream().map(Pending::delivery).toList(), lease, completions, now);
    } catch (RuntimeException e) {
      log.error("Inbox: storing {} deliveries failed; they are answered 503 and not lost to GitHub's log",
          group.size(), e);
      group.forEach(p -> p.result().completeExceptionally(e));
      // completions are not lost either: the leases run out and the deliveries are handled again (idempotent)
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).result().complete(stored.isNew()[i] ? Outcome.STORED : Outcome.DUPLICATE);
    }
    int wanted = 0;
    int unwanted = 0;
    for (int i = 0; i < group.size(); i++) {
      if (stored.isNew()[i]) {
        if (group.get(i).delivery().unwanted()) {
          unwanted++;
        } else {
          wanted++;
        }
      }
    }
    if (!stored.leased().isEmpty()) {
      handoff.accept(stored.leased(), lease.until());
    }
    if (unwanted > 0) {
      handoff.storedUnwanted(unwanted);
    }
    if (wanted > stored.leased().size()) { // some were stored pending: the dispatcher claims them
      onStored.run();
    }
  }

  /** Stops taking deliveries and writes those already queued. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
