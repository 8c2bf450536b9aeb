package dev.agentdispatch.sandbox;

/** A repository label. */
public final class SimLabel {
  public final long id;
  public final String name;
  public String color;
  public String description;

  public SimLabel(long id, String name, String color, String description) {
    this.id = id;
    this.name = name;
    this.color = color;
    this.description = description;
  }
}
