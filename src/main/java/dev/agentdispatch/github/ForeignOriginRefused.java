package dev.agentdispatch.github;

/** A URL (redirect Location, pagination Link) pointing away from the configured API base; never followed. */
public final class ForeignOriginRefused extends GitHubCallFailed {
  ForeignOriginRefused(String url, String base) {
    super("following " + url, 0, "it is not under the API base " + base + "; refused");
  }
}
