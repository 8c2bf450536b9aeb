package dev.agentdispatch.config;

/** One problem in a configuration file: where it is and what is wrong, for a comment or check run. */
public record ConfigProblem(String file, int line, String message) {
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
