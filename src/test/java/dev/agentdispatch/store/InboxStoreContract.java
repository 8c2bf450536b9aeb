package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import dev.agentdispatch.store.InboxStore.State;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox store's behaviour, the same on every database; one subclass per database. */
abstract class InboxStoreContract {
  static final long LEASE = 60_000;

  Database db;
  InboxStore store;

  /** A JDBC URL of an empty database for one test. */
  abstract String freshJdbcUrl();

  @BeforeEach
  void open() {
    db = Database.open(freshJdbcUrl());
    store = new InboxStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static NewDelivery delivery(String id, long receivedAt) {
    return delivery(id, receivedAt, ("{\"delivery\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  static NewDelivery delivery(String id, long receivedAt, byte[] payload) {
    return NewDelivery.of(id, "issues", "labeled", 77L, "octo/repo", "alice", receivedAt, payload);
  }

  Row row(String deliveryId) {
    return store.find(deliveryId).orElseThrow(() -> new AssertionError("no row for " + deliveryId));
  }

  static Set<String> ids(List<Row> rows) {
    return rows.stream().map(Row::deliveryId).collect(Collectors.toSet());
  }

  @Test
  void insert_reports_new_and_duplicate_within_one_batch() {
    boolean[] isNew = store.insert(List.of(delivery("a", 1), delivery("b", 2), delivery("a", 3)));
    assertArrayEquals(new boolean[] {true, true, false}, isNew);
    assertEquals(2L, store.countByState().get(State.PENDING));
    assertEquals(1, row("a").receivedAt(), "the first copy wins");
  }

  @Test
  void insert_reports_duplicates_across_batches() {
    assertArrayEquals(new boolean[] {true}, store.insert(List.of(delivery("a", 1))));
    assertArrayEquals(new boolean[] {false, true}, store.insert(List.of(delivery("a", 5), delivery("c", 6))));
    assertArrayEquals(new boolean[] {false, false}, store.insert(List.of(delivery("c", 7), delivery("a", 8))));
    assertEquals(2L, store.depth());
    assertArrayEquals(new boolean[0], store.insert(List.of()));
  }

  @Test
  void a_write_leases_up_to_max_new_deliveries_to_the_receiver_and_stores_the_rest_pending() {
    store.insert(List.of(delivery("old", 1)));
    InboxStore.Stored s = store.write(List.of(delivery("a", 2), delivery("old", 3), delivery("b", 4),
        delivery("c", 5)), new InboxStore.Lease("me-h", 10_000, 2), Map.of(), 6);
    assertArrayEquals(new boolean[] {true, false, true, true}, s.isNew());
    assertEquals(List.of("a", "b"), s.leased().stream().map(Row::deliveryId).toList(), "first two new, in id order");
    assertEquals(State.PROCESSING, row("a").state());
    assertEquals(1, row("a").attempts());
    assertEquals(State.PENDING, row("c").state());
    assertEquals(Set.of("old", "c"), ids(store.claim("w", 10, 100, 100 + LEASE)), "leased ones are not claimable");
    // the receiver's lease runs out like any other: a crashed receiver's deliveries go back to the queue
    assertEquals(2, store.rescueExpired(10_001));
    assertEquals(Set.of("a", "b"), ids(store.claim("w2", 10, 10_001, 10_001 + LEASE)));
  }

  @Test
  void an_unwanted_delivery_is_stored_done_with_no_attempt_never_leased_nor_claimed_and_pruned_like_any_other() {
    InboxStore.Stored s = store.write(List.of(delivery("skip", 2).asUnwanted(), delivery("want", 3),
        delivery("skip", 4)), new InboxStore.Lease("me-h", 10_000, 10), Map.of(), 5);
    assertArrayEquals(new boolean[] {true, true, false}, s.isNew(), "an unwanted delivery still counts duplicates");
    assertEquals(List.of("want"), s.leased().stream().map(Row::deliveryId).toList());
    Row skipped = row("skip");
    assertEquals(State.DONE, skipped.state());
    assertEquals(0, skipped.attempts(), "no handler ran");
    assertEquals(2, skipped.receivedAt());
    assertEquals("{\"delivery\":\"skip\"}", new String(store.payload(skipped.id()), StandardCharsets.UTF_8),
        "kept for the record");
    assertEquals(1L, store.depth(), "only the wanted one is left to handle");
    assertTrue(store.claim("w", 10, 20_000, 20_000 + LEASE).isEmpty(), "the wanted one is leased, the other done");
    assertEquals(0, store.rescueExpired(5_000));
    assertEquals(1, store.prune(3, 100), "finished when it arrived");
    assertTrue(store.find("skip").isEmpty());
    assertEquals(State.PROCESSING, row("want").state());
  }

  @Test
  void a_write_completes_handed_over_deliveries_in_the_same_transaction() {
    InboxStore.Stored first = store.write(List.of(delivery("a", 1), delivery("b", 2)),
        new InboxStore.Lease("me-h", 10_000, 10), Map.of(), 3);
    List<Long> ids = first.leased().stream().map(Row::id).toList();
    InboxStore.Stored next = store.write(List.of(delivery("c", 4)), InboxStore.Lease.NONE,
        Map.of("me-h", ids, "someone-else", List.of(ids.get(0))), 5);
    assertEquals(2, next.completed(), "only the lease holder's completions count");
    assertEquals(State.DONE, row("a").state());
    assertEquals(State.DONE, row("b").state());
    assertEquals(State.PENDING, row("c").state());
    assertTrue(next.leased().isEmpty());
  }

  @Test
  void stored_row_keeps_the_delivery_fields() {
    store.insert(List.of(NewDelivery.of("d-1", "issues", "labeled", 9_000_000_000L, "octo/repo", "alice", 1234,
        "{}".getBytes(StandardCharsets.UTF_8))));
    Row r = row("d-1");
    assertEquals("issues", r.event());
    assertEquals("labeled", r.action());
    assertEquals(9_000_000_000L, r.installationId());
    assertEquals("octo/repo", r.repository());
    assertEquals("alice", r.sender());
    assertEquals(1234, r.receivedAt());
    assertEquals(State.PENDING, r.state());
    assertEquals(0, r.attempts());
    assertNull(r.lastError());
  }

  @Test
  void absent_optional_fields_stay_null() {
    store.insert(List.of(NewDelivery.of("d-1", "push", null, null, null, null, 1, "{}".getBytes())));
    Row r = row("d-1");
    assertNull(r.action());
    assertNull(r.installationId());
    assertNull(r.repository());
    assertNull(r.sender());
  }

  @Test
  void payload_round_trips_byte_exactly() {
    byte[] ascii = "{\"action\":\"labeled\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] emoji = "{\"title\":\"Grüße 😀 ジョン \\u0000\",\"x\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    byte[] compressible = ("{\"big\":\"" + "abcdefgh".repeat(131_072) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[1024 * 1024];
    new Random(7).nextBytes(random);
    byte[] empty = new byte[0];
    Map<String, byte[]> payloads = Map.of("ascii", ascii, "emoji", emoji, "compressible-1MB", compressible,
        "random-1MB", random, "empty", empty);
    payloads.forEach((id, bytes) -> store.insert(List.of(delivery(id, 1, bytes))));
    payloads.forEach((id, bytes) -> assertArrayEquals(bytes, store.payload(row(id).id()), id));
  }

  @Test
  void payload_of_an_unknown_row_is_null() {
    assertNull(store.payload(424242));
    assertTrue(store.find("nope").isEmpty());
  }

  @Test
  void claim_leases_the_oldest_due_deliveries_first_and_counts_the_attempt() {
    store.insert(List.of(delivery("late", 300), delivery("early", 100), delivery("middle", 200),
        delivery("future", 5_000)));
    List<Row> first = store.claim("A", 2, 1_000, 1_000 + LEASE);
    assertEquals(Set.of("early", "middle"), ids(first));
    for (Row r : first) {
      assertEquals(State.PROCESSING, r.state());
      assertEquals(1, r.attempts());
    }
    assertEquals(Set.of("late"), ids(store.claim("A", 10, 1_000, 1_000 + LEASE)));
    assertEquals(List.of(), store.claim("A", 10, 1_000, 1_000 + LEASE), "future is not due yet");
    assertEquals(Set.of("future"), ids(store.claim("A", 10, 5_000, 5_000 + LEASE)));
    assertEquals(State.PROCESSING, row("early").state());
    assertEquals(1, row("early").attempts());
  }

  @Test
  void claim_returns_rows_sorted_by_id() {
    store.insert(List.of(delivery("a", 3), delivery("b", 2), delivery("c", 1)));
    List<Row> rows = store.claim("A", 10, 10, 10 + LEASE);
    assertEquals(3, rows.size());
    assertTrue(rows.get(0).id() < rows.get(1).id() && rows.get(1).id() < rows.get(2).id(), rows.toString());
  }

  @Test
  void a_claimed_delivery_is_not_claimed_again_by_another_owner_while_the_lease_holds() {
    store.insert(List.of(delivery("a", 1)));
    assertEquals(1, store.claim("A", 10, 10, 10 + LEASE).size());
    assertEquals(List.of(), store.claim("B", 10, 20, 20 + LEASE));
    assertEquals(0, store.rescueExpired(10 + LEASE - 1), "lease still holds");
    assertEquals(List.of(), store.claim("B", 10, 10 + LEASE - 1, 10 + 2 * LEASE));
  }

  @Test
  void rescue_expired_returns_a_lapsed_lease_to_pending_and_another_owner_can_claim_it() {
    store.insert(List.of(delivery("a", 1), delivery("b", 2)));
    store.claim("A", 1, 10, 10 + LEASE);
    store.claim("A", 1, 10, 10 + 2 * LEASE);
    assertEquals(1, store.rescueExpired(10 + LEASE + 1));
    Row rescued = row("a");
    assertEquals(State.PENDING, rescued.state());
    assertEquals(State.PROCESSING, row("b").state());
    List<Row> taken = store.claim("B", 10, 10 + LEASE + 1, 10 + 2 * LEASE);
    assertEquals(Set.of("a"), ids(taken));
    assertEquals(2, taken.get(0).attempts());
    assertEquals(0, store.complete(List.of(taken.get(0).id()), "A", 10 + LEASE + 2), "A lost the lease");
    assertEquals(1, store.complete(List.of(taken.get(0).id()), "B", 10 + LEASE + 2));
    assertEquals(State.DONE, row("a").state());
  }

  @Test
  void complete_with_the_wrong_owner_changes_nothing() {
    store.insert(List.of(delivery("a", 1)));
    long id = store.claim("A", 10, 10, 10 + LEASE).get(0).id();
    assertEquals(0, store.complete(List.of(id), "B", 20));
    assertEquals(State.PROCESSING, row("a").state());
    assertEquals(1, store.complete(List.of(id), "A", 20));
    assertEquals(State.DONE, row("a").state());
    assertEquals(0, store.complete(List.of(id), "A", 30), "already done");
    assertEquals(0, store.complete(List.of(), "A", 30));
  }

  @Test
  void completing_a_run_of_consecutive_ids_touches_only_the_owners_leased_rows() {
    store.insert(List.of(delivery("a", 1), delivery("b", 2), delivery("c", 3), delivery("d", 4), delivery("e", 5),
        delivery("f", 6)));
    List<Row> mine = store.claim("A", 3, 10, 10 + LEASE); // a, b, c
    long d = store.claim("B", 1, 10, 10 + LEASE).get(0).id();
    long e = row("e").id(); // still pending
    List<Long> ids = new java.util.ArrayList<>(mine.stream().map(Row::id).toList());
    ids.add(d);
    ids.add(e);
    ids.add(row("f").id());
    java.util.Collections.reverse(ids);
    assertEquals(3, store.complete(ids, "A", 20), "one run a..f, of which A holds a, b and c");
    assertEquals(List.of(State.DONE, State.DONE, State.DONE, State.PROCESSING, State.PENDING, State.PENDING),
        List.of("a", "b", "c", "d", "e", "f").stream().map(x -> row(x).state()).toList());
    long b = row("b").id();
    assertEquals(1, store.complete(List.of(d, d, b), "B", 20), "repeats and single ids");
    assertEquals(State.DONE, row("d").state());
  }

  @Test
  void complete_and_claim_marks_done_and_leases_the_next_in_one_step() {
    store.insert(List.of(delivery("a", 1), delivery("b", 2)));
    long a = store.claim("A", 1, 10, 10 + LEASE).get(0).id();
    InboxStore.Claim claim = store.completeAndClaim(List.of(a), "A", 10, 20, 20 + LEASE);
    assertEquals(1, claim.completed());
    assertEquals(Set.of("b"), ids(claim.rows()));
    assertEquals(State.DONE, row("a").state());
  }

  @Test
  void retry_later_respects_next_attempt_at() {
    store.insert(List.of(delivery("a", 1)));
    long id = store.claim("A", 10, 10, 10 + LEASE).get(0).id();
    assertFalse(store.retryLater(id, "B", "not mine", 5_000));
    assertTrue(store.retryLater(id, "A", "handler x: boom", 5_000));
    Row r = row("a");
    assertEquals(State.PENDING, r.state());
    assertEquals("handler x: boom", r.lastError());
    assertEquals(List.of(), store.claim("A", 10, 4_999, 4_999 + LEASE));
    List<Row> again = store.claim("B", 10, 5_000, 5_000 + LEASE);
    assertEquals(1, again.size());
    assertEquals(2, again.get(0).attempts());
    assertFalse(store.retryLater(id, "A", "lease lost", 9_000));
  }

  @Test
  void bury_makes_a_delivery_dead_and_it_is_never_claimed_again() {
    store.insert(List.of(delivery("a", 1)));
    long id = store.claim("A", 10, 10, 10 + LEASE).get(0).id();
    assertFalse(store.bury(id, "B", "not mine", 20));
    assertTrue(store.bury(id, "A", "handler x: gave up", 20));
    Row r = row("a");
    assertEquals(State.DEAD, r.state());
    assertEquals("handler x: gave up", r.lastError());
    assertEquals(List.of(), store.claim("A", 10, 10 + 10 * LEASE, 10 + 11 * LEASE));
    assertEquals(0, store.rescueExpired(10 + 10 * LEASE));
    assertFalse(store.bury(id, "A", "again", 30));
  }

  @Test
  void depth_and_count_by_state_follow_the_lifecycle() {
    assertEquals(0, store.depth());
    assertEquals(Map.of(State.PENDING, 0L, State.PROCESSING, 0L, State.DONE, 0L, State.DEAD, 0L),
        store.countByState());
    store.insert(List.of(delivery("a", 1), delivery("b", 2), delivery("c", 3), delivery("d", 4)));
    List<Row> rows = store.claim("A", 3, 10, 10 + LEASE);
    store.complete(List.of(rows.get(0).id()), "A", 20);
    store.bury(rows.get(1).id(), "A", "dead", 20);
    assertEquals(2, store.depth(), "one pending, one processing");
    assertEquals(Map.of(State.PENDING, 1L, State.PROCESSING, 1L, State.DONE, 1L, State.DEAD, 1L),
        store.countByState());
  }

  @Test
  void check_constraints_reject_impossible_states() {
    store.insert(List.of(delivery("a", 1)));
    long id = row("a").id();
    for (String sql : List.of(
        "UPDATE inbox SET state = 'processing' WHERE id = ?",
        "UPDATE inbox SET state = 'bogus' WHERE id = ?",
        "UPDATE inbox SET state = 'done' WHERE id = ?",
        "UPDATE inbox SET lease_owner = 'A', lease_until = 5 WHERE id = ?",
        "UPDATE inbox SET finished_at = 5 WHERE id = ?")) {
      assertThrows(StoreException.class, () -> db.write(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, id);
          return ps.executeUpdate();
        }
      }), sql);
      assertEquals(State.PENDING, row("a").state(), sql);
    }
  }

  @Test
  void a_failed_write_rolls_back_and_the_store_keeps_working() {
    assertThrows(StoreException.class, () -> db.write(c -> {
      try (PreparedStatement ok = c.prepareStatement(
          "INSERT INTO inbox (delivery_id, event, received_at, next_attempt_at) VALUES ('x', 'e', 1, 1)")) {
        ok.executeUpdate();
      }
      try (PreparedStatement bad = c.prepareStatement("UPDATE inbox SET state = 'bogus'")) {
        return bad.executeUpdate();
      }
    }));
    assertTrue(store.find("x").isEmpty(), "the whole transaction rolled back");
    assertArrayEquals(new boolean[] {true}, store.insert(List.of(delivery("x", 1))));
  }

  @Test
  void prune_deletes_only_deliveries_done_before_the_cutoff_with_their_payloads() {
    store.insert(List.of(delivery("done-early", 1), delivery("dead-early", 2), delivery("done-late", 3),
        delivery("leased", 4), delivery("pending", 5)));
    List<Row> claimed = store.claim("w", 4, 10, 10 + LEASE);
    assertEquals(Set.of("done-early", "dead-early", "done-late", "leased"), ids(claimed));
    long earlyId = row("done-early").id();
    assertEquals(1, store.complete(List.of(earlyId), "w", 100));
    assertTrue(store.bury(row("dead-early").id(), "w", "boom", 100));
    assertEquals(1, store.complete(List.of(row("done-late").id()), "w", 500));

    assertEquals(1, store.prune(200, 10));
    assertTrue(store.find("done-early").isEmpty());
    assertNull(store.payload(earlyId), "its payload went with it");
    assertEquals(Map.of(State.PENDING, 1L, State.PROCESSING, 1L, State.DONE, 1L, State.DEAD, 1L),
        store.countByState(), "dead, leased, pending and later ones stay");
    assertEquals(0, store.prune(200, 10), "nothing else is old enough");

    assertEquals(1, store.prune(501, 10));
    assertTrue(store.find("done-late").isEmpty());
    assertEquals(State.DEAD, row("dead-early").state(), "a dead letter waits for a person, whatever its age");
    // the id is forgotten: a delivery with it is new again, which is why INBOX_RETENTION outlasts redelivery
    assertArrayEquals(new boolean[] {true}, store.insert(List.of(delivery("done-early", 600))));
  }

  @Test
  void prune_reads_up_to_the_deliveries_received_since_the_cutoff_and_a_later_cutoff_takes_those() {
    store.insert(List.of(delivery("old", 1), delivery("old-dead", 2)));
    store.insert(List.of(delivery("new", 300)));
    assertEquals(3, store.claim("w", 3, 300, 300 + LEASE).size());
    assertEquals(1, store.complete(List.of(row("old").id()), "w", 100));
    assertTrue(store.bury(row("old-dead").id(), "w", "boom", 100));
    assertEquals(1, store.complete(List.of(row("new").id()), "w", 400));

    assertEquals(1, store.prune(200, 10));
    assertTrue(store.find("old").isEmpty());
    assertTrue(store.find("new").isPresent(), "received after the cutoff");
    assertEquals(1, store.prune(501, 10));
    assertTrue(store.find("new").isEmpty());
    assertEquals(State.DEAD, row("old-dead").state());
  }

  @Test
  void prune_takes_at_most_the_limit_oldest_first() {
    for (int i = 0; i < 5; i++) {
      store.insert(List.of(delivery("d" + i, i)));
    }
    List<Long> ids = store.claim("w", 5, 10, 10 + LEASE).stream().map(Row::id).toList();
    assertEquals(5, store.complete(ids, "w", 100));
    assertEquals(2, store.prune(200, 2));
    assertTrue(store.find("d0").isEmpty() && store.find("d1").isEmpty());
    assertTrue(store.find("d2").isPresent(), "the lowest ids go first");
    assertEquals(2, store.prune(200, 2));
    assertEquals(1, store.prune(200, 2));
    assertEquals(0L, store.countByState().get(State.DONE));
    for (long id : ids) {
      assertNull(store.payload(id));
    }
  }
}
