-- The machine-translation settings saved on the Settings page, so a restart keeps them: one
-- row per field, each naming the save that last changed it. API keys are never stored here
-- (a database file gets copied and backed up); they come from the environment or a flag.
CREATE TABLE settings_saves (
    id       INTEGER PRIMARY KEY,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE TABLE settings (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL,
    save_id INTEGER NOT NULL REFERENCES settings_saves(id)
);
