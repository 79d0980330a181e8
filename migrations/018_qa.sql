-- Quality checks (issue 11).
--
-- An "ignore" revision records a reviewer setting aside a finding of the checks before
-- approving: the text stays (before = after), note names the check and the message. SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt with its rows and index;
-- the list keeps "imported" (XLIFF revisions, migration 017) so the two migrations agree
-- whichever of them a database met first.
CREATE TABLE revisions_new (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('machine', 'tm', 'edit', 'approve', 'status', 'theirs', 'imported', 'ignore')),
    author     TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    backend    TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
INSERT INTO revisions_new (id, segment_id, kind, author, before, after, backend, model, created_at)
    SELECT id, segment_id, kind, author, before, after, backend, model, created_at FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_new RENAME TO revisions;
CREATE INDEX revisions_segment ON revisions(segment_id, id);

-- The open (not ignored) findings of each segment's current English, counted by severity when
-- the English is written and again for every segment when the settings change, so the article
-- list shows them without running the checks. Excluded segments count none.
ALTER TABLE segments ADD COLUMN qa_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN qa_warnings INTEGER NOT NULL DEFAULT 0;
-- The findings of the machine output a segment last got (a JSON array), kept like
-- machine_flags for the quality figures per backend, model and check.
ALTER TABLE segments ADD COLUMN machine_findings TEXT NOT NULL DEFAULT '';

-- A reviewer's explicit "Ignore" of a finding on a segment, by the finding's key (its check
-- and message, which name the values involved): an edit that changes the finding changes the
-- key, and the finding is open again.
CREATE TABLE qa_ignores (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (segment_id, key)
);

-- The running sums the length check learns its ratio from: approved pairs, and the letters of
-- their Arabic and English, as qa.LengthStats counts them. Approving adds a pair, taking an
-- approval back subtracts it. There is no row until the program counts the approved segments
-- once (letters are counted as Go counts them, which SQL cannot), in the same transaction
-- that counts every segment's findings.
CREATE TABLE qa_length (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    pairs   INTEGER NOT NULL,
    arabic  INTEGER NOT NULL,
    english INTEGER NOT NULL
);

-- Which settings a save was of: the machine-translation settings, or the quality checks'
-- (one row, "qa", holding them as JSON), so each part of the settings page names who saved it.
ALTER TABLE settings_saves ADD COLUMN part TEXT NOT NULL DEFAULT 'translation';
