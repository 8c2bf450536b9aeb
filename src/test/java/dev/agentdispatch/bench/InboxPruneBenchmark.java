package dev.agentdispatch.bench;

import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import dev.agentdispatch.webhook.InboxRetention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * How long one retention transaction ({@code InboxStore.prune}, 500 deliveries) holds the SQLite writer: fills a
 * fresh inbox with handled deliveries (the real issues.labeled payload, UUID delivery ids), prunes with a cutoff
 * older than all of them (the last transaction of every sweep: nothing, or little, left to delete), then deletes
 * them all 500 at a time. A main class, not a test. Arguments: how many deliveries (default 100000), and the pause between
 * transactions in ms (default {@link InboxRetention#PAUSE_MS}, as the sweep does; 0 for back to back).
 */
public final class InboxPruneBenchmark {
  private static final int BATCH = 500;

  private InboxPruneBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long pause = args.length > 1 ? Long.parseLong(args[1]) : InboxRetention.PAUSE_MS;
    byte[] payload = Files.readAllBytes(Path.of("../shared/github/webhook-examples/issues.labeled.1.json"));
    Path dir = Files.createTempDirectory("inbox-prune-bench");
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("inbox.db"))) {
      InboxStore store = new InboxStore(db);
      for (int i = 0; i < n; i += BATCH) {
        List<NewDelivery> batch = new ArrayList<>();
        for (int j = i; j < i + BATCH; j++) {
          batch.add(NewDelivery.of(UUID.randomUUID().toString(), "issues", "labeled", 1L, "o/r", "bob", j, payload));
        }
        store.insert(batch);
        List<Long> ids = store.claim("w", BATCH, n, 2L * n).stream().map(Row::id).toList();
        store.complete(ids, "w", i + BATCH); // received at 0..n-1 ms, each handled by the end of its batch
      }
      long[] idle = new long[21];
      for (int k = 0; k < idle.length; k++) {
        Thread.sleep(pause);
        long start = System.nanoTime();
        if (store.prune(0, BATCH) != 0) { // every delivery was received and handled after the cutoff
          throw new IllegalStateException("deleted deliveries that are not old enough");
        }
        idle[k] = System.nanoTime() - start;
      }
      Arrays.sort(idle);
      System.out.printf("%d handled deliveries, none old enough: p50 %.2f ms, max %.2f ms (21 transactions)%n", n,
          idle[idle.length / 2] / 1e6, idle[idle.length - 1] / 1e6);
      long[] took = new long[n / BATCH];
      for (int k = 0; k < took.length; k++) {
        Thread.sleep(pause);
        long start = System.nanoTime();
        int deleted = store.prune(n + BATCH, BATCH);
        took[k] = System.nanoTime() - start;
        if (deleted != BATCH) {
          throw new IllegalStateException("deleted " + deleted + " instead of " + BATCH);
        }
      }
      Arrays.sort(took);
      System.out.printf("%d deliveries, %d transactions of %d, %d ms apart: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          n, took.length, BATCH, pause, took[took.length / 2] / 1e6, took[took.length * 9 / 10] / 1e6,
          took[took.length * 99 / 100] / 1e6, took[took.length - 1] / 1e6);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
