-- Stored text follows the one text rule new input now meets (glossary/arabic.CleanField): no
-- control characters but tab and line breaks (NUL, the other C0 controls, DEL, the C1
-- controls U+0080–U+009F), and no bidi embedding, override or isolate characters
-- (U+202A–U+202E, U+2066–U+2069). Earlier versions stored them through the API; a terminal
-- runs them from `tarjama export`, and the glossary's import refused its own export. RLM, LRM
-- and ALM (U+200F, U+200E, U+061C) stay. What new input would have refused is removed here,
-- since stored text cannot be sent back; removing the same characters from an article and
-- its segments keeps the segments joining back into the article.
--
-- How: every value holding such a character is copied into the temporary table dirty, cleaned
-- there (a trigger on refused_chars removes each character as it is listed; NUL, which
-- replace() cannot remove, is cut out of the bytes), and written back. A term whose cleaned
-- Arabic is already another term's cannot take it (the Arabic is unique): it is left as it
-- was, for a person to merge. A memory pair that cleans to a pair already stored is a
-- duplicate and is removed. text_cleaning keeps the report, which the program logs once
-- (cmd/tarjama) and marks logged_at.
CREATE TABLE text_cleaning (
    id          INTEGER PRIMARY KEY,
    what        TEXT NOT NULL,              -- the table and column, or the table and what was done
    changed     INTEGER NOT NULL DEFAULT 0, -- rows whose text lost characters (or were removed)
    left_as_was INTEGER NOT NULL DEFAULT 0, -- rows that could not take their cleaned form
    logged_at   TEXT NOT NULL DEFAULT ''
);

-- A GLOB pattern that finds any refused character but NUL (a pattern cannot hold NUL;
-- instr finds it).
CREATE TEMP TABLE refused_glob (p TEXT NOT NULL);
INSERT INTO refused_glob VALUES ('*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31)
    || char(127) || '-' || char(159) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || ']*');

CREATE TEMP TABLE dirty (
    tbl TEXT NOT NULL,
    col TEXT NOT NULL,
    id  NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    PRIMARY KEY (tbl, col, id)
);
INSERT INTO dirty (tbl, col, id, old, new)
          SELECT 'articles', 'title', id, title, title FROM articles WHERE title GLOB (SELECT p FROM refused_glob) OR instr(title, char(0))
UNION ALL SELECT 'articles', 'source_text', id, source_text, source_text FROM articles WHERE source_text GLOB (SELECT p FROM refused_glob) OR instr(source_text, char(0))
UNION ALL SELECT 'articles', 'source_name', id, source_name, source_name FROM articles WHERE source_name GLOB (SELECT p FROM refused_glob) OR instr(source_name, char(0))
UNION ALL SELECT 'segments', 'source', id, source, source FROM segments WHERE source GLOB (SELECT p FROM refused_glob) OR instr(source, char(0))
UNION ALL SELECT 'segments', 'sep', id, sep, sep FROM segments WHERE sep GLOB (SELECT p FROM refused_glob) OR instr(sep, char(0))
UNION ALL SELECT 'segments', 'target', id, target, target FROM segments WHERE target GLOB (SELECT p FROM refused_glob) OR instr(target, char(0))
UNION ALL SELECT 'revisions', 'before', id, before, before FROM revisions WHERE before GLOB (SELECT p FROM refused_glob) OR instr(before, char(0))
UNION ALL SELECT 'revisions', 'after', id, after, after FROM revisions WHERE after GLOB (SELECT p FROM refused_glob) OR instr(after, char(0))
UNION ALL SELECT 'terms', 'arabic', id, arabic, arabic FROM terms WHERE arabic GLOB (SELECT p FROM refused_glob) OR instr(arabic, char(0))
UNION ALL SELECT 'terms', 'arabic_norm', id, arabic_norm, arabic_norm FROM terms WHERE arabic_norm GLOB (SELECT p FROM refused_glob) OR instr(arabic_norm, char(0))
UNION ALL SELECT 'terms', 'english', id, english, english FROM terms WHERE english GLOB (SELECT p FROM refused_glob) OR instr(english, char(0))
UNION ALL SELECT 'terms', 'note', id, note, note FROM terms WHERE note GLOB (SELECT p FROM refused_glob) OR instr(note, char(0))
UNION ALL SELECT 'terms', 'variants', id, variants, variants FROM terms WHERE variants GLOB (SELECT p FROM refused_glob) OR instr(variants, char(0))
UNION ALL SELECT 'terms', 'variants_norm', id, variants_norm, variants_norm FROM terms WHERE variants_norm GLOB (SELECT p FROM refused_glob) OR instr(variants_norm, char(0))
UNION ALL SELECT 'terms', 'english_alternatives', id, english_alternatives, english_alternatives FROM terms WHERE english_alternatives GLOB (SELECT p FROM refused_glob) OR instr(english_alternatives, char(0))
UNION ALL SELECT 'terms', 'english_fold', id, english_fold, english_fold FROM terms WHERE english_fold GLOB (SELECT p FROM refused_glob) OR instr(english_fold, char(0))
UNION ALL SELECT 'terms', 'forbidden', id, forbidden, forbidden FROM terms WHERE forbidden GLOB (SELECT p FROM refused_glob) OR instr(forbidden, char(0))
UNION ALL SELECT 'tm', 'source', id, source, source FROM tm WHERE source GLOB (SELECT p FROM refused_glob) OR instr(source, char(0))
UNION ALL SELECT 'tm', 'source_norm', id, source_norm, source_norm FROM tm WHERE source_norm GLOB (SELECT p FROM refused_glob) OR instr(source_norm, char(0))
UNION ALL SELECT 'tm', 'target', id, target, target FROM tm WHERE target GLOB (SELECT p FROM refused_glob) OR instr(target, char(0))
UNION ALL SELECT 'mt_cache', 'translation', key, translation, translation FROM mt_cache WHERE translation GLOB (SELECT p FROM refused_glob) OR instr(translation, char(0));

-- Every refused character but NUL: the C0 controls but tab (9), line feed (10) and carriage
-- return (13); DEL and the C1 controls (127–159); the nine bidi controls.
CREATE TEMP TABLE refused_chars (c TEXT NOT NULL);
CREATE TEMP TRIGGER remove_refused_char AFTER INSERT ON refused_chars BEGIN
    UPDATE dirty SET new = replace(new, NEW.c, '') WHERE instr(new, NEW.c);
END;
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 159)
INSERT INTO refused_chars (c) SELECT char(x) FROM n WHERE x < 32 AND x NOT IN (9, 10, 13) OR x >= 127;
WITH RECURSIVE n(x) AS (SELECT 8234 UNION ALL SELECT x + 1 FROM n WHERE x < 8297)
INSERT INTO refused_chars (c) SELECT char(x) FROM n WHERE x <= 8238 OR x >= 8294;

-- NUL: replace() takes a NUL pattern for an empty one, so the bytes are cut at each NUL and
-- the pieces joined.
CREATE TEMP TABLE nul_free AS
WITH RECURSIVE cut(tbl, col, id, rest, acc) AS (
    SELECT tbl, col, id, CAST(new AS BLOB), '' FROM dirty WHERE instr(new, char(0))
    UNION ALL
    SELECT tbl, col, id,
        CASE WHEN instr(rest, x'00') THEN substr(rest, instr(rest, x'00') + 1) ELSE x'' END,
        acc || CASE WHEN instr(rest, x'00') THEN substr(rest, 1, instr(rest, x'00') - 1) ELSE rest END
    FROM cut WHERE length(rest) > 0
)
SELECT tbl, col, id, CAST(acc AS TEXT) AS v FROM cut WHERE length(rest) = 0;
UPDATE dirty SET new = n.v FROM nul_free n WHERE n.tbl = dirty.tbl AND n.col = dirty.col AND n.id = dirty.id;

-- A normalized form has its spaces run together and trimmed: where a removed character stood
-- between two spaces, it is so again.
UPDATE dirty SET new = trim(replace(replace(new, '  ', ' '), '  ', ' ')) WHERE col IN ('arabic_norm', 'source_norm');
UPDATE dirty SET new = replace(replace(new, '  ', ' '), '  ', ' ') WHERE col = 'variants_norm';

-- Terms whose cleaned Arabic another term has (or a term before them in the list gets) keep
-- their text.
CREATE TEMP TABLE left_terms AS SELECT d.id FROM dirty d WHERE d.tbl = 'terms' AND d.col = 'arabic_norm' AND (
    EXISTS (SELECT 1 FROM terms t WHERE t.arabic_norm = d.new AND t.id != d.id)
    OR EXISTS (SELECT 1 FROM dirty d2 WHERE d2.tbl = 'terms' AND d2.col = 'arabic_norm' AND d2.new = d.new AND d2.id < d.id));
DELETE FROM dirty WHERE tbl = 'terms' AND id IN (SELECT id FROM left_terms);

-- Memory pairs that clean to a stored pair (or to one before them) are duplicates.
CREATE TEMP TABLE tm_cleaned AS SELECT tm.id,
    coalesce((SELECT new FROM dirty WHERE tbl = 'tm' AND col = 'source_norm' AND id = tm.id), tm.source_norm) AS source_norm,
    coalesce((SELECT new FROM dirty WHERE tbl = 'tm' AND col = 'target' AND id = tm.id), tm.target) AS target
    FROM tm WHERE tm.id IN (SELECT id FROM dirty WHERE tbl = 'tm');
CREATE TEMP TABLE tm_duplicates AS SELECT c.id FROM tm_cleaned c WHERE
    EXISTS (SELECT 1 FROM tm WHERE tm.source_norm = c.source_norm AND tm.target = c.target AND tm.id != c.id)
    OR EXISTS (SELECT 1 FROM tm_cleaned c2 WHERE c2.source_norm = c.source_norm AND c2.target = c.target AND c2.id < c.id);
DELETE FROM tm WHERE id IN (SELECT id FROM tm_duplicates);
DELETE FROM tm_tokens WHERE tm_id IN (SELECT id FROM tm_duplicates);
DELETE FROM dirty WHERE tbl = 'tm' AND id IN (SELECT id FROM tm_duplicates);

-- The report: per column, the rows that change (the derived search columns go with theirs).
INSERT INTO text_cleaning (what, changed)
SELECT tbl || '.' || col, COUNT(*) FROM dirty
WHERE new != old AND col NOT IN ('arabic_norm', 'variants_norm', 'english_fold', 'source_norm')
GROUP BY tbl, col ORDER BY min(rowid);
INSERT INTO text_cleaning (what, left_as_was)
SELECT 'terms (their Arabic, cleaned, is another term''s: merge them by hand)', COUNT(*) FROM left_terms HAVING COUNT(*) > 0;
INSERT INTO text_cleaning (what, changed)
SELECT 'tm (pairs that, cleaned, were already in the memory: removed)', COUNT(*) FROM tm_duplicates HAVING COUNT(*) > 0;

UPDATE articles SET
    title = coalesce((SELECT new FROM dirty WHERE tbl = 'articles' AND col = 'title' AND id = articles.id), title),
    source_text = coalesce((SELECT new FROM dirty WHERE tbl = 'articles' AND col = 'source_text' AND id = articles.id), source_text),
    source_name = coalesce((SELECT new FROM dirty WHERE tbl = 'articles' AND col = 'source_name' AND id = articles.id), source_name)
WHERE id IN (SELECT id FROM dirty WHERE tbl = 'articles');
UPDATE segments SET
    source = coalesce((SELECT new FROM dirty WHERE tbl = 'segments' AND col = 'source' AND id = segments.id), source),
    sep = coalesce((SELECT new FROM dirty WHERE tbl = 'segments' AND col = 'sep' AND id = segments.id), sep),
    target = coalesce((SELECT new FROM dirty WHERE tbl = 'segments' AND col = 'target' AND id = segments.id), target)
WHERE id IN (SELECT id FROM dirty WHERE tbl = 'segments');
UPDATE revisions SET
    before = coalesce((SELECT new FROM dirty WHERE tbl = 'revisions' AND col = 'before' AND id = revisions.id), before),
    after = coalesce((SELECT new FROM dirty WHERE tbl = 'revisions' AND col = 'after' AND id = revisions.id), after)
WHERE id IN (SELECT id FROM dirty WHERE tbl = 'revisions');
UPDATE terms SET
    arabic = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'arabic' AND id = terms.id), arabic),
    arabic_norm = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'arabic_norm' AND id = terms.id), arabic_norm),
    english = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'english' AND id = terms.id), english),
    note = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'note' AND id = terms.id), note),
    variants = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'variants' AND id = terms.id), variants),
    variants_norm = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'variants_norm' AND id = terms.id), variants_norm),
    english_alternatives = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'english_alternatives' AND id = terms.id), english_alternatives),
    english_fold = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'english_fold' AND id = terms.id), english_fold),
    forbidden = coalesce((SELECT new FROM dirty WHERE tbl = 'terms' AND col = 'forbidden' AND id = terms.id), forbidden)
WHERE id IN (SELECT id FROM dirty WHERE tbl = 'terms');
UPDATE tm SET
    source = coalesce((SELECT new FROM dirty WHERE tbl = 'tm' AND col = 'source' AND id = tm.id), source),
    source_norm = coalesce((SELECT new FROM dirty WHERE tbl = 'tm' AND col = 'source_norm' AND id = tm.id), source_norm),
    target = coalesce((SELECT new FROM dirty WHERE tbl = 'tm' AND col = 'target' AND id = tm.id), target)
WHERE id IN (SELECT id FROM dirty WHERE tbl = 'tm');
-- A memory pair's word index comes from its normalized source: it is rebuilt on first use.
DELETE FROM tm_tokens WHERE tm_id IN (SELECT id FROM dirty WHERE tbl = 'tm' AND col = 'source_norm');
UPDATE tm SET indexed = 0 WHERE id IN (SELECT id FROM dirty WHERE tbl = 'tm' AND col = 'source_norm');
UPDATE mt_cache SET translation = d.new FROM dirty d WHERE d.tbl = 'mt_cache' AND d.id = mt_cache.key;

-- Matchers built from the old terms are out of date.
UPDATE glossary_version SET n = n + 1 WHERE EXISTS (SELECT 1 FROM dirty WHERE tbl = 'terms');

DROP TRIGGER remove_refused_char;
DROP TABLE refused_chars;
DROP TABLE refused_glob;
DROP TABLE nul_free;
DROP TABLE left_terms;
DROP TABLE tm_cleaned;
DROP TABLE tm_duplicates;
DROP TABLE dirty;
