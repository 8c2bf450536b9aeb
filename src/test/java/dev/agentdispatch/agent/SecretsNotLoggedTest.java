package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.StderrCapture;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User-token mode end to end (sign-in, refresh, a task started as the person, revocation) with the app's log
 * captured: no access token, refresh token, client secret or encryption key appears in the log or the audit.
 */
class SecretsNotLoggedTest {
  @TempDir
  Path dir;
  UserModeWorld w;
  private StderrCapture log;

  @BeforeEach
  void start() {
    log = StderrCapture.start();
    w = new UserModeWorld(dir);
  }

  @AfterEach
  void stop() {
    w.close();
    log.close();
  }

  @Test
  void no_token_secret_or_key_reaches_the_log_or_the_audit() {
    List<String> secrets = new ArrayList<>(List.of(w.sim.clientSecret(),
        Base64.getEncoder().encodeToString(w.key)));
    assertEquals(200, w.signIn("bob").statusCode());
    UserTokenStore.Tokens first = w.tokens().find("bob").orElseThrow();
    w.clock.advance(Duration.ofHours(8).minus(UserTokens.MARGIN).plusSeconds(1)); // the start refreshes
    w.label("bob");
    w.settle();
    long id = w.activeTask().id();
    w.app.agentWorker().runDueWork();
    assertEquals(TaskState.RUNNING, w.task(id).state());
    UserTokenStore.Tokens second = w.tokens().find("bob").orElseThrow();
    secrets.addAll(List.of(first.accessToken(), first.refreshToken(), second.accessToken(), second.refreshToken()));
    w.sim.world().revokeAuthorization("bob");
    w.settle();
    w.clock.advance(Duration.ofMinutes(1));
    w.app.agentWorker().runDueWork(); // fails the task: the token is gone
    assertEquals(TaskState.FAILED, w.task(id).state());

    String log = this.log.text();
    assertTrue(log.contains("AgentWorker"), "the log was captured: " + log.length() + " chars");
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "a secret in the log (" + secret.substring(0, 4) + "…)");
      for (AuditStore.Row r : w.audit()) {
        assertFalse((r.input() + " " + r.output() + " " + r.actor()).contains(secret),
            "a secret in audit row " + r.action());
      }
    }
    assertFalse(log.contains("ghu_") || log.contains("ghr_"), "no user token prefix in the log");
  }
}
