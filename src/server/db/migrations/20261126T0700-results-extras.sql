-- Result orientation, the rest (结果导向): labour competitions (劳动竞赛) with add/deduct events and
-- vetoes, team piece rates and quality prices (生产计件、质量计价) with member points, improvement
-- ideas (金点子、小改小革) and the idle-asset revitalisation ledger (闲置资产盘活). The arithmetic is
-- src/domain/results/; money and quantities are numeric here and exact decimals in the code.

-- A competition among units over a date range. aggregation says how its data items combine:
-- 'points' = Σ weight × score ÷ 100 (weights are the points an item is worth), 'mean' = the weighted
-- mean Σ weight × score ÷ Σ weight. prizes: [{"rank":1,"nameZh":"一等奖","nameEn":"First prize","amountYuan":"5000.00"}].
CREATE TABLE competitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  period_from date NOT NULL,
  period_to date NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'closed')),
  aggregation text NOT NULL DEFAULT 'points' CHECK (aggregation IN ('points', 'mean')),
  prizes jsonb NOT NULL DEFAULT '[]',
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (period_to >= period_from),
  CHECK (jsonb_typeof(prizes) = 'array')
);

-- The units (plants, areas, teams) that compete with each other.
CREATE TABLE competition_participants (
  competition_id uuid NOT NULL REFERENCES competitions (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  PRIMARY KEY (competition_id, unit_id)
);

-- A data item: an indicator scored by one of the evaluation methods (params as evaluation_items).
CREATE TABLE competition_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  competition_id uuid NOT NULL REFERENCES competitions (id),
  indicator_id uuid NOT NULL REFERENCES indicators (id),
  method text NOT NULL CHECK (method IN ('efficacy', 'five-tier', 'add-deduct', 'pass-fail')),
  params jsonb NOT NULL DEFAULT '{}',
  weight numeric NOT NULL CHECK (weight >= 0),
  sort_order integer NOT NULL DEFAULT 0,
  CHECK (jsonb_typeof(params) = 'object'),
  UNIQUE (competition_id, indicator_id)
);

-- Add/deduct events (加分、扣分) with their reason; a 'veto' event (一票否决) zeroes the unit.
-- The "321" contest's categories: strengthen (三强化), supervise (两监督), assess (一考核).
CREATE TABLE competition_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  competition_id uuid NOT NULL REFERENCES competitions (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  event_date date NOT NULL,
  points numeric NOT NULL CHECK (points BETWEEN -1000 AND 1000),
  category text NOT NULL CHECK (category IN ('strengthen', 'supervise', 'assess', 'safety', 'quality', 'innovation', 'other', 'veto')),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (CASE WHEN category = 'veto' THEN points = 0 ELSE points <> 0 END)
);
CREATE INDEX competition_events_idx ON competition_events (competition_id, unit_id, event_date);

-- A team's piece rate (计件单价): yuan per unit of a product, valid over dates (inclusive).
CREATE TABLE piece_rates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_unit_id uuid NOT NULL REFERENCES units (id),
  product text NOT NULL CHECK (btrim(product) <> ''),
  uom text NOT NULL CHECK (btrim(uom) <> ''),
  rate numeric(16, 4) NOT NULL CHECK (rate >= 0),
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX piece_rates_team_idx ON piece_rates (team_unit_id, product, valid_from);

-- The quality price (质量计价) of a product's grade: yuan per unit on top of the piece rate,
-- negative for a grade that costs money (a deduction).
CREATE TABLE quality_prices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product text NOT NULL CHECK (btrim(product) <> ''),
  grade text NOT NULL CHECK (btrim(grade) <> ''),
  price numeric(16, 4) NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX quality_prices_product_idx ON quality_prices (product, grade, valid_from);

-- A team's output of a month, by product and grade.
CREATE TABLE team_outputs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_unit_id uuid NOT NULL REFERENCES units (id),
  period text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  product text NOT NULL CHECK (btrim(product) <> ''),
  grade text NOT NULL CHECK (btrim(grade) <> ''),
  quantity numeric(18, 4) NOT NULL CHECK (quantity >= 0),
  entered_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (team_unit_id, period, product, grade)
);

-- A member's points (工分) in a team for a month: the team's earnings are shared by points.
CREATE TABLE team_member_points (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_unit_id uuid NOT NULL REFERENCES units (id),
  period text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  person_id uuid NOT NULL REFERENCES people (id),
  points numeric(12, 2) NOT NULL CHECK (points >= 0),
  entered_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (team_unit_id, period, person_id)
);

-- An improvement idea (金点子) or small improvement (小改小革): submitted → reviewing → adopted →
-- implemented, or rejected; the benefit is recorded when adopted or implemented.
CREATE TABLE ideas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  unit_id uuid NOT NULL REFERENCES units (id),
  submitter_person_id uuid REFERENCES people (id),
  submitter_user_id uuid REFERENCES users (id),
  title text NOT NULL CHECK (btrim(title) <> ''),
  description text NOT NULL DEFAULT '',
  category text NOT NULL CHECK (category IN ('idea', 'small-improvement')),
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'reviewing', 'adopted', 'rejected', 'implemented')),
  reviewer_user_id uuid REFERENCES users (id),
  review_note text NOT NULL DEFAULT '',
  benefit_yuan numeric(16, 2) CHECK (benefit_yuan IS NULL OR benefit_yuan >= 0),
  submitted_at timestamptz NOT NULL,
  adopted_at timestamptz,
  implemented_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (submitter_person_id IS NOT NULL OR submitter_user_id IS NOT NULL)
);
CREATE INDEX ideas_unit_status_idx ON ideas (unit_id, status);

-- The idle-asset ledger (闲置资产盘活): each asset with its disposal route, a plan of steps
-- ([{"step":"评估","due":"2020-04-30","done":false}]), an owner, its status and the proceeds.
CREATE TABLE idle_assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  kind text NOT NULL CHECK (kind IN ('line', 'building', 'equipment', 'vehicle')),
  unit_id uuid NOT NULL REFERENCES units (id),
  original_value numeric(16, 2) NOT NULL CHECK (original_value >= 0),
  book_value numeric(16, 2) NOT NULL CHECK (book_value >= 0),
  idle_since date NOT NULL,
  disposal_route text NOT NULL CHECK (disposal_route IN ('lease', 'sale', 'transfer', 'reuse', 'scrap')),
  plan jsonb NOT NULL DEFAULT '[]',
  owner_person_id uuid REFERENCES people (id),
  status text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'planned', 'in-progress', 'disposed')),
  proceeds numeric(16, 2) CHECK (proceeds IS NULL OR proceeds >= 0),
  disposed_on date,
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (jsonb_typeof(plan) = 'array'),
  CHECK ((status = 'disposed') = (disposed_on IS NOT NULL))
);
CREATE INDEX idle_assets_unit_idx ON idle_assets (unit_id, status);
