package dev.agentdispatch.sandbox;

import java.util.ArrayList;
import java.util.List;

/** An organization team with its members (logins). */
public final class SimTeam {
  public final long id;
  public final String org;
  public final String slug;
  public final String name;
  public final List<String> members = new ArrayList<>();

  public SimTeam(long id, String org, String slug, String name) {
    this.id = id;
    this.org = org;
    this.slug = slug;
    this.name = name;
  }
}
