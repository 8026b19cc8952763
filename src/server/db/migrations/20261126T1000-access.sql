-- Site access control (出入管理, issue 6): sites divided into grid cells, buildings and households;
-- the people registry extended with personal fields (encrypted), passes, checkpoints and their
-- devices, visitors, a block list, vehicles, the duty roster and the gate events. The decision
-- rules are src/domain/access/; the design is docs/decisions/0008-access-control.md.

-- A residential community (小区) or a plant site (厂区), owned by a unit for the data scope.
CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text,
  kind text NOT NULL CHECK (kind IN ('community', 'plant')),
  -- open: anyone is let in (and registered); restricted: pass holders of this site only;
  -- closed: essential personnel only.
  access_level text NOT NULL DEFAULT 'open' CHECK (access_level IN ('open', 'restricted', 'closed')),
  unit_id uuid REFERENCES units (id),
  -- Temperature at the gate: not asked, optional, or required on entry.
  temperature_mode text NOT NULL DEFAULT 'optional' CHECK (temperature_mode IN ('off', 'optional', 'required')),
  fever_threshold_c numeric(4, 1) NOT NULL DEFAULT 37.3 CHECK (fever_threshold_c BETWEEN 35 AND 42),
  -- Household rule while restricted: at most quota_count members out per household in quota_days.
  household_quota_days integer CHECK (household_quota_days IS NULL OR household_quota_days BETWEEN 1 AND 30),
  household_quota_count integer NOT NULL DEFAULT 1 CHECK (household_quota_count BETWEEN 1 AND 20),
  capacity integer CHECK (capacity IS NULL OR capacity > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

-- Grid cells (网格) of a site, each with a grid worker (网格员).
CREATE TABLE grid_cells (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id),
  code text NOT NULL CHECK (btrim(code) <> ''),
  name text NOT NULL CHECK (btrim(name) <> ''),
  worker_person_id uuid REFERENCES people (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);

CREATE TABLE buildings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id),
  grid_cell_id uuid REFERENCES grid_cells (id),
  code text NOT NULL CHECK (btrim(code) <> ''),
  name text NOT NULL CHECK (btrim(name) <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);

-- A household (户), numbered within its site (户号, e.g. 3-2-401).
CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id),
  building_id uuid REFERENCES buildings (id),
  code text NOT NULL CHECK (btrim(code) <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);

-- The people registry: employees (unit_id), residents and family members (household_id, site_id),
-- contractors and visitors. ID numbers, phones and photos are AES-256-GCM ciphertext; the *_bidx
-- columns are HMAC-SHA-256 blind indexes for exact search (src/server/crypto/personal-data.ts).
ALTER TABLE people
  ADD COLUMN category text NOT NULL DEFAULT 'employee' CHECK (category IN ('employee', 'resident', 'family', 'contractor', 'visitor')),
  ADD COLUMN sex text CHECK (sex IN ('male', 'female')),
  ADD COLUMN id_type text CHECK (id_type IN ('resident-id', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreigner-permit', 'other')),
  ADD COLUMN id_number_enc bytea,
  ADD COLUMN id_number_bidx text,
  ADD COLUMN phone_enc bytea,
  ADD COLUMN phone_bidx text,
  ADD COLUMN photo_enc bytea,
  ADD COLUMN site_id uuid REFERENCES sites (id),
  ADD COLUMN household_id uuid REFERENCES households (id),
  -- Registered on behalf of someone (elderly, children, people without a phone): by whom.
  ADD COLUMN proxy_person_id uuid REFERENCES people (id),
  ADD CONSTRAINT people_id_number_pair CHECK ((id_number_enc IS NULL) = (id_number_bidx IS NULL)),
  ADD CONSTRAINT people_phone_pair CHECK ((phone_enc IS NULL) = (phone_bidx IS NULL));
CREATE INDEX people_id_number_bidx ON people (id_number_bidx) WHERE id_number_bidx IS NOT NULL;
CREATE INDEX people_phone_bidx ON people (phone_bidx) WHERE phone_bidx IS NOT NULL;
CREATE INDEX people_name ON people (name);
CREATE INDEX people_household ON people (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX people_site ON people (site_id) WHERE site_id IS NOT NULL;

-- Health status as the gate sees it (green/yellow/red); issue 7's rules write it.
CREATE TABLE health_statuses (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  status text NOT NULL CHECK (status IN ('green', 'yellow', 'red')),
  rule text NOT NULL DEFAULT 'manual',
  facts jsonb NOT NULL DEFAULT '{}',
  since timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Abnormal cases (异常情况) opened by the gate (a fever, a red status); issue 7 manages them.
CREATE TABLE abnormal_cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  person_id uuid NOT NULL REFERENCES people (id),
  source text NOT NULL CHECK (source IN ('gate', 'declaration', 'manual')),
  reason text NOT NULL CHECK (reason IN ('FEVER', 'HEALTH_RED', 'SYMPTOMS', 'RISK_TRAVEL', 'CONTACT', 'OTHER')),
  source_ref uuid,
  temperature_c numeric(4, 1),
  site_id uuid REFERENCES sites (id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX abnormal_cases_person ON abnormal_cases (person_id, opened_at);

-- A pass (通行证): one person, one or more sites, validity dates, optional time windows
-- ([{ "days": [1..7], "from": "07:30", "to": "16:00" }], Monday = 1; null = any time).
-- The QR carries only the random token; the database keeps its SHA-256 for lookup and the token
-- itself encrypted, so that a card can be printed again.
CREATE TABLE passes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  person_id uuid NOT NULL REFERENCES people (id),
  token_hash text NOT NULL UNIQUE,
  token_enc bytea NOT NULL,
  valid_from date NOT NULL,
  valid_to date NOT NULL CHECK (valid_to >= valid_from),
  windows jsonb,
  -- Essential personnel may pass while a site is closed.
  essential boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
  status_reason text,
  status_changed_at timestamptz,
  status_changed_by uuid REFERENCES users (id),
  visit_id uuid,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX passes_person ON passes (person_id);
CREATE INDEX passes_changed ON passes (updated_at);

CREATE TABLE pass_sites (
  pass_id uuid NOT NULL REFERENCES passes (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  PRIMARY KEY (pass_id, site_id)
);
CREATE INDEX pass_sites_site ON pass_sites (site_id);

-- A checkpoint (卡口) of a site with its opening hours ([{ "from": "06:00", "to": "22:00" }];
-- null = always open; a window may run past midnight, e.g. 22:00–06:00).
CREATE TABLE checkpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text,
  site_id uuid NOT NULL REFERENCES sites (id),
  opening_hours jsonb,
  vehicles boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

-- A guard's phone or a gate terminal, bound to one checkpoint by a bearer token (stored hashed).
CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
  name text NOT NULL CHECK (btrim(name) <> ''),
  token_hash text NOT NULL UNIQUE,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id)
);

-- A visit (访客预约): a visitor, a host, a site and a time window; approved or rejected by the host.
CREATE TABLE visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  visitor_person_id uuid NOT NULL REFERENCES people (id),
  host_person_id uuid NOT NULL REFERENCES people (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  purpose text NOT NULL DEFAULT '',
  plate text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  decision_note text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX visits_visitor ON visits (visitor_person_id, starts_at);
CREATE INDEX visits_site ON visits (site_id, starts_at);

-- The block list (黑名单): a registered person, or an ID number / phone by blind index; one site or all.
CREATE TABLE block_list (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid REFERENCES people (id),
  id_number_bidx text,
  phone_bidx text,
  site_id uuid REFERENCES sites (id),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  valid_to date,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by uuid REFERENCES users (id),
  CHECK (person_id IS NOT NULL OR id_number_bidx IS NOT NULL OR phone_bidx IS NOT NULL)
);
CREATE INDEX block_list_person ON block_list (person_id) WHERE removed_at IS NULL;

-- Vehicles (车辆) by plate, with the sites they may enter.
CREATE TABLE vehicles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plate text NOT NULL UNIQUE CHECK (btrim(plate) <> ''),
  owner_person_id uuid REFERENCES people (id),
  kind text NOT NULL DEFAULT 'car' CHECK (kind IN ('car', 'truck', 'bus', 'ambulance', 'other')),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE vehicle_sites (
  vehicle_id uuid NOT NULL REFERENCES vehicles (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  valid_to date,
  PRIMARY KEY (vehicle_id, site_id)
);

-- Duty (值守): shifts per site, guards assigned to a checkpoint for a date and shift, handover notes.
CREATE TABLE duty_shifts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id),
  code text NOT NULL CHECK (btrim(code) <> ''),
  name text NOT NULL CHECK (btrim(name) <> ''),
  starts time NOT NULL,
  ends time NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);

CREATE TABLE duty_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
  shift_id uuid NOT NULL REFERENCES duty_shifts (id),
  date date NOT NULL,
  person_id uuid NOT NULL REFERENCES people (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (checkpoint_id, shift_id, date, person_id)
);
CREATE INDEX duty_assignments_date ON duty_assignments (date);

CREATE TABLE duty_handovers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
  shift_id uuid REFERENCES duty_shifts (id),
  date date NOT NULL,
  note text NOT NULL CHECK (btrim(note) <> ''),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every decision at a gate (出入登记). The idempotency key makes a resend (or an offline queue
-- synced twice) one event; `at` is when the guard scanned, `recorded_at` when the server stored it.
CREATE TABLE gate_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 8 AND 100),
  checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  device_id uuid REFERENCES devices (id),
  guard_user_id uuid REFERENCES users (id),
  person_id uuid REFERENCES people (id),
  pass_id uuid REFERENCES passes (id),
  credential text NOT NULL CHECK (credential IN ('pass', 'person', 'id-number', 'none')),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  decision text NOT NULL CHECK (decision IN ('allow', 'deny')),
  reason text CHECK (reason IN ('NO_PASS', 'PASS_EXPIRED', 'PASS_REVOKED', 'PASS_SUSPENDED', 'WRONG_SITE', 'OUTSIDE_HOURS', 'SITE_CLOSED', 'FEVER', 'HEALTH_RED', 'HOUSEHOLD_QUOTA', 'BLOCKED', 'VISITOR_NOT_APPROVED')),
  temperature_c numeric(4, 1) CHECK (temperature_c IS NULL OR temperature_c BETWEEN 30 AND 45),
  plate text,
  disinfected boolean,
  offline boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((decision = 'allow') = (reason IS NULL))
);
CREATE INDEX gate_events_site_at ON gate_events (site_id, at);
CREATE INDEX gate_events_checkpoint_at ON gate_events (checkpoint_id, at);
CREATE INDEX gate_events_person_at ON gate_events (person_id, at) WHERE person_id IS NOT NULL;
