-- All-factor benchmarking: indicators, assignments, periods, measurements, targets, benchmarks.

CREATE TABLE indicators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z_][A-Za-z0-9_.]{0,63}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  category text NOT NULL CHECK (category IN ('production', 'quality', 'cost', 'energy', 'safety', 'environment', 'people', 'finance', 'market', 'service')),
  uom text NOT NULL DEFAULT '',
  precision integer NOT NULL DEFAULT 2 CHECK (precision BETWEEN 0 AND 6),
  direction text NOT NULL CHECK (direction IN ('higher', 'lower', 'band')),
  band_centre numeric,
  band_tolerance numeric CHECK (band_tolerance IS NULL OR band_tolerance >= 0),
  frequency text NOT NULL DEFAULT 'month' CHECK (frequency IN ('month', 'quarter', 'year')),
  aggregation text NOT NULL CHECK (aggregation IN ('sum', 'avg', 'last', 'formula')),
  formula text,
  scope_text text NOT NULL DEFAULT '',
  scope_tag text NOT NULL DEFAULT '',
  range_min numeric,
  range_max numeric,
  owner_unit_id uuid REFERENCES units (id),
  description text NOT NULL DEFAULT '',
  valid_from date NOT NULL DEFAULT DATE '2000-01-01',
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((aggregation = 'formula') = (formula IS NOT NULL)),
  CHECK (direction <> 'band' OR band_centre IS NOT NULL),
  CHECK (range_min IS NULL OR range_max IS NULL OR range_min <= range_max)
);

-- Which unit reports which indicator, with its weight in the unit's set.
CREATE TABLE indicator_assignments (
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  weight numeric NOT NULL DEFAULT 1 CHECK (weight >= 0),
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_id, indicator_id)
);
CREATE INDEX indicator_assignments_indicator_idx ON indicator_assignments (indicator_id);

-- A month row exists once a period has been locked or reopened; no row means open.
CREATE TABLE periods (
  period text PRIMARY KEY CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  locked boolean NOT NULL DEFAULT false,
  changed_at timestamptz NOT NULL,
  changed_by uuid,
  reason text,
  version integer NOT NULL DEFAULT 1
);

-- Monthly actuals. status: draft → submitted → approved, or returned (back to the clerk).
CREATE TABLE measurements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  period text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  value numeric NOT NULL,
  note text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
  source text NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'demo')),
  suspect boolean NOT NULL DEFAULT false,
  return_comment text,
  entered_by uuid,
  approved_by uuid,
  approved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (unit_id, indicator_id, period)
);
CREATE INDEX measurements_period_idx ON measurements (period);
CREATE INDEX measurements_indicator_idx ON measurements (indicator_id, period);

-- Floor / target / stretch per unit, indicator and period (a month 'YYYY-MM' or a year 'YYYY').
CREATE TABLE targets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  period text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
  floor numeric,
  target numeric NOT NULL,
  stretch numeric,
  basis text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (unit_id, indicator_id, period)
);

-- Benchmarks other than a unit's own history (which is derived from its approved data).
CREATE TABLE benchmarks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z][A-Za-z0-9_.-]{0,63}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('sibling', 'peer', 'industry', 'world')),
  sibling_unit_id uuid REFERENCES units (id),
  peer_class text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((kind = 'sibling') = (sibling_unit_id IS NOT NULL))
);

CREATE TABLE benchmark_values (
  benchmark_id uuid NOT NULL REFERENCES benchmarks (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  period text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
  value numeric NOT NULL,
  scope_tag text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  PRIMARY KEY (benchmark_id, indicator_id, period)
);

-- 口径 pairs an administrator has declared comparable.
CREATE TABLE comparable_scopes (
  scope_a text NOT NULL,
  scope_b text NOT NULL,
  PRIMARY KEY (scope_a, scope_b),
  CHECK (scope_a < scope_b COLLATE "C")
);

-- The benchmarking stage of each unit and indicator (选标 → 对标 → 达标 → 追标), with its history.
CREATE TABLE benchmark_selections (
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  benchmark_id uuid REFERENCES benchmarks (id),
  use_history_best boolean NOT NULL DEFAULT false,
  stage text NOT NULL CHECK (stage IN ('selected', 'comparing', 'attained', 'chasing')),
  reason text NOT NULL DEFAULT '',
  since_period text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (unit_id, indicator_id),
  CHECK (use_history_best OR benchmark_id IS NOT NULL)
);

CREATE TABLE benchmark_stage_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  benchmark_id uuid REFERENCES benchmarks (id),
  stage text NOT NULL,
  reason text NOT NULL DEFAULT '',
  period text NOT NULL,
  at timestamptz NOT NULL,
  by_user uuid
);
CREATE INDEX benchmark_stage_history_idx ON benchmark_stage_history (unit_id, indicator_id, at);
