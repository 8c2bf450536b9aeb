package dev.agentdispatch.sandbox;

/** A user, bot or organization account. {@code pat} is the simulator's personal access token for a user. */
public final class SimUser {
  public final String login;
  public final long id;
  public final String type;
  public String pat;
  public boolean copilotLicensed = true;

  public SimUser(String login, long id, String type) {
    this.login = login;
    this.id = id;
    this.type = type;
  }

  public boolean isBot() { return "Bot".equals(type); }
}
