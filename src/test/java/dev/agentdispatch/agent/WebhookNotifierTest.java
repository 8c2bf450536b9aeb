package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.Await;
import dev.agentdispatch.StderrCapture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outgoing notification webhook against a local HTTP receiver. */
class WebhookNotifierTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Notifier.Notice NOTICE = new Notifier.Notice("task.finished", "octo/app", 12, 7L, "pr_open",
      "Copilot agent task 7 by @bob: pull request #3 is open", "https://github.com/octo/app/pull/3");

  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private StderrCapture err;
  private NotifyReceiver receiver;
  private WebhookNotifier notifier;

  @BeforeEach
  void start() {
    err = StderrCapture.start();
    receiver = new NotifyReceiver();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    receiver.close();
    err.close();
  }

  private WebhookNotifier notifier(Duration timeout) {
    notifier = new WebhookNotifier(URI.create(receiver.url()), waits::add, timeout);
    return notifier;
  }

  @Test
  void a_notice_is_posted_as_slack_json_with_text_and_blocks() {
    notifier(Duration.ofSeconds(5)).send(NOTICE);
    Await.until("the notice", WAIT, () -> notifier.delivered() == 1);

    JsonNode body = receiver.received.get(0);
    assertEquals("[octo/app#12] Copilot agent task 7 by @bob: pull request #3 is open"
        + " <https://github.com/octo/app/pull/3>", body.get("text").asText());
    assertEquals("section", body.get("blocks").get(0).get("type").asText());
    assertEquals(body.get("text").asText(), body.get("blocks").get(0).get("text").get("text").asText());
    assertEquals("agent-dispatch · task.finished · task 7 · pr_open",
        body.get("blocks").get(1).get("elements").get(0).get("text").asText());
  }

  @Test
  void sending_returns_before_the_receiver_answers() {
    receiver.hold();
    notifier(Duration.ofSeconds(30)).send(NOTICE); // would block here if it sent on the caller's thread
    Await.until("the post to arrive", WAIT, () -> receiver.received.size() == 1);
    assertEquals(0, notifier.delivered());
    receiver.release();
    Await.until("the answer", WAIT, () -> notifier.delivered() == 1);
  }

  @Test
  void a_5xx_or_429_is_tried_again_with_growing_waits() {
    receiver.answer(503, 429);
    notifier(Duration.ofSeconds(5)).send(NOTICE);
    Await.until("the third try", WAIT, () -> notifier.delivered() == 1);
    assertEquals(3, receiver.received.size());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
  }

  @Test
  void after_every_try_fails_the_notice_is_dropped_and_logged_without_the_secret_path() {
    receiver.answer(500, 502, 503);
    notifier(Duration.ofSeconds(5)).send(NOTICE);
    Await.until("the drop", WAIT, () -> notifier.dropped() == 1);
    assertEquals(WebhookNotifier.TRIES, receiver.received.size());
    Await.until("the warning", WAIT, () -> logged().contains("notice dropped"));
    String log = logged();
    assertTrue(log.contains("HTTP 503"), log);
    assertTrue(log.contains("http://127.0.0.1:"), log);
    assertFalse(log.contains(NotifyReceiver.SECRET_PATH), log);
    assertFalse(log.contains("s3cr3t"), log);
  }

  @Test
  void a_4xx_refusal_is_not_tried_again() {
    receiver.answer(404);
    notifier(Duration.ofSeconds(5)).send(NOTICE);
    Await.until("the drop", WAIT, () -> notifier.dropped() == 1);
    assertEquals(1, receiver.received.size());
    assertTrue(waits.isEmpty(), waits.toString());
  }

  @Test
  void a_receiver_that_never_answers_times_out_on_each_try() {
    receiver.hold();
    notifier(Duration.ofMillis(300)).send(NOTICE);
    Await.until("every try to time out", WAIT, () -> notifier.dropped() == 1);
    assertEquals(WebhookNotifier.TRIES, receiver.received.size());
    Await.until("the warning", WAIT, () -> logged().contains("HttpTimeoutException"));
    assertFalse(logged().contains("s3cr3t"), logged());
  }

  @Test
  void tokens_in_the_text_are_masked_and_slack_control_characters_escaped() {
    String token = "ghp" + "_" + "y".repeat(36);
    String body = WebhookNotifier.body(new Notifier.Notice("trigger.refused", "o/r", 1, null, "refused",
        "leaked " + token + " <b>&", null));
    assertFalse(body.contains(token), body);
    assertTrue(body.contains("leaked [redacted] &lt;b&gt;&amp;"), body);
  }

  private String logged() {
    return err.text();
  }
}
