-- Energy monitoring (能源管理): meters, readings, daily consumption and quality, production, and
-- the feeds into benchmarking. Why this shape: docs/decisions/0007-energy-data.md.

-- A meter hangs on a unit and may sit under another meter (the tree per site and unit). kind
-- 'counter': a cumulative register wrapping at `rollover` (the modulus); 'interval': each reading
-- is the consumption of its interval; 'virtual': the signed sum of other meters (formula).
CREATE TABLE meters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key integer GENERATED ALWAYS AS IDENTITY UNIQUE,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text NOT NULL DEFAULT '',
  carrier text NOT NULL CHECK (carrier IN ('power', 'water', 'air', 'gas', 'steam', 'heat')),
  kind text NOT NULL CHECK (kind IN ('counter', 'interval', 'virtual')),
  uom text NOT NULL CHECK (btrim(uom) <> ''),
  unit_id uuid NOT NULL REFERENCES units (id),
  parent_id uuid REFERENCES meters (id),
  rollover double precision CHECK (rollover IS NULL OR rollover > 0),
  multiplier double precision NOT NULL DEFAULT 1 CHECK (multiplier > 0),
  -- The interval readings are expected at (15 for quarter-hour data, 1440 for daily).
  interval_minutes integer NOT NULL DEFAULT 15 CHECK (interval_minutes IN (1, 5, 10, 15, 30, 60, 1440)),
  -- Virtual meters: [{ "meter": "<code>", "sign": 1 | -1 }].
  formula jsonb NOT NULL DEFAULT '[]',
  valid_from date NOT NULL DEFAULT DATE '2000-01-01',
  valid_to date,
  active boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (parent_id IS NULL OR parent_id <> id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CHECK (jsonb_typeof(formula) = 'array'),
  CHECK ((kind = 'virtual') = (jsonb_array_length(formula) > 0))
);
CREATE INDEX meters_unit_idx ON meters (unit_id);
CREATE INDEX meters_parent_idx ON meters (parent_id);

-- A meter exchanged in place: the old register's last reading and the new one's first.
CREATE TABLE meter_replacements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meter_id uuid NOT NULL REFERENCES meters (id),
  at timestamptz NOT NULL,
  old_final double precision NOT NULL,
  new_initial double precision NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meter_id, at)
);

-- One ingestion (API request, CSV file, command, demo): what came, what counted, who sent it.
CREATE TABLE reading_batches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source text NOT NULL CHECK (source IN ('api', 'csv', 'cli', 'demo')),
  file_name text,
  received integer NOT NULL DEFAULT 0 CHECK (received >= 0),
  accepted integer NOT NULL DEFAULT 0 CHECK (accepted >= 0),
  duplicates integer NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
  rejected integer NOT NULL DEFAULT 0 CHECK (rejected >= 0),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);

-- The readings: narrow rows, one per meter and instant; a resend never counts twice.
CREATE TABLE meter_readings (
  meter_key integer NOT NULL REFERENCES meters (key),
  at timestamptz NOT NULL,
  value double precision NOT NULL,
  received_at timestamptz NOT NULL,
  batch_id uuid REFERENCES reading_batches (id),
  PRIMARY KEY (meter_key, at)
);

-- Per meter and day (Asia/Shanghai): consumption and its quality, recomputed for the days a batch
-- touched. Suspect days stay out of indicators until a unit confirms them.
CREATE TABLE energy_daily (
  meter_id uuid NOT NULL REFERENCES meters (id),
  day date NOT NULL,
  consumption double precision,
  intervals_expected integer NOT NULL DEFAULT 0,
  intervals_received integer NOT NULL DEFAULT 0,
  quality_score integer CHECK (quality_score IS NULL OR quality_score BETWEEN 0 AND 100),
  findings jsonb NOT NULL DEFAULT '[]',
  suspect boolean NOT NULL DEFAULT false,
  confirmed_by uuid REFERENCES users (id),
  confirmed_at timestamptz,
  confirmed_reason text,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (meter_id, day),
  CHECK (jsonb_typeof(findings) = 'array')
);
CREATE INDEX energy_daily_day_idx ON energy_daily (day);

-- Daily production per unit and product (tonnes of aluminium, alumina, anodes, …).
CREATE TABLE production_daily (
  unit_id uuid NOT NULL REFERENCES units (id),
  day date NOT NULL,
  product text NOT NULL CHECK (btrim(product) <> ''),
  quantity double precision NOT NULL CHECK (quantity >= 0),
  uom text NOT NULL DEFAULT 't',
  source text NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'benchmarking', 'demo')),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (unit_id, day, product)
);

-- Which meter feeds which quantity indicator of which unit (its monthly total becomes the
-- measurement, source 'meter'; the per-tonne indicator follows from its formula).
CREATE TABLE energy_feeds (
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  meter_id uuid NOT NULL REFERENCES meters (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator_id, unit_id)
);

-- Measurements computed from meters, with a link back to where they came from.
ALTER TABLE measurements DROP CONSTRAINT measurements_source_check;
ALTER TABLE measurements ADD CONSTRAINT measurements_source_check CHECK (source IN ('entry', 'import', 'demo', 'meter'));
ALTER TABLE measurements ADD COLUMN source_ref text;
