package dev.agentdispatch.github;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests sent to GitHub, per credential label ("app", "installation:12/repo:34", "user") and per
 * task. The task is the one named by the innermost {@link #task(String)} scope on the calling thread.
 */
public final class CallCounter {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
  private final Map<String, LongAdder> byCredential = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byTask = new ConcurrentHashMap<>();

  /** Names the task that GitHub calls on this thread count towards, until the scope is closed. */
  public static Scope task(String taskId) {
    String previous = CURRENT.get();
    CURRENT.set(taskId);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** An open task scope; closing it restores the outer one. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  void count(String credentialLabel) {
    byCredential.computeIfAbsent(credentialLabel, k -> new LongAdder()).increment();
    String task = CURRENT.get();
    if (task != null) {
      byTask.computeIfAbsent(task, k -> new LongAdder()).increment();
    }
  }

  /** Requests sent for a task so far (every attempt counts). */
  public long forTask(String taskId) {
    LongAdder a = byTask.get(taskId);
    return a == null ? 0 : a.sum();
  }

  /** Requests sent so far per credential label. */
  public Map<String, Long> byCredential() {
    Map<String, Long> m = new TreeMap<>();
    byCredential.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
