-- Idempotency-Key header on POST (issue 8 item 4, DUR-2; src/server/idempotency.ts). One row per
-- caller and key: claimed as 'running' in its own short transaction before the handler runs, then
-- 'done' with the answer once the handler's transaction has committed (a 5xx deletes the row so a
-- retry runs). The answer is AES-256-GCM ciphertext (key derived from PACESETTER_KEY, bound to
-- owner and key): answers can carry personal data and one-time secrets. Rows older than 24 hours
-- are ignored and deleted by the job idempotency-expire.
CREATE TABLE idempotency_keys (
  -- 'user:<uuid>' (session or API token) or 'device:<uuid>' (gate device token)
  owner text NOT NULL,
  key text NOT NULL CHECK (key ~ '^[!-~]{1,200}$'),
  method text NOT NULL,
  -- the route template, e.g. /api/units/:id/move
  route text NOT NULL,
  -- sha256 (hex) of the method, the path with its query and the body bytes
  fingerprint text NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
  status_code integer,
  content_type text,
  response_enc bytea,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (owner, key),
  CHECK ((state = 'done') = (status_code IS NOT NULL))
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
