-- The audit trail: append-only (the app has no statement that updates or deletes a row).
-- Who triggered what, with which input, what came out, did it succeed, how long it took, what it cost.
CREATE TABLE audit (
  id              ${id_pk},
  at              BIGINT NOT NULL,
  action          VARCHAR(100) NOT NULL,
  outcome         VARCHAR(50) NOT NULL,
  delivery_id     VARCHAR(100),
  task_id         BIGINT,
  installation_id BIGINT,
  repository      VARCHAR(300),
  actor           VARCHAR(100),
  input           TEXT,
  output          TEXT,
  duration_ms     BIGINT,
  api_calls       INTEGER,
  token_mode      VARCHAR(20)
);

CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_repository ON audit (repository, at);
CREATE INDEX audit_actor ON audit (actor, at);
CREATE INDEX audit_task ON audit (task_id);
