-- The review screen's actions (issue 14).
--
-- A memory entry remembers the segment whose approval taught it, so that segment is never
-- offered its own approved text as a match, while another segment with the same Arabic is.
-- Deleting an article keeps its memory: the link is cleared, the pair stays. Entries approved
-- before this migration are linked to an approved segment with that very text, when one is.
ALTER TABLE tm ADD COLUMN segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL;
CREATE INDEX tm_segment ON tm(segment_id) WHERE segment_id IS NOT NULL;
UPDATE tm SET segment_id = (
    SELECT MAX(s.id) FROM segments s WHERE s.source = tm.source AND s.target = tm.target AND s.status = 'approved'
) WHERE origin = 'approved';

-- New kinds of revision: "unapprove" (back to edited, note: the reason), "restore" (an older
-- text brought back, note: which), "replace" (find and replace, note: what was replaced),
-- "split" and "merge" (the Arabic cut or joined, note: how); note (migration 018) says in
-- words what a revision did beyond its texts. merged_from keeps, on a revision moved here by
-- a merge, the segment it was written on, so the history of both rows stays whole and tells
-- them apart. SQLite cannot change a CHECK constraint in place, so the table is rebuilt with
-- its rows and index.
CREATE TABLE revisions_new (
    id          INTEGER PRIMARY KEY,
    segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('machine', 'tm', 'edit', 'approve', 'status', 'theirs', 'imported', 'ignore',
                                              'unapprove', 'restore', 'replace', 'split', 'merge')),
    author      TEXT NOT NULL DEFAULT '',
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    backend     TEXT NOT NULL DEFAULT '',
    model       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    merged_from INTEGER NOT NULL DEFAULT 0
);
INSERT INTO revisions_new (id, segment_id, kind, author, before, after, backend, model, created_at, note)
    SELECT id, segment_id, kind, author, before, after, backend, model, created_at, note FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_new RENAME TO revisions;
CREATE INDEX revisions_segment ON revisions(segment_id, id);
