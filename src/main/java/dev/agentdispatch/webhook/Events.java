package dev.agentdispatch.webhook;

/** Event and event.action names the app listens to, in one place. */
public final class Events {
  public static final String PING = "ping";
  public static final String ISSUES_LABELED = "issues.labeled";
  public static final String ISSUES_UNLABELED = "issues.unlabeled";
  public static final String ISSUES_EDITED = "issues.edited";
  public static final String ISSUE_COMMENT_CREATED = "issue_comment.created";
  public static final String PULL_REQUEST_OPENED = "pull_request.opened";
  public static final String PULL_REQUEST_SYNCHRONIZE = "pull_request.synchronize";
  public static final String PULL_REQUEST_READY_FOR_REVIEW = "pull_request.ready_for_review";
  public static final String PULL_REQUEST_CLOSED = "pull_request.closed";
  public static final String PULL_REQUEST_REVIEW_SUBMITTED = "pull_request_review.submitted";
  public static final String CHECK_SUITE_COMPLETED = "check_suite.completed";
  public static final String CHECK_RUN_COMPLETED = "check_run.completed";
  public static final String INSTALLATION = "installation";
  public static final String GITHUB_APP_AUTHORIZATION_REVOKED = "github_app_authorization.revoked";

  private Events() {}
}
