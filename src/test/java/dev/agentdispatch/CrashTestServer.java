package dev.agentdispatch;

import dev.agentdispatch.config.Settings;
import dev.agentdispatch.webhook.DispatchPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The app as a separate process for {@link CrashRecoveryTest}: settings from the environment, plus a
 * handler that appends each delivery id it handles to {@code HANDLED_LOG} and syncs it, so the record
 * survives SIGKILL. Short leases let the restarted process take over the killed one's deliveries quickly.
 */
public final class CrashTestServer {
  public static void main(String[] args) throws Exception {
    Path log = Path.of(System.getenv("HANDLED_LOG"));
    FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    App app = App.builder(Settings.fromEnv(System.getenv()))
        .dispatchPolicy(DispatchPolicy.defaults().withLease(Duration.ofSeconds(2))
            .withPollInterval(Duration.ofMillis(100)))
        .handlers(h -> h.on("issues.labeled", "RecordHandled", d -> append(out, d.id())))
        .build()
        .start("127.0.0.1");
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    Thread.currentThread().join();
  }

  private static void append(FileChannel out, String id) throws IOException, InterruptedException {
    Thread.sleep(2); // slower than ingest, so a backlog is waiting when the test kills the process
    write(out, id);
  }

  private static synchronized void write(FileChannel out, String id) throws IOException {
    out.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
    out.force(false);
  }
}
