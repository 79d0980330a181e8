-- Word index of the glossary for its search (glossary.Store.List): every word a term is found
-- by — each word of its normalized Arabic and variants, with and without the article, and of
-- its lower-cased English and alternatives — with the term's id, so that a search reads one
-- index range per word of the query instead of every row.
--
-- The words are computed in Go (they need the Arabic normalizer), so SQL alone cannot keep
-- the index, and keeping it row by row inside every write would make an import of 100,000
-- terms several times slower. So the writes only log the ids of the terms they update or
-- delete in term_changes (an append), and the store brings the index up to date before the
-- next search (glossary.Store.List), in bulk and in key order: it indexes the logged terms
-- again and the terms added since, which are those with an id above every id left in
-- term_index once the logged ones are out (SQLite gives a new row the highest id plus one).
-- A row inserted with an id of its own below those (a term restored under its old id) is
-- logged too. The terms already here when this migration runs are all above an empty index.

CREATE TABLE term_words (
    word    TEXT NOT NULL,
    term_id INTEGER NOT NULL,
    PRIMARY KEY (word, term_id)
) WITHOUT ROWID;

-- Every indexed term, with the words term_words holds for it, separated by spaces: what to
-- take out when the term changes or goes.
CREATE TABLE term_index (
    term_id INTEGER PRIMARY KEY,
    words   TEXT NOT NULL
);

-- Terms updated, deleted, or inserted under an old id since the index was last brought up
-- to date.
CREATE TABLE term_changes (
    seq     INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL
);

CREATE TRIGGER term_changes_insert AFTER INSERT ON terms
    WHEN NEW.id <= (SELECT MAX(term_id) FROM term_index)
BEGIN
    INSERT INTO term_changes (term_id) VALUES (NEW.id);
END;

CREATE TRIGGER term_changes_update AFTER UPDATE ON terms
    WHEN OLD.arabic_norm IS NOT NEW.arabic_norm OR OLD.variants_norm IS NOT NEW.variants_norm
        OR OLD.english_fold IS NOT NEW.english_fold OR OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO term_changes (term_id) VALUES (OLD.id);
    INSERT INTO term_changes (term_id) SELECT NEW.id WHERE NEW.id IS NOT OLD.id;
END;

CREATE TRIGGER term_changes_delete AFTER DELETE ON terms
BEGIN
    INSERT INTO term_changes (term_id) VALUES (OLD.id);
END;
