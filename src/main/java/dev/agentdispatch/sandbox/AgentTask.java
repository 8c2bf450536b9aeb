package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Copilot agent task (FACTS.md §1.5): its sessions, branch, pull request and scripted outcome. */
public final class AgentTask {
  public final String id;
  public final String repo;
  public final SimUser creator;
  public final String prompt;
  public final String baseRef;
  public final String model;
  public final boolean createPullRequest;
  public final Outcome outcome;
  public final Instant createdAt;
  public Instant updatedAt;
  public String state = "queued";
  public String headRef;
  public Integer pullNumber;
  public final List<Session> sessions = new ArrayList<>();

  public AgentTask(String id, String repo, SimUser creator, String prompt, String baseRef, String model,
      boolean createPullRequest, Outcome outcome, Instant createdAt) {
    this.id = id;
    this.repo = repo;
    this.creator = creator;
    this.prompt = prompt;
    this.baseRef = baseRef;
    this.model = model;
    this.createPullRequest = createPullRequest;
    this.outcome = outcome;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  public Session latest() { return sessions.get(sessions.size() - 1); }

  /** One agent session; the task's state is its latest session's state. */
  public static final class Session {
    public final String id;
    public final String prompt;
    public final Instant createdAt;
    public final Instant dueAt;
    public Instant updatedAt;
    public Instant startedAt;
    public Instant completedAt;
    public String state = "queued";
    public String errorMessage;

    public Session(String id, String prompt, Instant createdAt, Instant dueAt) {
      this.id = id;
      this.prompt = prompt;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
      this.dueAt = dueAt;
    }
  }
}
