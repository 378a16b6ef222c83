-- defer4j router store, version 1. Portable SQL: the same script runs on SQLite and PostgreSQL.
-- Times are epoch milliseconds (UTC); JSON documents are stored as text.

-- One row: the active, previous (for rollback) and shadow policies, and a version that every
-- change of the policies, the expert registry or the API keys increments, so that several
-- processes sharing one database notice each other's changes.
CREATE TABLE d4j_state (
  id INTEGER PRIMARY KEY,
  active_policy TEXT,
  previous_policy TEXT,
  shadow_policy TEXT,
  activated_at BIGINT,
  version BIGINT NOT NULL,
  keys_bootstrapped INTEGER NOT NULL
);
INSERT INTO d4j_state (id, version, keys_bootstrapped) VALUES (1, 0, 0);

-- Uploaded policy artifacts (the JSON of PolicyArtifact), by id p-<first 16 hex of SHA-256>.
CREATE TABLE d4j_policy (
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL,
  artifact TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL
);

-- The expert registry: one JSON entry per agent (availability, windows, capacity, fee, share).
CREATE TABLE d4j_expert (
  name TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Counters per agent ('*' = every decision) and period: period_seconds 0 is all time, 60 the
-- dashboard's minutes, any other the period of an agent's capacity or share target, aligned on the
-- epoch. Capacity reservations are checked and made on these rows inside the decision's
-- transaction (row locks on PostgreSQL, the write lock on SQLite).
CREATE TABLE d4j_counter (
  agent TEXT NOT NULL,
  period_seconds BIGINT NOT NULL,
  period_start BIGINT NOT NULL,
  used BIGINT NOT NULL,
  PRIMARY KEY (agent, period_seconds, period_start)
);

-- Every decision: who was chosen by which policy, on which inputs, with which scores.
CREATE TABLE d4j_decision (
  id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  policy_id TEXT NOT NULL,
  agent TEXT NOT NULL,
  chosen TEXT NOT NULL,
  kind TEXT NOT NULL,
  fallback INTEGER NOT NULL,
  case_id TEXT,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  available TEXT NOT NULL,
  scores TEXT NOT NULL,
  expected_costs TEXT NOT NULL,
  reasons TEXT NOT NULL,
  prediction TEXT,
  shadow_policy_id TEXT,
  shadow_agent TEXT
);
CREATE INDEX d4j_decision_created ON d4j_decision (created_at);

-- At most one outcome per decision (the truth, the agents' answers and costs as posted, in
-- canonical JSON), with the realised cost and correctness of the chosen agent where known.
CREATE TABLE d4j_outcome (
  decision_id TEXT PRIMARY KEY REFERENCES d4j_decision (id),
  created_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  cost DOUBLE PRECISION,
  correct INTEGER
);

-- API keys: only the SHA-256 of each key is kept.
CREATE TABLE d4j_api_key (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
