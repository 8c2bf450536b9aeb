package dev.agentdispatch.github;

/**
 * Who a request is sent as. {@code label} names it in counts and logs ("app", "installation:12/repo:34",
 * "user"); the secret itself never leaves {@link #authorization()} and is not in {@link #toString()}.
 */
record Credential(String label, String paceKey, String scheme, String secret) {
  static Credential jwt(String jwt) {
    return new Credential("app", "app", "Bearer", jwt);
  }

  static Credential installation(long installationId, long repositoryId, String token) {
    return new Credential("installation:" + installationId + "/repo:" + repositoryId, "installation:" + installationId,
        "token", token);
  }

  /** A user access token or PAT, handed in by the caller (agent tasks API). */
  static Credential user(String token) {
    return new Credential("user", "user:" + Integer.toHexString(token.hashCode()), "token", token);
  }

  String authorization() {
    return scheme + " " + secret;
  }

  @Override
  public String toString() {
    return "Credential[" + label + "]";
  }
}
