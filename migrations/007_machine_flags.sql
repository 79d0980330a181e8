-- The flags of the machine output a segment last got, kept apart from its current flags:
-- a reviewer's save rechecks the current flags against the new text, while the quality
-- figures count what the machine got wrong. Until now only machine output ever set flags,
-- so the current flags are the machine's.
ALTER TABLE segments ADD COLUMN machine_flags TEXT NOT NULL DEFAULT '';
UPDATE segments SET machine_flags = flags;
