package dev.agentdispatch.agent;

import dev.agentdispatch.task.TaskState;

/**
 * What the agent backend says about one agent task, in our terms.
 *
 * @param state our state for the backend's: RUNNING, WAITING_FOR_USER, PR_OPEN, DONE, FAILED, TIMED_OUT or CANCELLED
 * @param backendState the backend's own word ("in_progress", "waiting_for_user", ...)
 * @param headRef the agent's branch, once it has one
 * @param pullNumber the agent's pull request, once opened and resolved
 * @param mergeable false when the pull request conflicts with its base; null when unknown
 * @param error the backend's reason, for FAILED
 * @param htmlUrl where a person can watch the agent session
 */
public record AgentStatus(TaskState state, String backendState, String headRef, Integer pullNumber,
    Boolean mergeable, String error, String htmlUrl) {}
