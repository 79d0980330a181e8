-- Who started each machine-translation run (a reviewer's name, or the OS user of the CLI);
-- the machine and memory revisions of the run carry the same name as their author.
ALTER TABLE mt_runs ADD COLUMN started_by TEXT NOT NULL DEFAULT '';
