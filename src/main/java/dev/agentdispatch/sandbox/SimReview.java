package dev.agentdispatch.sandbox;

import java.time.Instant;

/** A pull request review (state APPROVED, CHANGES_REQUESTED, COMMENTED or PENDING). */
public record SimReview(long id, SimUser user, String body, String state, String commitId, Instant submittedAt) {}
