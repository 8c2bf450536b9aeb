package dev.agentdispatch.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Benchmark helper, not part of the product: starts an embedded PostgreSQL (io.zonky), writes its JDBC URL to
 * the file named by the first argument (atomically, via a temp file), and runs until killed.
 * Optional second argument: the data directory to use. Unlike zonky's defaults, fsync and synchronous_commit are
 * on, so a commit is durable as it is for SQLite with synchronous=FULL.
 */
public final class EmbeddedPostgresMain {
  private EmbeddedPostgresMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: EmbeddedPostgresMain <url-file> [data-dir]");
      System.exit(2);
    }
    Path urlFile = Path.of(args[0]);
    // zonky starts postgres with -F (fsync off) and synchronous_commit=off, which is not durable; SQLite runs
    // with synchronous=FULL, so turn both back on for a fair comparison (the -c options come after -F).
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("max_connections", "100");
    if (args.length > 1) {
      builder.setDataDirectory(Path.of(args[1])).setCleanDataDirectory(true);
    }
    EmbeddedPostgres pg = builder.start();
    String url = pg.getJdbcUrl("postgres", "postgres");
    Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
    Files.writeString(tmp, url + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, urlFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.err.println("embedded PostgreSQL at " + url);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception e) {
        System.err.println("embedded PostgreSQL: error while stopping: " + e);
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    stopped.await();
  }
}
