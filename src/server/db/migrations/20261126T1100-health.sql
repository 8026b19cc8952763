-- Health surveillance and case management (疫情防控, issue 7): incidents (emergency mode) with
-- their settings and retention, daily declarations (健康卡), travel histories and returning-staff
-- screening, risk areas, status rules as data with contests, abnormal cases with their tracking
-- card, exposures and quarantines with follow-up schedules, transfers, supplies, supply points,
-- donations, volunteers, and the stored daily briefings. Rules: src/domain/health/.
-- Personal health, travel and contact data carry incident_id and are purged when the incident's
-- retention ends (job health-purge); briefings and purge reports keep the aggregates.

-- An incident (疫情应急): switches emergency mode on for its sites and units. At most one is active.
CREATE TABLE health_incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (btrim(name) <> ''),
  start_date date NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'purged')),
  -- Declarations are due by this Asia/Shanghai local time each day.
  declaration_due_time text NOT NULL DEFAULT '10:00' CHECK (declaration_due_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  fever_threshold_c numeric(4, 1) NOT NULL DEFAULT 37.3 CHECK (fever_threshold_c BETWEEN 35 AND 42),
  follow_up_days integer NOT NULL DEFAULT 14 CHECK (follow_up_days BETWEEN 1 AND 60),
  follow_up_per_day integer NOT NULL DEFAULT 2 CHECK (follow_up_per_day BETWEEN 1 AND 6),
  travel_lookback_days integer NOT NULL DEFAULT 15 CHECK (travel_lookback_days BETWEEN 1 AND 60),
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 0 AND 3650),
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  purge_due_at timestamptz,
  purged_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((status = 'active') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX health_incidents_one_active ON health_incidents ((true)) WHERE status = 'active';

CREATE TABLE health_incident_sites (
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  site_id uuid NOT NULL REFERENCES sites (id),
  PRIMARY KEY (incident_id, site_id)
);
CREATE TABLE health_incident_units (
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  PRIMARY KEY (incident_id, unit_id)
);

-- The daily declaration (健康卡), one per person and day; a second one that day amends it.
-- location_enc: the current location, AES-256-GCM (src/server/crypto/personal-data.ts).
CREATE TABLE health_declarations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  date date NOT NULL,
  temperature_c numeric(4, 1) CHECK (temperature_c IS NULL OR temperature_c BETWEEN 30 AND 45),
  symptoms text[] NOT NULL DEFAULT '{}',
  location_enc bytea,
  risk_area_contact boolean NOT NULL DEFAULT false,
  case_contact boolean NOT NULL DEFAULT false,
  -- green/yellow/red as evaluated when declared.
  status text NOT NULL CHECK (status IN ('green', 'yellow', 'red')),
  declared_by uuid REFERENCES users (id),
  on_behalf boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (person_id, date)
);
CREATE INDEX health_declarations_incident_date ON health_declarations (incident_id, date);

-- Reminders a grid worker sent to someone who had not declared.
CREATE TABLE health_reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  date date NOT NULL,
  sent_by uuid REFERENCES users (id),
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_reminders_person ON health_reminders (person_id, date);

-- Risk areas (风险地区): a region (matched as a prefix of a stay's region), level and validity.
CREATE TABLE risk_areas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region text NOT NULL CHECK (btrim(region) <> ''),
  level text NOT NULL CHECK (level IN ('high', 'medium', 'low')),
  valid_from date NOT NULL,
  valid_to date,
  source text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- A stay in a person's itinerary (旅居史): the region is kept plain for matching, the detailed
-- address encrypted.
CREATE TABLE travel_records (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  region text NOT NULL CHECK (btrim(region) <> ''),
  address_enc bytea,
  from_date date NOT NULL,
  to_date date NOT NULL,
  transport text NOT NULL CHECK (transport IN ('train', 'plane', 'bus', 'car', 'ship', 'other')),
  transport_no text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (to_date >= from_date)
);
CREATE INDEX travel_records_person ON travel_records (person_id, to_date);

-- Returning-staff screening (返岗审核): items are the itinerary's stays as checked by the reviewer
-- ([{ "travelRecordId", "checked", "note" }]).
CREATE TABLE return_screenings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  return_date date NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'cleared', 'observe', 'isolate')),
  items jsonb NOT NULL DEFAULT '[]',
  note text,
  reviewer_id uuid REFERENCES users (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (incident_id, person_id, return_date)
);

-- Status rules as data (src/domain/health/status-rules.ts): the most severe matching rule wins.
CREATE TABLE health_rules (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text NOT NULL,
  status text NOT NULL CHECK (status IN ('green', 'yellow', 'red')),
  priority integer NOT NULL DEFAULT 100,
  condition jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

ALTER TABLE health_statuses ADD COLUMN incident_id uuid REFERENCES health_incidents (id);

-- A contested status (申诉): by the person or their grid worker; a reviewer upholds or overturns
-- it. An overturned status holds until valid_until (inclusive) unless a more severe fact appears.
CREATE TABLE health_status_contests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  status text NOT NULL CHECK (status IN ('green', 'yellow', 'red')),
  rule text NOT NULL,
  facts jsonb NOT NULL DEFAULT '{}',
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  submitted_by uuid REFERENCES users (id),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  decision text CHECK (decision IN ('upheld', 'overturned')),
  new_status text CHECK (new_status IN ('green', 'yellow', 'red')),
  valid_until date,
  decision_note text,
  reviewer_id uuid REFERENCES users (id),
  decided_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK ((decision = 'overturned') = (new_status IS NOT NULL))
);
CREATE INDEX health_status_contests_person ON health_status_contests (person_id, submitted_at);

-- Abnormal cases (异常情况跟踪卡 / 台账), opened by the gate (issue 6), a declaration, a status, a
-- screening, an exposure or by hand.
ALTER TABLE abnormal_cases DROP CONSTRAINT abnormal_cases_source_check;
ALTER TABLE abnormal_cases
  ADD CONSTRAINT abnormal_cases_source_check CHECK (source IN ('gate', 'declaration', 'status', 'screening', 'exposure', 'manual')),
  ADD COLUMN incident_id uuid REFERENCES health_incidents (id),
  -- Classification: unclassified, suspected (疑似), confirmed (确诊), excluded (排除).
  ADD COLUMN classification text NOT NULL DEFAULT 'unclassified' CHECK (classification IN ('unclassified', 'suspected', 'confirmed', 'excluded')),
  ADD COLUMN note text,
  ADD COLUMN opened_by uuid REFERENCES users (id),
  ADD COLUMN outcome text CHECK (outcome IN ('recovered', 'excluded', 'hospitalised', 'transferred', 'died', 'other')),
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN closed_by uuid REFERENCES users (id),
  ADD COLUMN closure_note text;
CREATE INDEX abnormal_cases_incident ON abnormal_cases (incident_id, opened_at);
CREATE INDEX abnormal_cases_open ON abnormal_cases (status, opened_at);
-- One open case per person and incident (cases outside an incident count as one group): a new
-- cause while one is open is written on its tracking card (src/server/modules/health-cases/open-case.ts).
CREATE UNIQUE INDEX abnormal_cases_one_open ON abnormal_cases (person_id, COALESCE(incident_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE status = 'open';

-- A follow-up on the tracking card: who checked, temperature, condition, action.
CREATE TABLE case_follow_ups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES abnormal_cases (id),
  at timestamptz NOT NULL,
  checked_by uuid REFERENCES users (id),
  temperature_c numeric(4, 1) CHECK (temperature_c IS NULL OR temperature_c BETWEEN 30 AND 45),
  condition text NOT NULL CHECK (btrim(condition) <> ''),
  action text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_follow_ups_case ON case_follow_ups (case_id, at);

-- An exposure (接触): a contact of a case (a person), with date, type and certainty.
CREATE TABLE exposures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  case_id uuid REFERENCES abnormal_cases (id),
  source_person_id uuid NOT NULL REFERENCES people (id),
  contact_person_id uuid NOT NULL REFERENCES people (id),
  date date NOT NULL,
  type text NOT NULL CHECK (type IN ('household', 'workplace', 'shift', 'canteen', 'gate', 'transport', 'other')),
  certainty text NOT NULL DEFAULT 'high' CHECK (certainty IN ('low', 'medium', 'high')),
  close boolean NOT NULL DEFAULT true,
  note text,
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (source_person_id <> contact_person_id)
);
CREATE INDEX exposures_contact ON exposures (contact_person_id, date);
CREATE INDEX exposures_source ON exposures (source_person_id);

-- A quarantine (隔离观察) at home or in a facility. The follow-up window runs from the day after
-- the last exposure for follow_up_days, per_day checks a day; a new exposure moves it.
CREATE TABLE quarantines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  person_id uuid NOT NULL REFERENCES people (id),
  place text NOT NULL DEFAULT 'home' CHECK (place IN ('home', 'facility')),
  facility text,
  start_date date NOT NULL,
  planned_end date NOT NULL,
  last_exposure date,
  per_day integer NOT NULL DEFAULT 2 CHECK (per_day BETWEEN 1 AND 6),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'lost', 'cancelled')),
  released_at timestamptz,
  released_by uuid REFERENCES users (id),
  release_temperature_c numeric(4, 1),
  release_note text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (planned_end >= start_date)
);
CREATE UNIQUE INDEX quarantines_one_active ON quarantines (person_id) WHERE status = 'active';
CREATE INDEX quarantines_incident ON quarantines (incident_id, status);

-- The generated schedule: one row per day and slot; done when checked, cancelled when the window moved.
CREATE TABLE quarantine_follow_ups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarantine_id uuid NOT NULL REFERENCES quarantines (id),
  date date NOT NULL,
  slot integer NOT NULL CHECK (slot BETWEEN 1 AND 6),
  cancelled boolean NOT NULL DEFAULT false,
  done_at timestamptz,
  done_by uuid REFERENCES users (id),
  temperature_c numeric(4, 1) CHECK (temperature_c IS NULL OR temperature_c BETWEEN 30 AND 45),
  condition text,
  note text,
  UNIQUE (quarantine_id, date, slot)
);
CREATE INDEX quarantine_follow_ups_date ON quarantine_follow_ups (date);

-- Living support (生活保障) requests and deliveries, and counselling notes.
CREATE TABLE quarantine_supports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarantine_id uuid NOT NULL REFERENCES quarantines (id),
  kind text NOT NULL CHECK (kind IN ('food', 'medicine', 'supplies', 'other')),
  request text NOT NULL CHECK (btrim(request) <> ''),
  requested_at timestamptz NOT NULL,
  delivered_at timestamptz,
  delivered_by uuid REFERENCES users (id),
  delivery_note text
);
CREATE TABLE quarantine_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  quarantine_id uuid NOT NULL REFERENCES quarantines (id),
  kind text NOT NULL DEFAULT 'counselling' CHECK (kind IN ('counselling', 'other')),
  text text NOT NULL CHECK (btrim(text) <> ''),
  at timestamptz NOT NULL,
  written_by uuid REFERENCES users (id)
);

-- Transfers (转运): one trip, its people (person-trips) and the vehicle's disinfection.
CREATE TABLE transfers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  at timestamptz NOT NULL,
  vehicle text NOT NULL CHECK (btrim(vehicle) <> ''),
  driver text NOT NULL CHECK (btrim(driver) <> ''),
  from_place text NOT NULL CHECK (btrim(from_place) <> ''),
  to_place text NOT NULL CHECK (btrim(to_place) <> ''),
  disinfected boolean NOT NULL DEFAULT false,
  disinfected_at timestamptz,
  note text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfers_incident ON transfers (incident_id, at);
CREATE TABLE transfer_people (
  transfer_id uuid NOT NULL REFERENCES transfers (id),
  person_id uuid NOT NULL REFERENCES people (id),
  case_id uuid REFERENCES abnormal_cases (id),
  PRIMARY KEY (transfer_id, person_id)
);

-- Prevention supplies (防疫物资), purchases compared over quotes, and stock movements.
CREATE TABLE supplies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  name_zh text NOT NULL CHECK (btrim(name_zh) <> ''),
  name_en text,
  unit_label text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('mask', 'thermometer', 'disinfectant', 'alcohol', 'gloves', 'protective-suit', 'other')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE TABLE supply_purchases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  supply_id uuid NOT NULL REFERENCES supplies (id),
  date date NOT NULL,
  quantity numeric(14, 2) NOT NULL CHECK (quantity > 0),
  -- The quote chosen; a reason when it is not the lowest.
  chosen_quote_id uuid,
  reason text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE supply_quotes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purchase_id uuid NOT NULL REFERENCES supply_purchases (id),
  supplier text NOT NULL CHECK (btrim(supplier) <> ''),
  unit_price numeric(14, 4) NOT NULL CHECK (unit_price >= 0),
  note text
);
ALTER TABLE supply_purchases ADD CONSTRAINT supply_purchases_chosen FOREIGN KEY (chosen_quote_id) REFERENCES supply_quotes (id) DEFERRABLE INITIALLY DEFERRED;
-- Stock: in (a purchase or donation in kind), out (distribution to a unit or checkpoint), adjust.
CREATE TABLE supply_movements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  supply_id uuid NOT NULL REFERENCES supplies (id),
  date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('in', 'out', 'adjust')),
  quantity numeric(14, 2) NOT NULL,
  purchase_id uuid REFERENCES supply_purchases (id),
  unit_id uuid REFERENCES units (id),
  checkpoint_id uuid REFERENCES checkpoints (id),
  note text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'adjust') OR quantity > 0)
);
CREATE INDEX supply_movements_supply ON supply_movements (supply_id, date);

-- Supply points (供应点) per community with opening hours ([{ "days": [1..7], "from", "to" }]).
CREATE TABLE supply_points (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id),
  name text NOT NULL CHECK (btrim(name) <> ''),
  location text,
  goods text,
  opening_hours jsonb NOT NULL DEFAULT '[]',
  phone text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE donations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  donor text NOT NULL CHECK (btrim(donor) <> ''),
  amount numeric(14, 2) NOT NULL CHECK (amount > 0),
  date date NOT NULL,
  purpose text,
  note text,
  incident_id uuid REFERENCES health_incidents (id),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE volunteers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  site_id uuid REFERENCES sites (id),
  task text NOT NULL CHECK (btrim(task) <> ''),
  available text,
  active boolean NOT NULL DEFAULT true,
  incident_id uuid REFERENCES health_incidents (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

-- The daily briefing (碰头会日报) as generated: aggregates only, kept after the purge.
CREATE TABLE health_briefings (
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  date date NOT NULL,
  figures jsonb NOT NULL,
  generated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, date)
);

-- A purge run (or dry run): what went, by table, without any personal value.
CREATE TABLE health_purges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES health_incidents (id),
  dry_run boolean NOT NULL,
  counts jsonb NOT NULL,
  run_by uuid REFERENCES users (id),
  run_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO health_rules (code, name_zh, name_en, status, priority, condition) VALUES
  ('RED_CONFIRMED', '确诊病例', 'Confirmed case', 'red', 10, '{"all":[{"fact":"confirmedCase","op":"=","value":true}]}'),
  ('RED_SUSPECTED', '疑似病例', 'Suspected case', 'red', 20, '{"all":[{"fact":"suspectedCase","op":"=","value":true}]}'),
  ('RED_CLOSE_CONTACT', '密切接触者', 'Close contact', 'red', 30, '{"all":[{"fact":"closeContact","op":"=","value":true}]}'),
  ('RED_QUARANTINE', '隔离观察中', 'In quarantine', 'red', 40, '{"all":[{"fact":"inQuarantine","op":"=","value":true}]}'),
  ('RED_HIGH_RISK_TRAVEL', '14天内到过高风险地区', 'High-risk area within 14 days', 'red', 50, '{"all":[{"fact":"riskTravelLevel","op":"=","value":"high"},{"fact":"riskTravelDaysAgo","op":"<=","value":14}]}'),
  ('YELLOW_FEVER', '发热', 'Fever', 'yellow', 60, '{"all":[{"fact":"fever","op":"=","value":true}]}'),
  ('YELLOW_SYMPTOMS', '有症状', 'Symptoms', 'yellow', 70, '{"all":[{"fact":"symptoms","op":"nonEmpty"}]}'),
  ('YELLOW_RISK_TRAVEL', '14天内到过风险地区', 'Risk area within 14 days', 'yellow', 80, '{"all":[{"fact":"riskTravelDaysAgo","op":"<=","value":14}]}');
