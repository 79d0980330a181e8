-- An "imported" revision records English brought in from a bilingual (XLIFF) file: a
-- translator's work in another tool coming back into its article, or the targets of another
-- tool's file imported as a new article. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt with its rows and index.
CREATE TABLE revisions_new (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('machine', 'tm', 'edit', 'approve', 'status', 'theirs', 'imported')),
    author     TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    backend    TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
INSERT INTO revisions_new (id, segment_id, kind, author, before, after, backend, model, created_at)
    SELECT id, segment_id, kind, author, before, after, backend, model, created_at FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_new RENAME TO revisions;
CREATE INDEX revisions_segment ON revisions(segment_id, id);
