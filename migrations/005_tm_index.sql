-- Word index of the translation memory for fuzzy matching (translate/tm.go): each entry's
-- distinct normalized source tokens, and its token count for the length filter. The rows are
-- written in Go because tokenizing needs the Arabic normalizer. Entries with indexed = 0 (rows
-- written before this migration, or by code that skipped the hook) are indexed before the next
-- fuzzy lookup.
ALTER TABLE tm ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tm ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tm_unindexed ON tm(id) WHERE indexed = 0;

CREATE TABLE tm_tokens (
    token TEXT NOT NULL,
    tm_id INTEGER NOT NULL REFERENCES tm(id) ON DELETE CASCADE,
    PRIMARY KEY (token, tm_id)
) WITHOUT ROWID;
CREATE INDEX tm_tokens_entry ON tm_tokens(tm_id);
