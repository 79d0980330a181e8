-- Every stored time in one fixed-width UTC form, 2006-01-02T15:04:05.000000000Z (Go's
-- migrations/timestamp.Layout), so text order is time order. Earlier versions wrote RFC 3339 with
-- the fraction's trailing zeros dropped ("…:05Z", "…:05.5Z", which sorted the wrong way round) and
-- schema_migrations.applied_at without a fraction. Tarjama always wrote UTC ("Z"); a value in no
-- form it wrote (an empty finished_at or last_used_at means "not yet") is left as it is.
--
-- The rewrite is worked out once for every distinct value in ts_rewrite, then applied to each
-- column. The form: the seconds, a point, the fraction padded with zeros to nine digits, Z.
CREATE TEMP TABLE ts_rewrite (old TEXT PRIMARY KEY, new TEXT NOT NULL);

INSERT INTO ts_rewrite (old, new)
SELECT v, substr(rtrim(v, 'Z') || CASE WHEN length(v) = 20 THEN '.' ELSE '' END || '000000000', 1, 29) || 'Z'
FROM (
    SELECT created_at AS v FROM articles
    UNION SELECT updated_at FROM segments
    UNION SELECT created_at FROM revisions
    UNION SELECT updated_at FROM terms
    UNION SELECT created_at FROM tm
    UNION SELECT created_at FROM mt_cache
    UNION SELECT created_at FROM users
    UNION SELECT loaded_at FROM seed_loads
    UNION SELECT started_at FROM mt_runs
    UNION SELECT finished_at FROM mt_runs
    UNION SELECT created_at FROM sessions
    UNION SELECT expires_at FROM sessions
    UNION SELECT created_at FROM api_tokens
    UNION SELECT last_used_at FROM api_tokens
    UNION SELECT saved_at FROM settings_saves
    UNION SELECT applied_at FROM schema_migrations
)
WHERE v GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
   OR (v GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9]*Z'
       AND length(v) <= 30 AND substr(v, 21, length(v) - 21) NOT GLOB '*[^0-9]*');

UPDATE articles SET created_at = r.new FROM ts_rewrite r WHERE r.old = articles.created_at;
UPDATE segments SET updated_at = r.new FROM ts_rewrite r WHERE r.old = segments.updated_at;
UPDATE revisions SET created_at = r.new FROM ts_rewrite r WHERE r.old = revisions.created_at;
UPDATE terms SET updated_at = r.new FROM ts_rewrite r WHERE r.old = terms.updated_at;
UPDATE tm SET created_at = r.new FROM ts_rewrite r WHERE r.old = tm.created_at;
UPDATE mt_cache SET created_at = r.new FROM ts_rewrite r WHERE r.old = mt_cache.created_at;
UPDATE users SET created_at = r.new FROM ts_rewrite r WHERE r.old = users.created_at;
UPDATE seed_loads SET loaded_at = r.new FROM ts_rewrite r WHERE r.old = seed_loads.loaded_at;
UPDATE mt_runs SET started_at = r.new FROM ts_rewrite r WHERE r.old = mt_runs.started_at;
UPDATE mt_runs SET finished_at = r.new FROM ts_rewrite r WHERE r.old = mt_runs.finished_at;
UPDATE sessions SET created_at = r.new FROM ts_rewrite r WHERE r.old = sessions.created_at;
UPDATE sessions SET expires_at = r.new FROM ts_rewrite r WHERE r.old = sessions.expires_at;
UPDATE api_tokens SET created_at = r.new FROM ts_rewrite r WHERE r.old = api_tokens.created_at;
UPDATE api_tokens SET last_used_at = r.new FROM ts_rewrite r WHERE r.old = api_tokens.last_used_at;
UPDATE settings_saves SET saved_at = r.new FROM ts_rewrite r WHERE r.old = settings_saves.saved_at;
UPDATE schema_migrations SET applied_at = r.new FROM ts_rewrite r WHERE r.old = schema_migrations.applied_at;

DROP TABLE ts_rewrite;
