-- Evaluation (结果导向): schemes that score units from their approved data, vetoes (一票否决),
-- and published, frozen results. The scoring rules themselves are src/domain/evaluation/.

-- A scheme: how items combine (aggregation), how totals are rounded, how units are graded
-- ({"method":"percentile","cuts":[0.2,0.4,0.6,0.8]} or {"method":"bands"}) and paid
-- ({"points":[[60,0.8],[100,1.2]]}: score → pay coefficient, linear between points).
CREATE TABLE evaluation_schemes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  aggregation text NOT NULL CHECK (aggregation IN ('arithmetic', 'geometric', 'sum')),
  item_decimals integer NOT NULL DEFAULT 2 CHECK (item_decimals BETWEEN 0 AND 10),
  total_decimals integer NOT NULL DEFAULT 1 CHECK (total_decimals BETWEEN 0 AND 10),
  grading jsonb NOT NULL DEFAULT '{"method":"percentile","cuts":[0.2,0.4,0.6,0.8]}',
  pay jsonb NOT NULL DEFAULT '{"points":[[60,0.8],[100,1.2]]}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (jsonb_typeof(grading) = 'object'),
  CHECK (jsonb_typeof(pay) = 'object')
);

-- The units a scheme evaluates; they are also each other's peers (peer best, peer worst).
CREATE TABLE evaluation_scheme_units (
  scheme_id uuid NOT NULL REFERENCES evaluation_schemes (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  PRIMARY KEY (scheme_id, unit_id)
);

-- One item: an indicator scored by a method. measure 'completionRate' scores actual ÷ target × 100
-- over the window instead of the value. The weight is valid from valid_from to valid_to (inclusive).
CREATE TABLE evaluation_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme_id uuid NOT NULL REFERENCES evaluation_schemes (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  method text NOT NULL CHECK (method IN ('efficacy', 'five-tier', 'add-deduct', 'pass-fail')),
  measure text NOT NULL DEFAULT 'value' CHECK (measure IN ('value', 'completionRate')),
  params jsonb NOT NULL DEFAULT '{}',
  weight numeric NOT NULL CHECK (weight >= 0),
  valid_from date NOT NULL DEFAULT DATE '2000-01-01',
  valid_to date,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (jsonb_typeof(params) = 'object'),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX evaluation_items_scheme_idx ON evaluation_items (scheme_id, sort_order);

-- A veto zeroes a unit's score for a period (e.g. a fatal accident); the reason is required.
CREATE TABLE evaluation_vetoes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme_id uuid NOT NULL REFERENCES evaluation_schemes (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  period text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_vetoes_scheme_idx ON evaluation_vetoes (scheme_id, period);

-- Published results, frozen: each publication of a scheme and period is a new version.
CREATE TABLE evaluation_publications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme_id uuid NOT NULL REFERENCES evaluation_schemes (id),
  period text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
  version integer NOT NULL CHECK (version >= 1),
  published_at timestamptz NOT NULL,
  published_by uuid REFERENCES users (id),
  results jsonb NOT NULL,
  UNIQUE (scheme_id, period, version)
);
