-- A translation run holds a lease that its process renews every few seconds while it works
-- (lease_until, in migrations/timestamp's form). A run still "running" whose lease has
-- lapsed lost its process — killed, crashed, its machine gone — and reads as interrupted;
-- nothing has to mark it, so no start of another process ever marks a run that is alive.
ALTER TABLE mt_runs ADD COLUMN lease_until TEXT NOT NULL DEFAULT '';

-- Runs left "running" by versions without leases were cut off when their process stopped
-- (a newer serve would have marked them failed): their lease ended as they started.
UPDATE mt_runs SET lease_until = started_at WHERE status = 'running';
