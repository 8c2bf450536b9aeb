package dev.agentdispatch.bench;

import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.task.Limits;
import dev.agentdispatch.task.RepoLimits;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agent-task queue throughput and claim cost, on SQLite and embedded PostgreSQL (not a JUnit test). Run:
 * <pre>mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
 *   -Dmdep.includeScope=test &amp;&amp; java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
 *   dev.agentdispatch.bench.QueueClaimBenchmark sqlite postgres</pre>
 * (see docs/benchmarks-queue.md).
 * Prints a Markdown table. Throughput: 10,000 tasks queued across 100 repositories, each cycle claims one, moves
 * it to RUNNING then DONE. Claim cost: with 1k, 10k and 50k queued (100 repositories), the latency of single
 * claims. Queues are seeded with one batch insert; limits are set high so every claim finds work.
 * {@code -Dbench.cycles=N} (default: all 10,000) and {@code -Dbench.samples=N} (default 200) shorten a run.
 */
public final class QueueClaimBenchmark {
  private static final int REPOSITORIES = 100;
  private static final int THROUGHPUT_QUEUED = 10_000;
  private static final int THROUGHPUT_CYCLES = Integer.getInteger("bench.cycles", THROUGHPUT_QUEUED);
  private static final int[] CLAIM_COST_QUEUED = {1_000, 10_000, 50_000};
  private static final int CLAIM_COST_SAMPLES = Integer.getInteger("bench.samples", 200);

  private QueueClaimBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> dbs = args.length == 0 ? List.of("sqlite", "postgres") : Arrays.asList(args);
    List<String> rows = new ArrayList<>();
    EmbeddedPostgres pg = dbs.contains("postgres") ? EmbeddedPostgres.builder().start() : null;
    Path dir = Files.createTempDirectory("queue-bench");
    try {
      for (String kind : dbs) {
        rows.add(throughput(kind, newUrl(kind, pg, dir), 1));
        if (kind.equals("postgres")) {
          rows.add(throughput(kind, newUrl(kind, pg, dir), 4));
        }
        for (int queued : CLAIM_COST_QUEUED) {
          rows.add(claimCost(kind, newUrl(kind, pg, dir), queued));
        }
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
    System.out.println();
    System.out.println("| database | queued | repositories | measured | count | seconds | per second | median ms"
        + " | p95 ms |");
    System.out.println("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
  }

  private static int next;

  private static String newUrl(String kind, EmbeddedPostgres pg, Path dir) throws Exception {
    next++;
    if (kind.equals("sqlite")) {
      return "jdbc:sqlite:" + dir.resolve("bench-" + next + ".db");
    }
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE bench_" + next);
    }
    return pg.getJdbcUrl("postgres", "bench_" + next);
  }

  /** Claims and finishes {@link #THROUGHPUT_CYCLES} tasks of 10,000 queued, from {@code threads} threads. */
  private static String throughput(String kind, String url, int threads) throws Exception {
    try (Database db = Database.open(url)) {
      seed(db, THROUGHPUT_QUEUED);
      TaskQueue q = queue(db);
      AtomicLong cycles = new AtomicLong();
      long[] latencies = new long[THROUGHPUT_CYCLES + threads];
      long start = System.nanoTime();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        String owner = "bench-" + w;
        Thread t = new Thread(() -> {
          long n;
          while ((n = cycles.getAndIncrement()) < THROUGHPUT_CYCLES) {
            long t0 = System.nanoTime();
            Task task = q.claimNext(owner).orElseThrow();
            q.transition(task.id(), TaskState.STARTING, TaskState.RUNNING);
            q.transition(task.id(), TaskState.RUNNING, TaskState.DONE);
            latencies[(int) n] = System.nanoTime() - t0;
          }
        });
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        t.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return row(kind, THROUGHPUT_QUEUED, "claim+RUNNING+DONE, " + threads + " thread" + (threads > 1 ? "s" : ""),
          THROUGHPUT_CYCLES, seconds, Arrays.copyOf(latencies, THROUGHPUT_CYCLES));
    }
  }

  /** The latency of single claims with {@code queued} tasks waiting. */
  private static String claimCost(String kind, String url, int queued) {
    try (Database db = Database.open(url)) {
      seed(db, queued);
      TaskQueue q = queue(db);
      for (int i = 0; i < 20; i++) {  // warm-up
        q.claimNext("warm-up").orElseThrow();
      }
      long[] latencies = new long[CLAIM_COST_SAMPLES];
      long start = System.nanoTime();
      for (int i = 0; i < CLAIM_COST_SAMPLES; i++) {
        long t0 = System.nanoTime();
        q.claimNext("bench").orElseThrow();
        latencies[i] = System.nanoTime() - t0;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return row(kind, queued, "claim only", CLAIM_COST_SAMPLES, seconds, latencies);
    }
  }

  private static TaskQueue queue(Database db) {
    Limits limits = new Limits(1_000_000, 1_000_000, Duration.ZERO, Duration.ofMinutes(5), 3);
    RepoLimits repo = RepoLimits.DEFAULTS.withMaxConcurrent(1_000_000).withMaxQueued(1_000_000)
        .withMaxOpenPullRequests(1_000_000).withWeeklyBudget(1_000_000).withStartGap(Duration.ZERO);
    return new TaskQueue(new TaskStore(db), Clock.tickMillis(ZoneOffset.UTC), limits, r -> repo);
  }

  /** {@code n} queued tasks round the repositories, inserted in one transaction. */
  private static void seed(Database db, int n) {
    long created = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_task (repository, organisation, number,"
          + " kind, trigger_kind, state, created_at, updated_at) VALUES (?, ?, ?, 'issue', 'label', 'queued', ?, ?)")) {
        for (int i = 0; i < n; i++) {
          int repo = i % REPOSITORIES;
          ps.setString(1, "org" + (repo % 10) + "/repo" + repo);
          ps.setString(2, "org" + (repo % 10));
          ps.setInt(3, i);
          ps.setLong(4, created + i);
          ps.setLong(5, created + i);
          ps.addBatch();
          if (i % 1000 == 999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      return null;
    });
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
      return null;
    });
  }

  private static String row(String kind, int queued, String what, int count, double seconds, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2] / 1e6;
    double p95 = sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.95))] / 1e6;
    String line = String.format(Locale.ROOT, "| %s | %,d | %d | %s | %,d | %.1f | %.0f | %.2f | %.2f |", kind,
        queued, REPOSITORIES, what, count, seconds, count / seconds, median, p95);
    System.out.println(line);
    return line;
  }
}
