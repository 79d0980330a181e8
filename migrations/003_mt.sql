-- Machine-translation runs: what ran on which article, how it went and what it cost.
CREATE TABLE mt_runs (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    backend           TEXT NOT NULL,
    model             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    started_at        TEXT NOT NULL,
    finished_at       TEXT NOT NULL DEFAULT '',
    segments          INTEGER NOT NULL DEFAULT 0,
    pending           INTEGER NOT NULL DEFAULT 0,
    translated        INTEGER NOT NULL DEFAULT 0,
    from_tm           INTEGER NOT NULL DEFAULT 0,
    from_cache        INTEGER NOT NULL DEFAULT 0,
    failed            INTEGER NOT NULL DEFAULT 0,
    flagged           INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    untouched         INTEGER NOT NULL DEFAULT 0,
    requests          INTEGER NOT NULL DEFAULT 0,
    retries           INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    error             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mt_runs_article ON mt_runs(article_id, id);
