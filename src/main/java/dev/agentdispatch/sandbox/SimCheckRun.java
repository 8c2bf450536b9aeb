package dev.agentdispatch.sandbox;

import java.time.Instant;

/** A check run created by the app on a commit. */
public final class SimCheckRun {
  public final long id;
  public final String repo;
  public final String headSha;
  public final long suiteId;
  public String name;
  public String status = "queued";
  public String conclusion;
  public String externalId;
  public String detailsUrl;
  public Instant startedAt;
  public Instant completedAt;
  public String outputTitle;
  public String outputSummary;
  public String outputText;

  public SimCheckRun(long id, String repo, String headSha, long suiteId, String name) {
    this.id = id;
    this.repo = repo;
    this.headSha = headSha;
    this.suiteId = suiteId;
    this.name = name;
  }
}
