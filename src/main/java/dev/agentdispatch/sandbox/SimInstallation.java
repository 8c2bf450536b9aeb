package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** An installation of the app on an account, reaching either all of its repositories or a selection. */
public final class SimInstallation {
  public final long id;
  public final SimUser account;
  public final boolean allRepositories;
  public final Set<String> repositories = new LinkedHashSet<>();
  public final Instant createdAt;

  public SimInstallation(long id, SimUser account, boolean allRepositories, Instant createdAt) {
    this.id = id;
    this.account = account;
    this.allRepositories = allRepositories;
    this.createdAt = createdAt;
  }
}
