package dev.agentdispatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state table on its own (the contract test runs every move against the databases). */
final class TaskStateTest {
  @Test
  void final_states_have_no_way_out_and_every_other_state_can_be_cancelled() {
    Set<TaskState> finals = EnumSet.of(TaskState.DONE, TaskState.FAILED, TaskState.TIMED_OUT, TaskState.CANCELLED,
        TaskState.REJECTED);
    for (TaskState s : TaskState.values()) {
      assertEquals(finals.contains(s), s.isFinal(), s.name());
      assertEquals(!s.isFinal(), s.canMoveTo(TaskState.CANCELLED), s.name());
      assertEquals(!s.isFinal(), TaskState.ACTIVE.contains(s), s.name());
      assertFalse(s.canMoveTo(s), s + " does not move to itself");
    }
  }

  @Test
  void every_state_is_reachable_from_queued() {
    Set<TaskState> seen = EnumSet.of(TaskState.QUEUED);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (TaskState s : EnumSet.copyOf(seen)) {
        grew |= seen.addAll(s.next());
      }
    }
    assertEquals(EnumSet.allOf(TaskState.class), seen);
  }

  @Test
  void only_starting_and_running_hold_a_lease_and_a_retry_goes_back_to_the_queue() {
    assertTrue(TaskState.STARTING.isLeased());
    assertTrue(TaskState.RUNNING.isLeased());
    assertEquals(2, EnumSet.allOf(TaskState.class).stream().filter(TaskState::isLeased).count());
    assertTrue(TaskState.STARTING.canMoveTo(TaskState.QUEUED));
    assertFalse(TaskState.RUNNING.canMoveTo(TaskState.QUEUED));
    assertEquals("waiting_for_user", TaskState.WAITING_FOR_USER.column());
    assertEquals(TaskState.PR_OPEN, TaskState.fromColumn("pr_open"));
  }
}
