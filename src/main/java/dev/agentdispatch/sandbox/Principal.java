package dev.agentdispatch.sandbox;

/** Who is calling: the app (JWT), an installation token, a user (PAT) or nobody. */
record Principal(Kind kind, SimUser user, SimToken token) {
  enum Kind { APP, INSTALLATION, USER, ANONYMOUS }

  static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, null, null);

  /** The key of this caller's rate-limit bucket. */
  String bucket() {
    return switch (kind) {
      case APP -> "app";
      case INSTALLATION -> "installation:" + token.installationId();
      case USER -> "user:" + user.login;  // a user's PAT and user access tokens share one budget (FACTS §4)
      case ANONYMOUS -> "anonymous";
    };
  }
}
