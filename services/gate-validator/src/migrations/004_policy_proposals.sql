-- Loosening policy versions waiting for a second policy admin (PolicyProposed); approved_by is set
-- when one approves (PolicyApproved, then GatePolicyPublished, in the same transaction).
CREATE TABLE policy_proposals (
  proposal_id    uuid        PRIMARY KEY,
  policy_id      text        NOT NULL,
  policy_version integer     NOT NULL,
  content_hash   text        NOT NULL,
  document       jsonb       NOT NULL,
  loosening      jsonb       NOT NULL,
  proposed_by    jsonb,
  approved_by    jsonb,
  event_id       uuid        NOT NULL UNIQUE,
  proposed_at    timestamptz NOT NULL
);
