package dev.agentdispatch;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of everything written to {@code System.err} (where slf4j-simple logs) until closed, still passing it
 * through: for tests that read what the app logged.
 */
public final class StderrCapture implements AutoCloseable {
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
  private final PrintStream real;

  private StderrCapture() {
    real = System.err;
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        real.write(b);
        synchronized (copy) {
          copy.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        real.write(b, off, len);
        synchronized (copy) {
          copy.write(b, off, len);
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  public static StderrCapture start() {
    return new StderrCapture();
  }

  /** What was logged since {@link #start()}. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(real);
  }
}
