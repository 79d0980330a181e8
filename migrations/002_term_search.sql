-- Derived columns that glossary.Store keeps for List's search: the normalized Arabic variants
-- and the lower-cased English with its alternatives, one item per line. They are computed in Go
-- (the Arabic normalizer and Unicode lower-casing are not available in SQL).
ALTER TABLE terms ADD COLUMN variants_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE terms ADD COLUMN english_fold TEXT NOT NULL DEFAULT '';
UPDATE terms SET english_fold = lower(english) || CASE WHEN english_alternatives = '' THEN ''
    ELSE char(10) || lower(replace(english_alternatives, '|', char(10))) END;
