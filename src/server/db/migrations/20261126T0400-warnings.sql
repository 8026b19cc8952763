-- Warning rules (预警), as data editable in the UI, and the warnings the scan keeps up to date.

-- One rule per row: an indicator, optionally one unit (NULL = every unit reporting it), a code and
-- its parameters (validated per code by the API), the debounce (hold_periods), notices and mutes.
CREATE TABLE warning_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  unit_id uuid REFERENCES units (id),
  code text NOT NULL CHECK (code IN (
    'TARGET', 'GAP_WIDENING',
    'WE1', 'WE2', 'WE3', 'WE4', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8',
    'DQ_RANGE', 'DQ_STUCK', 'DQ_JUMP', 'DQ_MISSING')),
  params jsonb NOT NULL DEFAULT '{}',
  hold_periods integer NOT NULL DEFAULT 1 CHECK (hold_periods BETWEEN 1 AND 24),
  notify text NOT NULL DEFAULT 'once' CHECK (notify IN ('once', 'every')),
  -- [{ "from": ISO instant, "to": ISO instant }]: notices are held back inside a window.
  mute jsonb NOT NULL DEFAULT '[]',
  enabled boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (jsonb_typeof(params) = 'object'),
  CHECK (jsonb_typeof(mute) = 'array')
);
CREATE INDEX warning_rules_indicator_idx ON warning_rules (indicator_id, sort_order);

-- One warning per rule × unit × indicator (a re-scan updates it, never duplicates it), with the
-- debounce state of domain/warnings/debounce.ts and what explains it.
CREATE TABLE warnings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id uuid NOT NULL REFERENCES warning_rules (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  state text NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
  since timestamptz,
  -- The latest period evaluated ('YYYY-MM').
  last_period text CHECK (last_period IS NULL OR last_period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  facts jsonb NOT NULL DEFAULT '{}',
  -- Debounce: consecutive periods with the condition true, and whether the episode was notified.
  held integer NOT NULL DEFAULT 0 CHECK (held >= 0),
  notified boolean NOT NULL DEFAULT false,
  notified_at timestamptz,
  resolved_at timestamptz,
  -- Data quality: the values this warning marked suspect, and those the unit confirmed
  -- ([{ "period", "value" }]); a confirmed value is not flagged again unless it changes.
  suspect_points jsonb NOT NULL DEFAULT '[]',
  confirmed_points jsonb NOT NULL DEFAULT '[]',
  confirmed_by uuid REFERENCES users (id),
  confirmed_at timestamptz,
  confirmed_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (rule_id, unit_id, indicator_id)
);
CREATE INDEX warnings_unit_idx ON warnings (unit_id, state);
CREATE INDEX warnings_indicator_idx ON warnings (indicator_id, state);
