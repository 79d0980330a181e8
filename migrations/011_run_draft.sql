-- Whether a machine-translation run only drafted (the offline backend), so the run history says
-- so as the run's own answer did. Numbered after main's 010_settings.sql.
ALTER TABLE mt_runs ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
