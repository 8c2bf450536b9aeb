package dev.agentdispatch.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The simulator's clock: either frozen (tests move it with {@link #advance}) or following real time plus an offset. */
public final class SimClock extends Clock {
  private final boolean ticking;
  private Instant base;
  private Duration offset = Duration.ZERO;

  private SimClock(boolean ticking, Instant base) {
    this.ticking = ticking;
    this.base = base;
  }

  /** A frozen clock at the given instant; only {@link #advance} and {@link #set} move it. */
  public static SimClock fixed(Instant start) {
    return new SimClock(false, start);
  }

  /** A frozen clock at the current real time (whole seconds). */
  public static SimClock fixedAtNow() {
    return fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /** Real time plus whatever {@link #advance} added (for the sandbox). */
  public static SimClock ticking() {
    return new SimClock(true, null);
  }

  public synchronized Instant now() {
    return (ticking ? Instant.now() : base).plus(offset);
  }

  public synchronized void advance(Duration d) {
    offset = offset.plus(d);
  }

  public synchronized void set(Instant t) {
    if (ticking) offset = Duration.between(Instant.now(), t);
    else { base = t; offset = Duration.ZERO; }
  }

  @Override public Instant instant() { return now(); }
  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException("SimClock is UTC only"); }
}
