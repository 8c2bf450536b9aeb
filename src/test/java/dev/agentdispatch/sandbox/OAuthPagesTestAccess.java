package dev.agentdispatch.sandbox;

import java.util.Map;

/** Lets tests in other packages read a redirect's query the way {@link OAuthPagesTest} does. */
public final class OAuthPagesTestAccess {
  private OAuthPagesTestAccess() {}

  public static Map<String, String> query(String url) {
    return OAuthPagesTest.query(url);
  }
}
