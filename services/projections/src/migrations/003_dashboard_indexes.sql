-- What the overview reads newest first across every model: recent gate failures, rollbacks and
-- activity. Partial indexes keep the first two small; the timeline gets its newest-first order.
CREATE INDEX gate_decisions_failed_recent ON gate_decisions (decided_at DESC, event_id) WHERE verdict = 'FAILED';
CREATE INDEX deployment_timeline_rollbacks_recent ON deployment_timeline (occurred_at DESC, event_id) WHERE event_type = 'RolledBack';
CREATE INDEX event_index_recent ON event_index (logged_at DESC, event_id);
