-- The agent worker (issue 5): what the worker needs beside agent_task to start an agent crash-safely and to
-- watch it. One row per task that the worker ever tried to start; the SQL is in dev.agentdispatch.store.AgentRunStore.
-- Times are epoch milliseconds, always passed in by the app (never now()).
CREATE TABLE agent_run (
  task_id            BIGINT PRIMARY KEY,         -- agent_task.id
  first_requested_at BIGINT NOT NULL,            -- the first start intent: the task's age and timeout count from here
  requested_at       BIGINT NOT NULL,            -- the latest start intent, written before the create call is sent
  requested_by       VARCHAR(100) NOT NULL,      -- the login whose token starts the agent (the agent task's creator)
  requester_id       BIGINT,                     -- that user's GitHub id (the creator_id filter on recovery)
  token_mode         VARCHAR(20) NOT NULL,       -- which AgentTokens strategy ran: service_account, user
  status_comment_id  BIGINT,                     -- the one issue comment the worker keeps editing
  next_check_at      BIGINT,                     -- when the worker looks at the task next; null: no longer watched
  failures           INTEGER NOT NULL DEFAULT 0, -- transient failures in a row
  updated_at         BIGINT NOT NULL
);

CREATE INDEX agent_run_due ON agent_run (next_check_at);
