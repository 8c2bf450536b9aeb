-- Task boundaries, judging and rollback (issue 6). Times are epoch milliseconds passed in by the app, except
-- decided_at, which is GitHub's own timestamp of the event that decided the outcome (rollback grace counts from it).

-- The parsed boundary of the task (scope, done-when conditions, timeout, failure mode) as JSON, written at enqueue;
-- null for tasks queued before V5 or without one. Read back as a TaskBoundary (trigger.BoundaryJson).
ALTER TABLE agent_task ADD COLUMN boundary TEXT;

-- One row per task whose pull request is judged against its boundary; SQL in dev.agentdispatch.store.JudgementStore.
CREATE TABLE task_judgement (
  task_id          BIGINT PRIMARY KEY,             -- agent_task.id
  since            BIGINT NOT NULL,                -- judging started (the task entered pr_open); the timeout counts from here
  -- null while pending; otherwise the latest verdict
  outcome          VARCHAR(20) CHECK (outcome IN ('succeeded', 'needs_attention', 'failed', 'timed_out')),
  decided_by       TEXT,                           -- the condition that decided, in words
  detail           TEXT,                           -- why, e.g. the files outside the scope
  decided_at       BIGINT,                         -- GitHub's timestamp of the deciding event
  judged_at        BIGINT,                         -- when the app recorded the verdict
  -- rollback (failure mode), once the grace has passed: claimed under a short lease, each finished step listed
  rollback_owner   VARCHAR(100),
  rollback_until   BIGINT,
  rollback_steps   TEXT,                           -- comma-separated steps already done
  rollback_done_at BIGINT,                         -- set once every step is done (or nothing was left to do)
  updated_at       BIGINT NOT NULL,
  CHECK ((outcome IS NULL) = (decided_at IS NULL)),
  CHECK ((rollback_owner IS NULL) = (rollback_until IS NULL))
);

-- The sweep's two questions: which judgements are still pending, and which verdicts wait for a rollback.
CREATE INDEX task_judgement_pending ON task_judgement (since) WHERE outcome IS NULL;
CREATE INDEX task_judgement_rollback ON task_judgement (decided_at)
  WHERE outcome IN ('needs_attention', 'failed', 'timed_out') AND rollback_done_at IS NULL;
