-- Lookups the triggers make on every delivery they answer (trigger.Replies): "did this delivery already write
-- this audit row?" and "what was the last held or queued row for this issue?". Exact at any audit size, where a
-- scan of the newest few hundred rows could miss an older row.
CREATE INDEX audit_delivery ON audit (delivery_id, action);
CREATE INDEX audit_repository_action ON audit (repository, action, id);
