-- A counter every glossary write bumps in its own transaction, so every process sharing the
-- file (a server, the CLI) sees that its cached term matcher is stale.
CREATE TABLE glossary_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO glossary_version (id, n) VALUES (1, 0);
