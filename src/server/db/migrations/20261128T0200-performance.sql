-- Indexes for reads whose cost grew with the history instead of with their answer (issue 9
-- item 2; docs/performance.md, "How cost grows").

-- The gate's scan asks whether the person is on the block list by person, ID number or phone
-- (gate.repository.ts subjectColumns; idNumberBlocked): only the person was indexed, so every scan
-- read the whole list. With these the OR is three index probes.
CREATE INDEX block_list_id_number ON block_list (id_number_bidx) WHERE removed_at IS NULL AND id_number_bidx IS NOT NULL;
CREATE INDEX block_list_phone ON block_list (phone_bidx) WHERE removed_at IS NULL AND phone_bidx IS NOT NULL;

-- The weekly notice reads one week of problems, warnings and approvals
-- (notices.repository.ts): without these each notice read every problem, warning and
-- measurement ever stored.
CREATE INDEX problems_raised_at ON problems (raised_at);
CREATE INDEX problems_closed_at ON problems (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX warnings_notified_at ON warnings (notified_at) WHERE notified_at IS NOT NULL;
CREATE INDEX warnings_created_at ON warnings (created_at);
CREATE INDEX measurements_approved_at ON measurements (approved_at) WHERE approved_at IS NOT NULL;

-- The daily briefing counts the fevers of an incident's whole course every day
-- (briefing.figures.ts feverRows): declarations at or above the incident's threshold. This finds
-- them by temperature instead of reading every declaration of the incident.
CREATE INDEX health_declarations_fever ON health_declarations (incident_id, temperature_c) WHERE temperature_c IS NOT NULL;
