package dev.agentdispatch.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Copilot cloud agent: moves tasks queued -> in_progress -> final state on the sim clock when
 * {@link #runDueWork()} runs (or the optional background ticker). It picks its own "copilot/<slug>" branch,
 * opens a draft pull request as bot "Copilot" when asked, and answers "@copilot" comments on its open pull
 * requests by pushing a commit. Outcomes are scripted per task.
 */
public final class SimulatedAgent {
  public static final long COPILOT_ID = 198982749L;
  private final SimState state;
  private SimActions actions;
  private final Deque<Outcome> scripted = new ArrayDeque<>();
  private volatile Duration startDelay = Duration.ofSeconds(10);
  private volatile Duration workTime = Duration.ofMinutes(2);
  private ScheduledExecutorService ticker;
  private volatile String ciCheck;
  private volatile String ciConclusion = "success";

  SimulatedAgent(SimState state) {
    this.state = state;
  }

  void bind(SimActions actions) { this.actions = actions; }

  /** The next created task ends this way (queued; one per task). A prompt marker like "[sim:rogue]" also works. */
  public synchronized SimulatedAgent scriptNext(Outcome outcome) {
    scripted.add(outcome);
    return this;
  }

  /** How long a task stays queued, and how long a session works, in sim-clock time. */
  public SimulatedAgent timings(Duration startDelay, Duration workTime) {
    this.startDelay = startDelay;
    this.workTime = workTime;
    return this;
  }

  /**
   * A CI app that reports a check run named {@code name} with {@code conclusion} on every commit the agent pushes
   * (the sandbox's stand-in for the repository's CI, so judging can be watched); null turns it off (the default).
   */
  public SimulatedAgent ci(String name, String conclusion) {
    this.ciCheck = name;
    this.ciConclusion = conclusion;
    return this;
  }

  private void reportCi(AgentTask t, AgentTask.Session s) {
    String sha = t.headRef == null ? null : state.repo(t.repo).refs.get("heads/" + t.headRef);
    if (ciCheck == null || !"completed".equals(s.state) || sha == null) {
      return;
    }
    SimUser ci = state.user("github-actions");
    if (ci == null) {
      ci = state.addUser("github-actions", "User");
    }
    actions.reportCheckRun(state.repo(t.repo), sha, ciCheck, ciConclusion, ci);
  }

  /** Runs {@link #runDueWork()} every {@code period} of real time (for the sandbox). */
  public synchronized void startTicker(Duration period) {
    if (ticker != null) return;
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sim-agent-ticker");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::runDueWork, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void stopTicker() {
    if (ticker != null) ticker.shutdownNow();
    ticker = null;
  }

  AgentTask create(SimRepo repo, SimUser creator, String prompt, String baseRef, String model, boolean createPr,
      String headRef) {
    Outcome o;
    synchronized (this) {
      o = scripted.poll();
    }
    if (o == null) o = Outcome.fromPrompt(prompt);
    if (o == null) o = Outcome.SUCCESS;
    Instant now = state.clock.now();
    AgentTask t = new AgentTask(UUID.randomUUID().toString(), repo.fullName(), creator, prompt,
        baseRef == null ? repo.defaultBranch : baseRef, model, createPr, o, now);
    t.headRef = headRef;
    t.sessions.add(new AgentTask.Session(UUID.randomUUID().toString(), prompt, now, now.plus(startDelay)));
    state.tasks.put(t.id, t);
    state.log(repo.fullName() + ":agent-task:" + t.id + ":" + o.kind().name().toLowerCase(Locale.ROOT));
    return t;
  }

  /** Performs every step whose time has come on the sim clock. Returns the number of steps taken. */
  public int runDueWork() {
    int steps = 0;
    synchronized (state) {
      boolean progressed = true;
      while (progressed) {
        progressed = false;
        for (AgentTask t : state.tasks.values()) {
          if (step(t)) {
            progressed = true;
            steps++;
          }
        }
      }
    }
    return steps;
  }

  private boolean step(AgentTask t) {
    AgentTask.Session s = t.latest();
    Instant now = state.clock.now();
    if ("queued".equals(s.state) && !now.isBefore(s.dueAt)) {
      begin(t, s, now);
      return true;
    }
    if ("in_progress".equals(s.state) && !now.isBefore(s.startedAt.plus(workTime))) {
      AgentWork.finish(state, actions, t, s, now);
      reportCi(t, s);
      return true;
    }
    return false;
  }

  /** Starts a session at the time it was due, so one large clock jump runs a task to its end. */
  private void begin(AgentTask t, AgentTask.Session s, Instant now) {
    s.state = "in_progress";
    s.startedAt = s.dueAt;
    s.updatedAt = now;
    t.state = "in_progress";
    t.updatedAt = now;
    if (t.sessions.size() == 1) AgentWork.start(state, actions, t, copilot(), now);
  }

  /** Reacts to "@copilot" in a comment on an open pull request of a task, by someone with write access. */
  void onComment(SimRepo repo, SimIssue issue, SimComment c) {
    if (!issue.isPull || !"open".equals(issue.state) || !c.body.toLowerCase(Locale.ROOT).contains("@copilot")) return;
    if (c.user.isBot() || !Roles.atLeast(state.roleOf(repo, c.user), "write")) return;
    AgentTask t = state.tasks.values().stream()
        .filter(x -> x.repo.equals(repo.fullName()) && Integer.valueOf(issue.number).equals(x.pullNumber))
        .reduce((a, b) -> b).orElse(null);
    if (t == null) return;
    c.reactions.add(new SimComment.SimReaction(state.nextId(), copilot(), "eyes", state.clock.now()));
    state.log(repo.fullName() + "#" + issue.number + ":react:eyes:" + c.id);
    Instant now = state.clock.now();
    t.sessions.add(new AgentTask.Session(UUID.randomUUID().toString(), c.body, now, now.plus(startDelay)));
    t.state = "queued";
    t.updatedAt = now;
  }

  SimUser copilot() {
    SimUser u = state.user("Copilot");
    return u != null ? u : state.addUser("Copilot", COPILOT_ID, "Bot");
  }

  /** For tests: the change the agent pushes on each session. */
  static Map<String, String> changeFor(AgentTask t, int session) {
    String slug = AgentWork.slug(t.prompt);
    return Map.of("agent/" + slug + ".md", "# " + t.prompt + "\n\nsession " + session + "\n");
  }
}
