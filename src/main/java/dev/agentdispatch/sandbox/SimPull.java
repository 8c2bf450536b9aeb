package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pull request data beside its {@link SimIssue} (title, body, labels and state live on the issue). */
public final class SimPull {
  public final long id;
  public final SimIssue issue;
  public final String headRef;
  public String headSha;
  public String baseRef;
  public boolean draft;
  public boolean merged;
  public Instant mergedAt;
  public SimUser mergedBy;
  public String mergeCommitSha;
  public Boolean mergeable = true;
  public String mergeableState = "clean";
  public final Set<String> requestedReviewers = new LinkedHashSet<>();
  public final Set<String> requestedTeams = new LinkedHashSet<>();
  public final List<SimReview> reviews = new ArrayList<>();

  public SimPull(long id, SimIssue issue, String headRef, String headSha, String baseRef, boolean draft) {
    this.id = id;
    this.issue = issue;
    this.headRef = headRef;
    this.headSha = headSha;
    this.baseRef = baseRef;
    this.draft = draft;
  }

  public int number() { return issue.number; }
}
