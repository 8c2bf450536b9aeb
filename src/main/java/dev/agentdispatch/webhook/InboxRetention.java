package dev.agentdispatch.webhook;

import dev.agentdispatch.store.InboxStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes handled deliveries once they are older than INBOX_RETENTION, so the inbox does not grow without end.
 * Dead-lettered deliveries stay for a person. Each sweep deletes in small transactions with a pause between
 * them, so stored webhooks never wait long behind it.
 */
public final class InboxRetention {
  private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);
  /** Deliveries per transaction. */
  static final int BATCH = 500;
  /** At most this many transactions per sweep; a backlog is worked off over several sweeps. */
  static final int MAX_BATCHES = 200;
  /**
   * Between two transactions: lets webhook groups and the WAL checkpointer through. Back to back, a few
   * transactions held the SQLite writer for 40-70 ms (docs/benchmarks.md, Inbox retention).
   */
  public static final long PAUSE_MS = 50;

  private final InboxStore store;
  private final Duration retention;
  private final Clock clock;

  public InboxRetention(InboxStore store, Duration retention, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
  }

  /** One sweep: deletes deliveries handled more than the retention ago; returns how many. */
  public int runOnce() {
    long before = clock.millis() - retention.toMillis();
    int total = 0;
    for (int i = 0; i < MAX_BATCHES; i++) {
      int n = store.prune(before, BATCH);
      total += n;
      if (n < BATCH || !pause()) {
        break;
      }
    }
    if (total > 0) {
      log.info("InboxRetention: deleted {} deliveries handled more than {} ago", total, retention);
    }
    return total;
  }

  /** False if interrupted (the app is stopping). */
  private static boolean pause() {
    try {
      Thread.sleep(PAUSE_MS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
