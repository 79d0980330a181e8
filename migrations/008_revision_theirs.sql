-- A "theirs" revision records a reviewer settling a conflict by taking the text saved first:
-- before is the reviewer's own text, set aside, after the text kept. SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt with its rows and index.
CREATE TABLE revisions_new (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('machine', 'tm', 'edit', 'approve', 'status', 'theirs')),
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
