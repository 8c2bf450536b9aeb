package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TwoInstancesSameDeliveryTest extends TwoInstancesPostgresTest {
  @Test
  void the_same_delivery_sent_to_both_instances_at_once_is_stored_once_and_answered_202_then_200()
      throws Exception {
    int ids = 200;
    List<HttpResponse<String>[]> answers = sendEachToBoth(ids);
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (int k = 0; k < ids; k++) {
      HttpResponse<String> ra = answers.get(k)[0];
      HttpResponse<String> rb = answers.get(k)[1];
      String pair = Math.min(ra.statusCode(), rb.statusCode()) + "+" + Math.max(ra.statusCode(), rb.statusCode());
      outcomes.merge(pair, 1, Integer::sum);
      if (!pair.equals("200+202")) {
        wrong.add("same-" + k + ": A " + ra.statusCode() + " " + ra.body() + ", B " + rb.statusCode() + " " + rb.body());
      } else {
        String duplicate = ra.statusCode() == 200 ? ra.body() : rb.body();
        assertTrue(duplicate.contains("duplicate"), duplicate);
      }
    }
    assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), "outcomes " + outcomes);
    assertEquals(ids, rows("SELECT count(*) FROM inbox"));
    assertEquals(ids, rows("SELECT count(DISTINCT delivery_id) FROM inbox"));
    assertEquals(ids, rows("SELECT count(*) FROM inbox_payload"));
  }
}
