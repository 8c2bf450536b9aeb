package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An issue; a pull request is an issue too (same number space) with a {@link SimPull} beside it. */
public final class SimIssue {
  public final long id;
  public final int number;
  public final SimUser user;
  public final boolean isPull;
  public String title;
  public String body;
  public String state = "open";
  public String stateReason;
  public final List<String> labels = new ArrayList<>();
  public final List<String> assignees = new ArrayList<>();
  public final Instant createdAt;
  public Instant updatedAt;
  public Instant closedAt;
  public SimUser closedBy;

  public SimIssue(long id, int number, SimUser user, boolean isPull, String title, String body, Instant createdAt) {
    this.id = id;
    this.number = number;
    this.user = user;
    this.isPull = isPull;
    this.title = title;
    this.body = body;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }
}
