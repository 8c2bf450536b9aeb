package dev.agentdispatch;

import dev.agentdispatch.agent.AgentTokens;
import dev.agentdispatch.agent.AgentWorker;
import dev.agentdispatch.agent.CopilotBackend;
import dev.agentdispatch.agent.LatePullRequest;
import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.agent.TaskTimeouts;
import dev.agentdispatch.agent.TokenModes;
import dev.agentdispatch.agent.WebhookNotifier;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.RepoConfigLoader;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.github.DeliveryRecovery;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.PolicyLog;
import dev.agentdispatch.github.PolicyRecorder;
import dev.agentdispatch.github.RepoFiles;
import dev.agentdispatch.governance.Governance;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.task.Limits;
import dev.agentdispatch.task.RepoLimits;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.trigger.RepoConfigs;
import dev.agentdispatch.trigger.TriggerKit;
import dev.agentdispatch.web.AdminRoutes;
import dev.agentdispatch.web.HttpServer;
import dev.agentdispatch.web.TasksApi;
import dev.agentdispatch.webhook.DispatchPolicy;
import dev.agentdispatch.webhook.Dispatcher;
import dev.agentdispatch.webhook.Handlers;
import dev.agentdispatch.webhook.Inbox;
import dev.agentdispatch.webhook.InboxRetention;
import dev.agentdispatch.webhook.Signatures;
import dev.agentdispatch.webhook.WebhookMetrics;
import dev.agentdispatch.webhook.WebhookReceiver;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running app: database, inbox, dispatcher and HTTP server, wired in one place. */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Settings settings;
  private final Database database;
  private final InboxStore inboxStore;
  private final Inbox inbox;
  private final Dispatcher dispatcher;
  private final HttpServer http;
  private final AuditTrail audit;
  private final boolean backgroundWork;
  private final GitHubClient github;
  private final DeliveryRecovery recovery;
  private AutoCloseable recoverySchedule;
  /** The task queue the triggers fill and the agent worker claims from. */
  private final TaskQueue taskQueue;
  /** Starts and watches agent tasks; its loop runs when background work is on. */
  private final AgentWorker agentWorker;
  /** Judging and rollback; its sweep runs every SWEEP_INTERVAL beside delivery recovery. */
  private final Governance governance;
  private AutoCloseable governanceSchedule;
  /** Deletes handled deliveries older than INBOX_RETENTION; runs every SWEEP_INTERVAL. */
  private final InboxRetention retention;
  private AutoCloseable retentionSchedule;
  /** The outgoing notification webhook (NOTIFY_WEBHOOK_URL), or none. */
  private final Notifier notifier;
  private final AtomicBoolean closed = new AtomicBoolean();

  private App(Builder b) {
    this.settings = b.settings;
    this.backgroundWork = b.backgroundWork;
    this.database = Database.open(settings.databaseUrl());
    try {
      // This instance's name in leases (tasks, rollbacks), so several replicas on one PostgreSQL share the work.
      String instance = "app-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
      PrometheusRegistry registry = new PrometheusRegistry();
      WebhookMetrics metrics = new WebhookMetrics(registry);
      AuditStore auditStore = new AuditStore(database);
      AgentRunStore runs = new AgentRunStore(database);
      this.inboxStore = new InboxStore(database);
      this.audit = new AuditTrail(auditStore);
      inboxDepth(registry, inboxStore);
      this.github = b.github != null ? b.github
          : GitHubClient.create(settings, b.clock, policyRecorder(new PolicyLog(registry), audit, b.clock));
      this.notifier = b.notifier != null ? b.notifier : WebhookNotifier.of(settings.notifyWebhookUrl());

      // Triggers and the task queue: server-wide limits from the settings, each repository's from its config.
      RepoConfigLoader configLoader = new RepoConfigLoader(new RepoFiles(github));
      RepoConfigs configs = new RepoConfigs(configLoader, b.clock);
      this.taskQueue = new TaskQueue(new TaskStore(database), b.clock, Limits.of(settings),
          r -> RepoLimits.of(configs.config(r)));
      UserMode users = UserMode.of(settings, database, github, audit, b.clock);
      TriggerKit triggers = new TriggerKit(github, configs, taskQueue, runs, audit, auditStore, b.clock,
          settings.agentToken(), users.authorised(), users.loginUrl(), notifier);

      // Judging and rollback: the task's pull request against its boundary, then its failure mode.
      this.governance = new Governance(taskQueue, new JudgementStore(database), runs, github, audit, notifier,
          b.clock, instance, configs::config);
      // Agent pull requests of cancelled or timed-out tasks (late_pull_request), arriving late or already open.
      LatePullRequest latePulls = new LatePullRequest(github, taskQueue, configs::config, audit, auditStore,
          notifier, b.clock);

      Handlers handlers = new Handlers();
      if (b.appHandlers) {
        AppHandlers.register(handlers, triggers, governance, users.revokedHandler(), latePulls);
      }
      b.handlers.accept(handlers);
      this.dispatcher = new Dispatcher(inboxStore, handlers, b.clock, b.policy, metrics);
      this.inbox = new Inbox(inboxStore, dispatcher, b.clock);
      this.recovery = github.deliveryRecovery(inboxStore, dispatcher::wake);
      this.retention = new InboxRetention(inboxStore, settings.inboxRetention(), b.clock);

      // The agent worker, starting agents with AGENT_TOKEN or the person's token (agent_token).
      AgentTokens tokens = new TokenModes(AgentTokens.serviceAccount(settings.agentToken()), users.tokens(),
          r -> configs.config(r).agentToken(), runs);
      this.agentWorker = new AgentWorker(taskQueue, runs, new CopilotBackend(github, null), tokens, github, audit,
          b.clock, instance, new TaskTimeouts(configLoader), notifier)
          .whenPullRequestOpens(governance::judgeNow).whenAgentAbandoned(latePulls::settleOpenPull);

      WebhookReceiver receiver =
          new WebhookReceiver(new Signatures(settings.webhookSecrets()), inbox, b.clock, metrics);
      this.http = new HttpServer(settings.webhookPath(), receiver, database::isReady, registry,
          settings.adminToken(), api -> adminApi(api, auditStore, runs), users.pages());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static void inboxDepth(PrometheusRegistry registry, InboxStore inboxStore) {
    GaugeWithCallback.builder().name("agent_dispatch_inbox_depth")
        .help("Stored deliveries not yet handled (pending or leased)")
        .callback(cb -> {
          try {
            cb.call(inboxStore.depth());
          } catch (RuntimeException e) {
            log.debug("App: inbox depth unavailable for /metrics: {}", e.getMessage()); // readyz says why
          }
        }).register(registry);
  }

  /** Every policy-guard refusal is logged, counted and written to the audit trail. */
  private static PolicyRecorder policyRecorder(PolicyLog log, AuditTrail audit, Clock clock) {
    return v -> {
      log.refused(v);
      String[] parts = v.path().split("/");
      String repository = parts.length > 3 && parts[1].equals("repos") ? parts[2] + "/" + parts[3] : null;
      audit.record(AuditEvent.of(clock.instant(), "policy.refused", "refused")
          .withDelivery(null, null, repository, null).withIo(v.method() + " " + v.path(), v.getMessage()));
    };
  }

  /** The task queue shared by the triggers and the agent worker. */
  public TaskQueue taskQueue() {
    return taskQueue;
  }

  /** The agent worker; tests built with manual dispatch call its {@code runDueWork()}. */
  public AgentWorker agentWorker() {
    return agentWorker;
  }

  /** Where task news goes besides the status comment: the NOTIFY_WEBHOOK_URL notifier, or a no-op. */
  public Notifier notifier() {
    return notifier;
  }

  public static Builder builder(Settings settings) {
    return new Builder(settings);
  }

  /** Starts the dispatcher (unless built with manual dispatch) and the HTTP server. */
  public App start(String host) {
    if (backgroundWork) {
      dispatcher.start();
    }
    http.start(host, settings.port());
    if (backgroundWork) {
      Duration every = settings.sweepInterval();
      recoverySchedule = Periodic.every("delivery-recovery", Duration.ZERO, every, recovery::runOnce);
      governanceSchedule = Periodic.every("governance-sweep", every, every, governance::sweep);
      retentionSchedule = Periodic.every("inbox-retention", every, every, retention::runOnce);
      agentWorker.start(Duration.ofSeconds(2));
    }
    log.info("App: listening on port {} (webhooks at {}), database {}", http.port(), settings.webhookPath(),
        Settings.redactUrl(settings.databaseUrl()));
    return this;
  }

  public int port() {
    return http.port();
  }

  /**
   * Handles every due delivery on the calling thread, until none is left; for tests that drive the app
   * step by step (built with {@link Builder#manualDispatch()}). Returns how many were taken.
   */
  public int runDueWork() {
    int total = 0;
    for (int n; (n = dispatcher.runOnce("manual")) > 0; ) {
      total += n;
    }
    return total;
  }

  /** Stores deliveries GitHub failed to hand over; runs on start and every SWEEP_INTERVAL, or here by hand. */
  public DeliveryRecovery.Result recoverMissedDeliveries() {
    return recovery.runOnce();
  }

  /**
   * Judges open agent pull requests still pending (and times them out), then rolls back verdicts whose
   * rollback_grace has passed; runs every SWEEP_INTERVAL, or here by hand.
   */
  public Governance.Swept sweepJudgements() {
    return governance.sweep();
  }

  /** Deletes handled deliveries older than INBOX_RETENTION; runs every SWEEP_INTERVAL, or here by hand. */
  public int pruneInbox() {
    return retention.runOnce();
  }

  public GitHubClient github() {
    return github;
  }

  public Database database() {
    return database;
  }

  public InboxStore inboxStore() {
    return inboxStore;
  }

  /** Where every decision is recorded. */
  public AuditTrail audit() {
    return audit;
  }

  private void adminApi(AdminRoutes api, AuditStore auditStore, AgentRunStore runs) {
    api.get("/api/audit", audit::list);
    new TasksApi(new TaskStore(database), runs, auditStore).register(api);
    api.get("/api/inbox", ctx -> ctx.json(inboxStore.countByState()));
    api.get("/api/inbox/{delivery}", ctx -> inboxStore.find(ctx.pathParam("delivery")).ifPresentOrElse(
        row -> ctx.json(Map.of("delivery", row.deliveryId(), "event", row.event(),
            "action", String.valueOf(row.action()), "repository", String.valueOf(row.repository()),
            "state", row.state(), "attempts", row.attempts(), "last_error", String.valueOf(row.lastError()))),
        () -> ctx.status(404).json(Map.of("error", "no such delivery"))));
  }

  /** Stops taking webhooks, writes what was accepted, lets workers finish, then closes the database. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stop(recoverySchedule, "delivery recovery");
    stop(governanceSchedule, "the governance sweep");
    stop(retentionSchedule, "the inbox retention");
    http.close();
    agentWorker.close();
    inbox.close();
    if (notifier instanceof AutoCloseable c) {
      stop(c, "the notifier");
    }
    dispatcher.close();
    database.close();
  }

  private static void stop(AutoCloseable part, String what) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      log.warn("App: stopping {} failed", what, e);
    }
  }

  /** Options for building an app; tests set the clock, handlers and dispatch policy. */
  public static final class Builder {
    private final Settings settings;
    private Clock clock = Clock.systemUTC();
    private Consumer<Handlers> handlers = h -> { };
    private DispatchPolicy policy = DispatchPolicy.defaults();
    private boolean backgroundWork = true;
    private boolean appHandlers = true;
    private GitHubClient github;
    private Notifier notifier;

    private Builder(Settings settings) {
      this.settings = settings;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Registers handlers in addition to the app's own. */
    public Builder handlers(Consumer<Handlers> extra) {
      this.handlers = this.handlers.andThen(extra);
      return this;
    }

    public Builder dispatchPolicy(DispatchPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Only the handlers given with {@link #handlers}: for plumbing tests that count every delivery handled. */
    public Builder withoutAppHandlers() {
      this.appHandlers = false;
      return this;
    }

    /** No background workers: the test calls {@link App#runDueWork()} when it wants work done. */
    public Builder manualDispatch() {
      this.backgroundWork = false;
      return this;
    }

    /** The GitHub client to use instead of one built from the settings (tests pass a recording sleeper). */
    public Builder github(GitHubClient github) {
      this.github = github;
      return this;
    }

    /** Where task notices go besides the status comment (rollback notices); none by default. */
    public Builder notifier(Notifier notifier) {
      this.notifier = notifier;
      return this;
    }

    public App build() {
      return new App(this);
    }
  }
}
