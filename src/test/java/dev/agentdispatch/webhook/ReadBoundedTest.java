package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ReadBoundedTest {
  private static final byte[] BODY = "{\"action\":\"labeled\"}".getBytes();

  /** Hands out at most three bytes per read, as a network stream may. */
  private static InputStream trickle(byte[] bytes) {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    return new InputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, Math.min(len, 3));
      }
    };
  }

  @Test
  void reads_a_body_of_the_declared_length_from_a_stream_that_trickles() throws IOException {
    assertArrayEquals(BODY, WebhookReceiver.readBounded(trickle(BODY), BODY.length));
  }

  @Test
  void a_body_longer_than_declared_is_refused() throws IOException {
    assertNull(WebhookReceiver.readBounded(trickle(BODY), BODY.length - 1));
  }

  @Test
  void a_body_shorter_than_declared_is_what_arrived() throws IOException {
    assertArrayEquals(BODY, WebhookReceiver.readBounded(trickle(BODY), BODY.length + 10));
    assertArrayEquals(BODY, WebhookReceiver.readBounded(trickle(BODY), 5L * 1024 * 1024));
  }

  @Test
  void without_a_declared_length_reads_to_the_end() throws IOException {
    assertArrayEquals(BODY, WebhookReceiver.readBounded(trickle(BODY), -1));
  }
}
