-- Articles and their segments: the review unit is the segment.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    source_text TEXT NOT NULL,
    source_name TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    source     TEXT NOT NULL,
    sep        TEXT NOT NULL DEFAULT '',
    target     TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'untranslated'
               CHECK (status IN ('untranslated', 'draft', 'machine', 'tm', 'edited', 'approved', 'failed', 'excluded')),
    origin     TEXT NOT NULL DEFAULT '',
    backend    TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    flags      TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (article_id, idx)
);

-- Every change of a segment's target, machine or human.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('machine', 'tm', 'edit', 'approve', 'status')),
    author     TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    backend    TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX revisions_segment ON revisions(segment_id, id);

-- The shared glossary; arabic_norm is the normalized Arabic form and keeps terms unique.
CREATE TABLE terms (
    id                   INTEGER PRIMARY KEY,
    arabic               TEXT NOT NULL,
    arabic_norm          TEXT NOT NULL UNIQUE,
    english              TEXT NOT NULL,
    type                 TEXT NOT NULL CHECK (type IN ('name', 'term')),
    variants             TEXT NOT NULL DEFAULT '',
    english_alternatives TEXT NOT NULL DEFAULT '',
    forbidden            TEXT NOT NULL DEFAULT '',
    note                 TEXT NOT NULL DEFAULT '',
    do_not_translate     INTEGER NOT NULL DEFAULT 0,
    updated_by           TEXT NOT NULL DEFAULT '',
    updated_at           TEXT NOT NULL
);

-- Approved pairs, keyed by normalized Arabic.
CREATE TABLE tm (
    id          INTEGER PRIMARY KEY,
    source_norm TEXT NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (source_norm, target)
);

-- Machine output cached by backend, model, normalized source and the glossary terms used.
CREATE TABLE mt_cache (
    key         TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

-- Which embedded seed files have been loaded, so a restart does not load them twice.
CREATE TABLE seed_loads (
    name      TEXT PRIMARY KEY,
    loaded_at TEXT NOT NULL
);
