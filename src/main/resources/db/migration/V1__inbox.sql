-- Webhook deliveries, stored before the app answers 202. One row per X-GitHub-Delivery.
-- Times are epoch milliseconds, always passed in by the app (never now()), so tests own the clock.
-- The payload lives in its own table, written once: state changes then rewrite only a small row.
CREATE TABLE inbox (
  id              ${id_pk},
  delivery_id     VARCHAR(100) NOT NULL UNIQUE,
  event           VARCHAR(100) NOT NULL,
  action          VARCHAR(100),
  installation_id BIGINT,
  repository      VARCHAR(300),
  sender          VARCHAR(100),
  received_at     BIGINT NOT NULL,
  -- pending: waiting for a worker; processing: leased by lease_owner until lease_until;
  -- done: every handler succeeded; dead: attempts ran out (dead letter, kept for a person).
  state           VARCHAR(20) NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'processing', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_owner     VARCHAR(100),
  lease_until     BIGINT,
  last_error      TEXT,
  finished_at     BIGINT,
  CHECK ((state = 'processing') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL)),
  CHECK ((state IN ('done', 'dead')) = (finished_at IS NOT NULL))
);

-- Partial indexes hold only unfinished rows, so they stay as small as the backlog.
CREATE INDEX inbox_due ON inbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX inbox_leases ON inbox (lease_until) WHERE state = 'processing';

-- Keyed by inbox.id, so new payloads append at the end of the table; LZ4-compressed (PayloadCodec).
CREATE TABLE inbox_payload (
  inbox_id BIGINT PRIMARY KEY,
  payload  ${blob} NOT NULL
);
