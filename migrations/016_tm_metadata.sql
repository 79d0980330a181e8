-- What a TMX file says about a memory entry, kept so that an export gives it back: the unit's
-- tuid, who created and who last changed it (creationid, changeid) and when it changed
-- (changedate; created_at holds the creationdate), and its notes and properties, those of its
-- Arabic and English variants included, as JSON arrays (translate/tmx's Note and Prop). Empty
-- when the entry has none, as every entry a reviewer approved.
ALTER TABLE tm ADD COLUMN tuid TEXT NOT NULL DEFAULT '';
ALTER TABLE tm ADD COLUMN creation_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tm ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE tm ADD COLUMN change_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tm ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE tm ADD COLUMN props TEXT NOT NULL DEFAULT '';

-- The word index of the memory (005) without its foreign key and its second index by entry. An
-- import of 50,000 units writes some 750,000 (token, entry) rows, and each row had its entry
-- looked up and went into a second tree in an order of its own: most of the import's time. The
-- memory removes an entry's rows itself, through the primary key, by the entry's words
-- (translate/memory's Remember), and a lookup joins tm, so a row left behind matches nothing.
CREATE TABLE tm_words (
    token TEXT NOT NULL,
    tm_id INTEGER NOT NULL,
    PRIMARY KEY (token, tm_id)
) WITHOUT ROWID;
INSERT INTO tm_words (token, tm_id) SELECT token, tm_id FROM tm_tokens;
DROP TABLE tm_tokens;
ALTER TABLE tm_words RENAME TO tm_tokens;
