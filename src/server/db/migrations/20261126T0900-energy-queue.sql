-- Days waiting to be recomputed (decision 0007, point 7). A batch of readings queues the
-- (meter, day) pairs it touched in its own transaction and returns; the queue is drained in the
-- background (one chunk per transaction, FOR UPDATE SKIP LOCKED so several servers share it) and
-- on demand before a read of the same meters. A pair queued twice is one row.
CREATE TABLE energy_recompute_queue (
  meter_id uuid NOT NULL REFERENCES meters (id),
  day date NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meter_id, day)
);

-- The readings table takes millions of rows, and a foreign-key check per row halved the ingestion
-- rate (decision 0007, point 7). Both references are guaranteed by the one writer instead: the
-- ingestion looks every meter up and creates the batch in the same transaction, and meters are
-- never deleted (they are deactivated).
ALTER TABLE meter_readings DROP CONSTRAINT meter_readings_meter_key_fkey;
ALTER TABLE meter_readings DROP CONSTRAINT meter_readings_batch_id_fkey;
