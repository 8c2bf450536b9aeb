package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Hands stored deliveries to their handlers, off the request thread, at least once. Workers lease
 * deliveries from the inbox; a delivery whose worker died is taken over when its lease runs out. A
 * handler that throws is retried with backoff, then the delivery is dead-lettered. Handlers of one
 * delivery run one after another, each isolated from the others' failures.
 */
public final class Dispatcher implements AutoCloseable, Handoff {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final InboxStore store;
  private final Handlers handlers;
  private final Clock clock;
  private final DispatchPolicy policy;
  private final WebhookMetrics metrics;
  /** After a part batch, let deliveries gather before claiming again: fewer, larger transactions. */
  private static final long LINGER_MS = 10;
  /** What {@link EventHandler#wants} finds if it reads the payload, which it must not. */
  private static final Supplier<String> NOT_STORED_YET = () -> {
    throw new IllegalStateException("wants() decides from the delivery's summary: the payload is not stored yet");
  };

  /** Handed-over deliveries waiting in memory; the inbox stores the rest pending when it is full. */
  static final int HANDOFF_MAX = 1024;

  private final String instance = "i-" + UUID.randomUUID().toString().substring(0, 8);
  /** The lease owner of handed-over deliveries (any worker of this instance handles them). */
  private final String handoffOwner = instance + "-h";
  private final BlockingQueue<Handed> handedOver = new ArrayBlockingQueue<>(HANDOFF_MAX);

  private record Handed(Row row, long leaseUntil) {}
  private volatile Inbox completions;
  private volatile boolean claimWanted = true;
  private final Semaphore wakeups = new Semaphore(0);
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;
  private volatile long nextRescueAt;

  public Dispatcher(InboxStore store, Handlers handlers, Clock clock, DispatchPolicy policy,
      WebhookMetrics metrics) {
    this.store = store;
    this.handlers = handlers;
    this.clock = clock;
    this.policy = policy;
    this.metrics = metrics;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (int i = 0; i < policy.workers(); i++) {
      String owner = instance + "-w" + i;
      Thread t = new Thread(() -> loop(owner), "dispatcher-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /** False once {@link #close()} began: workers finish the delivery in hand and stop. */
  boolean isRunning() {
    return running;
  }

  /** Tells idle workers that new deliveries are stored pending. */
  public void wake() {
    claimWanted = true;
    if (wakeups.availablePermits() < policy.workers()) {
      wakeups.release(policy.workers());
    }
  }

  /** Completions of handed-over deliveries go through this inbox's writer while it runs. */
  void completeThrough(Inbox inbox) {
    this.completions = inbox;
  }

  @Override
  public InboxStore.Lease lease(long now) {
    int room = running ? HANDOFF_MAX - handedOver.size() : 0;
    return room <= 0 ? InboxStore.Lease.NONE
        : new InboxStore.Lease(handoffOwner, now + policy.lease().toMillis(), room);
  }

  @Override
  public void accept(List<Row> rows, long leaseUntil) {
    for (Row row : rows) {
      if (!handedOver.offer(new Handed(row, leaseUntil))) { // cannot happen with one writer asking lease() first; the lease runs out
        log.warn("Dispatcher: hand-over full; delivery {} waits for its lease to run out", row.deliveryId());
      }
    }
    if (wakeups.availablePermits() < policy.workers()) {
      wakeups.release(policy.workers());
    }
  }

  @Override
  public boolean wanted(NewDelivery d) {
    return handlers.wanted(new Delivery(d.deliveryId(), d.event(), d.action(), d.installationId(), d.repository(),
        d.sender(), Instant.ofEpochMilli(d.receivedAt()), NOT_STORED_YET, 0));
  }

  @Override
  public void storedUnwanted(int count) {
    metrics.handled.labelValues("unwanted").inc(count);
  }

  /** Claims and handles one batch on the calling thread; returns how many deliveries it took. */
  public int runOnce(String owner) {
    List<Long> done = new ArrayList<>();
    int taken = step(owner, done, false);
    flush(owner, done);
    return taken;
  }

  /**
   * One claim-and-handle round. Deliveries handled in the previous round are marked done in the same
   * transaction as the next claim: one commit instead of two.
   */
  private int step(String owner, List<Long> done, boolean skipExpiring) {
    long now = clock.millis();
    if (now >= nextRescueAt) {
      nextRescueAt = now + Math.max(policy.lease().toMillis() / 4, 100);
      int rescued = store.rescueExpired(now);
      if (rescued > 0) {
        log.warn("Dispatcher: took over {} deliveries whose lease ran out (a worker stopped mid-delivery)",
            rescued);
      }
    }
    InboxStore.Claim claim = store.completeAndClaim(done, owner, policy.batchSize(), now,
        now + policy.lease().toMillis());
    countCompleted(done.size(), claim.completed());
    done.clear();
    long leaseUntil = now + policy.lease().toMillis();
    for (Row row : claim.rows()) {
      if (skipExpiring && expiring(leaseUntil)) {
        continue; // the batch outlasted the lease: the rescue hands the rest to another worker, handled once
      }
      String error = handle(row);
      if (error == null) {
        done.add(row.id());
      } else {
        fail(row, owner, error);
      }
    }
    return claim.rows().size();
  }

  private void flush(String owner, List<Long> done) {
    if (!done.isEmpty()) {
      countCompleted(done.size(), store.complete(done, owner, clock.millis()));
      done.clear();
    }
  }

  private void countCompleted(int handled, int completed) {
    if (completed < handled) {
      log.debug("Dispatcher: {} completions found their lease taken over (lease too short for the handlers?)",
          handled - completed);
    }
    metrics.handled.labelValues("done").inc(completed);
  }

  private void loop(String owner) {
    List<Long> done = new ArrayList<>();
    List<Handed> handed = new ArrayList<>();
    long nextClaimAt = 0;
    while (running) {
      try {
        handedOver.drainTo(handed, policy.batchSize());
        if (!handed.isEmpty()) {
          handleHandedOver(handed);
          handed.clear();
        }
        long now = clock.millis();
        if (claimWanted || now >= nextClaimAt || !done.isEmpty()) {
          claimWanted = false;
          int taken = step(owner, done, true);
          nextClaimAt = taken > 0 ? 0 : now + policy.pollInterval().toMillis();
          if (taken > 0 && taken < policy.batchSize() && handedOver.isEmpty()) {
            Thread.sleep(LINGER_MS);
          }
          if (taken > 0) {
            continue;
          }
        }
        if (handedOver.isEmpty()) {
          wakeups.tryAcquire(Math.max(1, nextClaimAt - clock.millis()), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("Dispatcher: worker {} could not reach the inbox; retrying", owner, e);
        sleep(policy.pollInterval().toMillis());
      }
    }
    try {
      flush(owner, done);
      releaseHandedOver();
    } catch (RuntimeException e) {
      log.warn("Dispatcher: could not mark {} handled deliveries done; they will be handled again", done.size(), e);
    }
  }

  /** Handles deliveries the inbox handed over; their completions ride the inbox writer's next transaction. */
  private void handleHandedOver(List<Handed> rows) {
    List<Long> ok = new ArrayList<>(rows.size());
    for (Handed h : rows) {
      if (expiring(h.leaseUntil())) {
        continue; // waited too long in memory: the rescue hands it to a worker through the table, handled once
      }
      Row row = h.row();
      String error = handle(row);
      if (error == null) {
        ok.add(row.id());
      } else {
        fail(row, handoffOwner, error);
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    Inbox inbox = completions;
    if (inbox != null && inbox.complete(handoffOwner, ok)) {
      metrics.handled.labelValues("done").inc(ok.size());
    } else {
      countCompleted(ok.size(), store.complete(ok, handoffOwner, clock.millis()));
    }
  }

  /** On stop: what was handed over but not handled goes back to the queue for the next worker or instance. */
  private void releaseHandedOver() {
    for (Handed h; (h = handedOver.poll()) != null; ) {
      store.retryLater(h.row().id(), handoffOwner, null, clock.millis());
    }
  }

  /**
   * Whether a lease is too close to its end to start a delivery under it: past three quarters of the lease,
   * the delivery is left to the rescue, so a slow batch never has two workers handling one delivery.
   */
  private boolean expiring(long leaseUntil) {
    return clock.millis() > leaseUntil - policy.lease().toMillis() / 4;
  }

  /** Runs every handler for the delivery; returns null on success or the failures' summary. */
  private String handle(Row row) {
    Delivery d = new Delivery(row.deliveryId(), row.event(), row.action(), row.installationId(),
        row.repository(), row.sender(), Instant.ofEpochMilli(row.receivedAt()), () -> new String(store.payload(row.id()), java.nio.charset.StandardCharsets.UTF_8),
        row.attempts());
    StringBuilder errors = new StringBuilder();
    MDC.put("delivery", d.id());
    try {
      for (EventHandler h : handlers.forDelivery(d.event(), d.action())) {
        if (!Handlers.wants(h, d)) {
          continue;
        }
        MDC.put("handler", h.name());
        long start = System.nanoTime();
        String outcome = "ok";
        try {
          h.handle(d);
        } catch (Exception | LinkageError | AssertionError e) {
          outcome = "error";
          errors.append(h.name()).append(": ").append(e.getClass().getSimpleName()).append(": ")
              .append(e.getMessage()).append('\n');
          log.warn("Dispatcher: handler {} failed on delivery {} ({}, {}), attempt {}", h.name(), d.id(),
              d.name(), d.repository(), d.attempt(), e);
        } finally {
          metrics.handlerSeconds.labelValues(h.name(), outcome).observe((System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      MDC.remove("handler");
      MDC.remove("delivery");
    }
    return errors.length() == 0 ? null : errors.toString().strip();
  }

  private void fail(Row row, String owner, String error) {
    if (row.attempts() >= policy.maxAttempts()) {
      if (store.bury(row.id(), owner, error, clock.millis())) {
        metrics.handled.labelValues("dead").inc();
        log.error("Dispatcher: delivery {} ({}.{}, {}) dead-lettered after {} attempts; fix the handler, then"
            + " redeliver it from the App settings", row.deliveryId(), row.event(), row.action(),
            row.repository(), row.attempts());
      }
      return;
    }
    long next = clock.millis() + policy.backoff(row.attempts()).toMillis();
    if (store.retryLater(row.id(), owner, error, next)) {
      metrics.handled.labelValues("retry").inc();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    wakeups.release(workers.size() + 1);
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }
}
