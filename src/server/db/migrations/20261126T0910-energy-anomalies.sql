-- Energy anomalies (issue 5, part 5) are ordinary warning rules with their own codes: EN_DRIFT (an
-- ISO 50006 regression baseline of a meter's daily use on production, with a CUSUM of the
-- differences) and EN_CHART (an individuals chart of daily use per tonne). Their parameters name
-- the meter; the warning's unit is the meter's unit. Nothing else needs a table: the evidence is
-- computed from energy_daily and production_daily when it is read. EN_QUALITY (data quality) names a
-- unit instead: it watches the suspect, unconfirmed days of the meters of the unit and below it.
ALTER TABLE warning_rules DROP CONSTRAINT warning_rules_code_check;
ALTER TABLE warning_rules ADD CONSTRAINT warning_rules_code_check CHECK (code IN (
  'TARGET', 'GAP_WIDENING',
  'WE1', 'WE2', 'WE3', 'WE4', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8',
  'DQ_RANGE', 'DQ_STUCK', 'DQ_JUMP', 'DQ_MISSING',
  'EN_DRIFT', 'EN_CHART', 'EN_QUALITY'));

-- The scan finds the rules of a meter by its code.
CREATE INDEX warning_rules_meter_idx ON warning_rules ((params ->> 'meter')) WHERE code IN ('EN_DRIFT', 'EN_CHART');
