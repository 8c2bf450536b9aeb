package dev.agentdispatch.task;

/**
 * Where a task stands. For a queued task: its 1-based position among its repository's queued tasks and overall
 * (estimated: the claim rotates across repositories, so the n-th task of every repository comes before any
 * (n+1)-th), and {@code heldBy}, the limit that keeps its repository from starting a task now (allowed when
 * none does). For other states the positions are 0 and {@code heldBy} is allowed.
 */
public record TaskStatus(Task task, long positionInRepository, long positionOverall, Decision heldBy,
    String explanation) {}
