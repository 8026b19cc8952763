-- Many servers on one PostgreSQL (issue 9 item 4; src/server/rate-limits.ts databaseStore).
-- Rate-limit counters shared by every server: one row per class and caller ('auth|ip:10.0.0.5',
-- 'write|user:<uuid>'), a fixed window that starts at its first hit, as the in-memory store
-- counts. window_start is milliseconds since the epoch of the server that opened the window.
-- Rows whose window ended an hour ago are deleted by the servers as they go.
CREATE TABLE rate_limit_counters (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  hits integer NOT NULL CHECK (hits > 0)
);
CREATE INDEX rate_limit_counters_window_start ON rate_limit_counters (window_start);
