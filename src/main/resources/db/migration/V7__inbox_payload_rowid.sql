-- inbox_payload keyed by the inbox row id as SQLite's rowid (INTEGER PRIMARY KEY): one b-tree per payload instead
-- of a table plus a primary-key index, one insert fewer for every stored delivery. PostgreSQL keeps BIGINT.
CREATE TABLE inbox_payload_v7 (
  inbox_id ${key_pk},
  payload  ${blob} NOT NULL
);
INSERT INTO inbox_payload_v7 (inbox_id, payload) SELECT inbox_id, payload FROM inbox_payload;
DROP TABLE inbox_payload;
ALTER TABLE inbox_payload_v7 RENAME TO inbox_payload;
