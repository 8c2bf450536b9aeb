package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** An installation access token: the repositories and permissions it reaches and when it expires. */
public record SimToken(String token, long installationId, Set<String> repositories, Map<String, String> permissions,
    boolean allRepositories, Instant expiresAt) {}
