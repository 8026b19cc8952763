-- The problem loop (问题导向): problems, their measures (措施), the supervision sheet (督办) with its
-- lights, evidence files, in-app notifications (reminders, escalations, digests) and the notice
-- board (周通报). The rules (lights, transitions, verification) are src/domain/problems/.

-- Files attached to measure updates and closure evidence; kept in the database so a backup holds
-- them. The API caps their size.
CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  file_name text NOT NULL CHECK (btrim(file_name) <> ''),
  mime_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes >= 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A problem: raised by a warning (source 'warning', cause_key = '<indicator id>:<rule code>') or by
-- hand (audit, meeting, leader's instruction, customer visit, other). At most one open problem per
-- unit and cause: a re-scan finds the open one instead of raising another.
CREATE TABLE problems (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  source text NOT NULL CHECK (source IN ('warning', 'audit', 'meeting', 'instruction', 'customer', 'other')),
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_ids uuid[] NOT NULL DEFAULT '{}',
  warning_id uuid REFERENCES warnings (id),
  cause_key text,
  title text NOT NULL CHECK (btrim(title) <> ''),
  description text NOT NULL DEFAULT '',
  cause_analysis text NOT NULL DEFAULT '',
  severity text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  -- open → in-progress (a measure exists) → closing (evidence approved, waiting for the data) →
  -- verified | closed-unverified; cancelled with a reason.
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in-progress', 'closing', 'verified', 'closed-unverified', 'cancelled')),
  -- A data gap: the month it was seen and how many good months in a row verify its closure.
  gap_period text CHECK (gap_period IS NULL OR gap_period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  verify_periods integer NOT NULL DEFAULT 2 CHECK (verify_periods BETWEEN 1 AND 12),
  verification jsonb NOT NULL DEFAULT '{}',
  raised_by uuid REFERENCES users (id),
  raised_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  close_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (jsonb_typeof(verification) = 'object')
);
CREATE UNIQUE INDEX problems_open_cause_key ON problems (unit_id, cause_key)
  WHERE cause_key IS NOT NULL AND status IN ('open', 'in-progress', 'closing');
CREATE INDEX problems_unit_status_idx ON problems (unit_id, status);

-- A corrective measure (整改措施): an owner person, co-operating units, a due date and progress.
CREATE TABLE measures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  problem_id uuid NOT NULL REFERENCES problems (id),
  description text NOT NULL CHECK (btrim(description) <> ''),
  owner_person_id uuid NOT NULL REFERENCES people (id),
  co_unit_ids uuid[] NOT NULL DEFAULT '{}',
  due_date date NOT NULL,
  progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX measures_problem_idx ON measures (problem_id);

-- Progress notes on a measure, each with optional attachments.
CREATE TABLE measure_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  measure_id uuid NOT NULL REFERENCES measures (id),
  note text NOT NULL CHECK (btrim(note) <> ''),
  progress integer CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),
  attachment_ids uuid[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX measure_updates_measure_idx ON measure_updates (measure_id, created_at);

-- The supervision sheet (督办): items from a problem (and its measure) or standalone, passing
-- assigned → accepted → acting → reported → closed (销号, evidence approved by a reviewer);
-- a rejected report goes back to acting. Lights come from the due date and yellow_days.
CREATE TABLE supervision_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  problem_id uuid REFERENCES problems (id),
  measure_id uuid REFERENCES measures (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  title text NOT NULL CHECK (btrim(title) <> ''),
  description text NOT NULL DEFAULT '',
  owner_person_id uuid NOT NULL REFERENCES people (id),
  supervisor_user_id uuid NOT NULL REFERENCES users (id),
  reviewer_user_id uuid REFERENCES users (id),
  due_date date NOT NULL,
  yellow_days integer NOT NULL DEFAULT 3 CHECK (yellow_days BETWEEN 0 AND 60),
  state text NOT NULL DEFAULT 'assigned' CHECK (state IN ('assigned', 'accepted', 'acting', 'reported', 'closed', 'cancelled')),
  -- The light last seen by the lights job, so a change is announced once.
  light text NOT NULL DEFAULT 'green' CHECK (light IN ('green', 'yellow', 'red', 'done')),
  escalated_at timestamptz,
  closed_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX supervision_items_unit_idx ON supervision_items (unit_id, state);
CREATE INDEX supervision_items_problem_idx ON supervision_items (problem_id);

-- Every step of an item, with its note and evidence. seq keeps the order of steps written at the
-- same instant (the lights job writes light.red and escalate together; a test clock stands still).
CREATE TABLE supervision_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  item_id uuid NOT NULL REFERENCES supervision_items (id),
  action text NOT NULL,
  from_state text,
  to_state text,
  note text NOT NULL DEFAULT '',
  attachment_ids uuid[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX supervision_events_item_idx ON supervision_events (item_id, seq);

-- In-app notifications (reminders, escalations, daily digests). dedupe_key makes every sender
-- idempotent: the same reminder for the same day is written once.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  ref_id uuid,
  dedupe_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- The notice board: the weekly notice (周通报, period 'YYYY-Www') and each user's daily digest
-- (period 'YYYY-MM-DD', recipient set). One notice per kind, period and recipient.
CREATE TABLE notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('weekly', 'daily')),
  period text NOT NULL,
  recipient_user_id uuid REFERENCES users (id),
  title text NOT NULL,
  content jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  CHECK (jsonb_typeof(content) = 'object')
);
CREATE UNIQUE INDEX notices_once_key ON notices (kind, period, COALESCE(recipient_user_id, '00000000-0000-0000-0000-000000000000'::uuid));

CREATE TABLE notice_reads (
  notice_id uuid NOT NULL REFERENCES notices (id),
  user_id uuid NOT NULL REFERENCES users (id),
  read_at timestamptz NOT NULL,
  PRIMARY KEY (notice_id, user_id)
);
