package dev.agentdispatch.agent;

import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.PrivateKeys;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.github.Sleeper;
import dev.agentdispatch.sandbox.AgentTask;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.sandbox.SimComment;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.task.Limits;
import dev.agentdispatch.task.RepoLimits;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The agent worker's world for one test: the demo simulator over HTTP on a frozen clock, a real database, the
 * task queue, and a GitHub client whose waits are recorded and move the clock instead of sleeping.
 */
final class AgentKit implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
  static final String REPO = DemoWorld.REPO;
  static final int ISSUE = 2;
  private static final AtomicInteger DELIVERIES = new AtomicInteger();

  final SimClock clock = SimClock.fixed(START);
  final GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final Sleeper sleeper = d -> {
    waits.add(d);
    clock.advance(d);
  };
  final GitHubClient client = GitHubClient.builder(URI.create(sim.url()), sim.appId(),
      PrivateKeys.parse(sim.privateKeyPem())).clock(clock).sleeper(sleeper).jitter(1.0).build();
  final Database db;
  final TaskQueue queue;
  final AgentRunStore runs;
  final AuditStore auditStore;
  final CopilotBackend backend = new CopilotBackend(client, null);
  Duration timeout = AgentWorker.DEFAULT_TIMEOUT;

  AgentKit(String databaseUrl) {
    db = Database.open(databaseUrl);
    queue = new TaskQueue(new TaskStore(db), clock, Limits.DEFAULTS, r -> RepoLimits.DEFAULTS);
    runs = new AgentRunStore(db);
    auditStore = new AuditStore(db);
  }

  /** A worker starting agents with {@code login}'s personal access token as the service-account AGENT_TOKEN. */
  AgentWorker worker(String login) {
    return worker(login, "worker-a");
  }

  AgentWorker worker(String login, String owner) {
    return new AgentWorker(queue, runs, backend, AgentTokens.serviceAccount(sim.tokenOf(login)), client,
        new AuditTrail(auditStore), clock, owner, r -> timeout);
  }

  /** Queues a task for octo-demo/webapp issue 2, triggered by bob. */
  Task enqueue(String prompt) {
    return queue.enqueue(new TaskRequest(REPO, null, ISSUE, Task.Kind.ISSUE, Task.Trigger.LABEL, "bob",
        "delivery-" + DELIVERIES.incrementAndGet(), prompt, null, null, null)).task();
  }

  /** Queues a follow-up ({@code /copilot <prompt>}) on pull request {@code pull} of octo-demo/webapp, by bob. */
  Task enqueueFollowUp(int pull, String prompt) {
    return queue.enqueue(new TaskRequest(REPO, null, pull, Task.Kind.PR_FOLLOWUP, Task.Trigger.COMMAND, "bob",
        "delivery-" + DELIVERIES.incrementAndGet(), prompt, null, null, null)).task();
  }

  Task task(long id) {
    return queue.find(id).orElseThrow();
  }

  /** Moves the clock by {@code step}, lets the simulated agent and the worker do what is due, until done or limit. */
  Task runUntil(AgentWorker worker, long taskId, Predicate<Task> done, Duration step, Duration limit) {
    Instant end = clock.instant().plus(limit);
    worker.runDueWork();
    while (!done.test(task(taskId))) {
      if (clock.instant().isAfter(end)) {
        throw new AssertionError("task " + taskId + " still " + task(taskId).state() + " at " + clock.instant());
      }
      clock.advance(step);
      sim.agent().runDueWork();
      worker.runDueWork();
    }
    return task(taskId);
  }

  /** The comments on issue 2. */
  List<SimComment> comments() {
    return comments(ISSUE);
  }

  /** The comments on issue or pull request {@code number}. */
  List<SimComment> comments(int number) {
    synchronized (sim.state()) {
      return sim.state().comments.values().stream().filter(c -> c.repo.equals(REPO) && c.issueNumber == number)
          .toList();
    }
  }

  List<AgentTask> agentTasks() {
    synchronized (sim.state()) {
      return List.copyOf(sim.state().tasks.values());
    }
  }

  /** Requests the simulator answered for an operation, e.g. {@link #CREATE}. */
  long requests(String operation) {
    return sim.exchanges().stream().filter(e -> operation.equals(e.operation())).count();
  }

  static final String CREATE = "POST /agents/repos/{owner}/{repo}/tasks";

  List<AuditStore.Row> audit() {
    return auditStore.find(new AuditStore.Query(REPO, null, null, null, null, null, 50));
  }

  GitHubGateway webapp() {
    return client.gateway(RepoRef.of(REPO), Permissions.ISSUES_WRITE);
  }

  @Override
  public void close() {
    db.close();
    sim.stop();
  }
}
