-- Retention of the access-control data (issue 8 item 2, PI-5): the job access-purge deletes gate
-- events and ended visits older than GATE_EVENT_RETENTION_DAYS, oldest first, in batches. These
-- indexes let each batch find its rows by time instead of scanning the table.
--
-- Foreign keys checked: nothing references gate_events; abnormal_cases.source_ref names the gate
-- event that opened a case without a foreign key (it also names declarations, screenings and
-- exposures), and a case keeps its own temperature and time, so no ON DELETE rule is needed.
-- passes.visit_id has no foreign key either; the purge deletes a visit's passes with it.
CREATE INDEX gate_events_at ON gate_events (at);
CREATE INDEX visits_ends_at ON visits (ends_at);
