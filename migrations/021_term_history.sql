-- Term history (issue 13): every change of a glossary term — created, updated, deleted, by a
-- person on the page or the API, by an import, or by undoing one — is a row of term_revisions
-- with who, when, the whole term before and after, and the import it came with; every import
-- that is written is a row of glossary_imports, which an undo marks. glossary.Store writes both
-- in the transaction that changes the terms.

CREATE TABLE glossary_imports (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    format      TEXT NOT NULL DEFAULT '',
    mode        TEXT NOT NULL CHECK (mode IN ('merge', 'replace')),
    imported_by TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    undone_at   TEXT NOT NULL DEFAULT '', -- '' while the import stands
    undone_by   TEXT NOT NULL DEFAULT '',
    -- The terms it added are the ids added_from to added_to (NULL when it added none): an
    -- import gives its new terms ids one after another, above every id a term has had. Their
    -- creation is this row, not one revision each (see term_revisions).
    added_from  INTEGER,
    added_to    INTEGER
);
CREATE INDEX glossary_imports_added ON glossary_imports (added_to) WHERE added_to IS NOT NULL;

-- A term's id stays its own after the term is deleted (glossary.Store never gives it to a new
-- term), so term_id names one term through all its revisions, and undoing an import puts a
-- removed term back under its old id. No foreign keys: the term may be gone, and an import's
-- revisions are written by the thousand.
CREATE TABLE term_revisions (
    id         INTEGER PRIMARY KEY,
    term_id    INTEGER NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    import_id  INTEGER, -- the glossary_imports row of the import that made the change
    undo_of    INTEGER, -- the glossary_imports row of the import whose undo made the change
    before     TEXT,    -- the term as JSON (glossary.Term's fields) before an update or a delete
    after      TEXT     -- the term as JSON after an update
);
-- A create keeps no copy of the term: as created, it is the term's state before its next
-- revision, or the term itself while it has none. The terms an import adds have no create
-- revision at all: their creation is the import's row (added_from, added_to; who, when), so an
-- import of 100,000 new terms writes its history in one row.
CREATE INDEX term_revisions_term ON term_revisions (term_id, id);
CREATE INDEX term_revisions_import ON term_revisions (import_id) WHERE import_id IS NOT NULL;

-- The word index of migration 012 learns of a term inserted under an id below the highest it
-- has indexed from term_changes. Only an undo puts a term back under its old id (new terms get
-- ids above every id a term has had), and it logs those terms itself; a trigger on every
-- insert cost an import of 100,000 terms a tenth of its time.
DROP TRIGGER term_changes_insert;
