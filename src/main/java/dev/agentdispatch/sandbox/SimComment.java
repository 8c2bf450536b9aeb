package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An issue or pull request conversation comment with its reactions. */
public final class SimComment {
  public final long id;
  public final String repo;
  public final int issueNumber;
  public final SimUser user;
  public String body;
  public final Instant createdAt;
  public Instant updatedAt;
  public final List<SimReaction> reactions = new ArrayList<>();

  public SimComment(long id, String repo, int issueNumber, SimUser user, String body, Instant createdAt) {
    this.id = id;
    this.repo = repo;
    this.issueNumber = issueNumber;
    this.user = user;
    this.body = body;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  /** One reaction: who reacted with what. */
  public record SimReaction(long id, SimUser user, String content, Instant createdAt) {}
}
