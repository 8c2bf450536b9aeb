package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answered request as the simulator recorded it: the OpenAPI operation ("GET /repos/{owner}/{repo}", or
 * null when no route matched), the raw path, the status and the JSON body sent back.
 */
public record Exchange(String operation, String path, int status, JsonNode body) {}
