package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentdispatch.github.GitHubCallFailed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailuresTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no answer                     | 0   | connection reset                              | true",
      "bad gateway                   | 502 | Bad Gateway                                   | true",
      "unavailable                   | 503 | Service Unavailable                           | true",
      "too many requests, exhausted  | 429 | Too Many Requests                             | true",
      "secondary limit, exhausted    | 403 | You have exceeded a secondary rate limit      | true",
      "no push access                | 403 | Must have push access to repository           | false",
      "no Copilot seat               | 403 | Copilot cloud agent is not enabled for this user | false",
      "revoked token                 | 401 | Bad credentials                               | false",
      "not found                     | 404 | Not Found                                     | false",
      "validation                    | 422 | Validation Failed                             | false"})
  void sorts_transient_from_permanent(String name, int status, String message, boolean transientFailure) {
    assertEquals(transientFailure, Failures.isTransient(new GitHubCallFailed("start an agent task", status, message)));
  }

  @org.junit.jupiter.api.Test
  void anything_not_from_github_is_permanent() {
    assertEquals(false, Failures.isTransient(new IllegalStateException("bug")));
  }
}
