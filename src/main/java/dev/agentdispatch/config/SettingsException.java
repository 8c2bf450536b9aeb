package dev.agentdispatch.config;

import java.util.List;

/** One or more settings are missing or malformed; each problem is one line naming the setting. */
public final class SettingsException extends RuntimeException {
  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
