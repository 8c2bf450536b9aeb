-- Agent tasks (issue 5): one row per piece of work handed to the coding agent, from the trigger to its end.
-- Times are epoch milliseconds, always passed in by the app (never now()), so tests own the clock.
-- States and who moves a task out of each: dev.agentdispatch.task.TaskState and docs/task-states.md.
CREATE TABLE agent_task (
  id              ${id_pk},
  repository      VARCHAR(300) NOT NULL,          -- owner/repo
  organisation    VARCHAR(100) NOT NULL,          -- the owner part of repository
  installation_id BIGINT,
  number          INTEGER NOT NULL,               -- issue or pull request number
  kind            VARCHAR(20) NOT NULL CHECK (kind IN ('issue', 'pr_followup')),
  trigger_kind    VARCHAR(20) NOT NULL CHECK (trigger_kind IN ('label', 'command')),
  triggered_by    VARCHAR(100),
  delivery_id     VARCHAR(100),
  prompt          TEXT,
  scope           TEXT,
  base_ref        VARCHAR(300),
  model           VARCHAR(100),
  state           VARCHAR(20) NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'starting', 'running', 'waiting_for_user', 'pr_open',
                                   'done', 'failed', 'timed_out', 'cancelled', 'rejected')),
  attempt         INTEGER NOT NULL DEFAULT 0,     -- claims so far; a claim adds one
  lease_owner     VARCHAR(100),
  lease_until     BIGINT,
  agent_task_id   VARCHAR(100),
  head_ref        VARCHAR(300),
  pull_number     INTEGER,
  error           TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  started_at      BIGINT,                         -- the latest claim
  finished_at     BIGINT,
  version         INTEGER NOT NULL DEFAULT 0,     -- bumped by every update
  -- an instance holds a lease exactly while the task is starting or running
  CHECK ((state IN ('starting', 'running')) = (lease_owner IS NOT NULL AND lease_until IS NOT NULL)),
  -- finished_at is set exactly in the final states
  CHECK ((state IN ('done', 'failed', 'timed_out', 'cancelled', 'rejected')) = (finished_at IS NOT NULL))
);

-- One active task per issue or pull request: the same issue labeled twice, commanded twice or the same
-- delivery handled twice finds the existing task instead of queueing a second one.
CREATE UNIQUE INDEX agent_task_one_active ON agent_task (repository, number)
  WHERE state IN ('queued', 'starting', 'running', 'waiting_for_user', 'pr_open');
-- The queue, oldest first per repository (claims, positions, depth).
CREATE INDEX agent_task_queued ON agent_task (repository, created_at, id) WHERE state = 'queued';
-- Tasks holding capacity (concurrency, review capacity).
CREATE INDEX agent_task_active ON agent_task (repository, state)
  WHERE state IN ('starting', 'running', 'waiting_for_user', 'pr_open');
CREATE INDEX agent_task_leases ON agent_task (lease_until) WHERE state IN ('starting', 'running');
-- Weekly budget, repository start gap and round-robin order (a repository's starts, latest last).
CREATE INDEX agent_task_repo_started ON agent_task (repository, started_at);
-- Organisation start gap (the starts of the last few seconds).
CREATE INDEX agent_task_started ON agent_task (started_at);
-- Circuit breaker: the last finished tasks of a repository.
CREATE INDEX agent_task_finished ON agent_task (repository, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX agent_task_delivery ON agent_task (delivery_id);

-- Per-repository circuit breaker. paused_until > now holds the repository's queue; only tasks that
-- finished after window_from count towards tripping it again (set on trip and on resume).
CREATE TABLE agent_task_breaker (
  repository   VARCHAR(300) PRIMARY KEY,
  paused_until BIGINT NOT NULL,
  reason       TEXT,
  window_from  BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
