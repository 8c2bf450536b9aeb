package dev.agentdispatch.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fault injection for tests: per route (method + path regex) and count, answer 429 / secondary-limit 403 / 5xx,
 * or answer slowly; drop webhook deliveries; and set the rate-limit remaining count.
 */
public final class Faults {
  /** What a rule does to a matching request. */
  public enum Kind { TOO_MANY_REQUESTS, SECONDARY_LIMIT, SERVER_ERROR, DELAY }

  /** One rule; {@code times} counts down, a negative count never runs out. */
  public static final class Rule {
    final String method;
    final Pattern path;
    final Kind kind;
    final int status;
    final int retryAfterSeconds;
    final Duration delay;
    int times;

    Rule(String method, String pathRegex, Kind kind, int status, int retryAfterSeconds, Duration delay, int times) {
      this.method = method;
      this.path = Pattern.compile(pathRegex);
      this.kind = kind;
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
      this.delay = delay;
      this.times = times;
    }

    boolean matches(String m, String p) {
      return times != 0 && ("*".equals(method) || method.equalsIgnoreCase(m)) && path.matcher(p).matches();
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private int droppedWebhooks;
  private String droppedEvent;
  private Integer rateLimitRemaining;
  private int rateLimit = 5000;

  /** The next {@code times} matching requests get 429 with Retry-After. */
  public synchronized Faults tooManyRequests(String method, String pathRegex, int times, int retryAfterSeconds) {
    return add(new Rule(method, pathRegex, Kind.TOO_MANY_REQUESTS, 429, retryAfterSeconds, null, times));
  }

  /** The next {@code times} matching requests get 403 "You have exceeded a secondary rate limit" + Retry-After. */
  public synchronized Faults secondaryLimit(String method, String pathRegex, int times, int retryAfterSeconds) {
    return add(new Rule(method, pathRegex, Kind.SECONDARY_LIMIT, 403, retryAfterSeconds, null, times));
  }

  /** The next {@code times} matching requests get this 5xx status, then the route answers normally. */
  public synchronized Faults serverError(String method, String pathRegex, int times, int status) {
    return add(new Rule(method, pathRegex, Kind.SERVER_ERROR, status, 0, null, times));
  }

  /** The next {@code times} matching requests wait {@code delay} (real time) before being answered. */
  public synchronized Faults delay(String method, String pathRegex, int times, Duration delay) {
    return add(new Rule(method, pathRegex, Kind.DELAY, 0, 0, delay, times));
  }

  /** The next {@code count} webhook deliveries (of {@code event}, or any when null) fail without reaching the app. */
  public synchronized Faults dropWebhooks(String event, int count) {
    droppedEvent = event;
    droppedWebhooks = count;
    return this;
  }

  /** Sets x-ratelimit-remaining for every caller; at 0 requests get GitHub's primary rate-limit 403. */
  public synchronized Faults rateLimitRemaining(int remaining) {
    rateLimitRemaining = remaining;
    return this;
  }

  public synchronized Faults rateLimit(int limit) {
    rateLimit = limit;
    return this;
  }

  public synchronized void clear() {
    rules.clear();
    droppedWebhooks = 0;
    droppedEvent = null;
    rateLimitRemaining = null;
  }

  private Faults add(Rule r) {
    rules.add(r);
    return this;
  }

  /** The first live rule matching the request, consuming one of its uses; null when none. */
  synchronized Rule take(String method, String path) {
    for (Rule r : rules) {
      if (r.matches(method, path)) {
        if (r.times > 0) r.times--;
        return r;
      }
    }
    return null;
  }

  /** True (consuming one) when this delivery is to be dropped. */
  synchronized boolean takeDrop(String event) {
    if (droppedWebhooks == 0 || (droppedEvent != null && !droppedEvent.equals(event))) return false;
    droppedWebhooks--;
    return true;
  }

  synchronized Integer takeRemaining() {
    if (rateLimitRemaining == null) return null;
    int r = rateLimitRemaining;
    if (rateLimitRemaining > 0) rateLimitRemaining--;
    return r;
  }

  synchronized Integer peekRemaining() { return rateLimitRemaining; }

  synchronized int limit() { return rateLimit; }
}
