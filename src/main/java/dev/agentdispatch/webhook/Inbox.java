package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores deliveries with group commit: one writer thread takes every delivery waiting, inserts them in
 * one transaction, and completes each caller's future only after that transaction committed.
 */
public final class Inbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);
  /** Most deliveries per transaction: bounds the time the first caller in a group waits. */
  static final int MAX_GROUP = 512;

  /** Whether a stored delivery was new or a repeat of a delivery id already in the inbox. */
  public enum Outcome { STORED, DUPLICATE }

  private record Pending(NewDelivery delivery, CompletableFuture<Outcome> result) {}

  private final InboxStore store;
  private final Runnable onStored;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  public Inbox(InboxStore store, Runnable onStored) {
    this.store = store;
    this.onStored = onStored;
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
    queue.add(new Pending(delivery, f));
    return f;
  }

  private void run() {
    List<Pending> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
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
    boolean[] isNew;
    try {
      isNew = store.insert(group.stream().map(Pending::delivery).toList());
    } catch (RuntimeException e) {
      log.error("Inbox: storing {} deliveries failed; they are answered 503 and not lost to GitHub's log",
          group.size(), e);
      group.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    boolean anyNew = false;
    for (int i = 0; i < group.size(); i++) {
      anyNew |= isNew[i];
      group.get(i).result().complete(isNew[i] ? Outcome.STORED : Outcome.DUPLICATE);
    }
    if (anyNew) {
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
