"""The SQL of migration 8 (methods evidence), kept apart from ``schema`` so that file stays small.

* ``coders`` is rebuilt, as in migration 6, to admit kinds ``training`` (a trainee coding
  the training set) and ``retest`` (a coder recoding a sample of their own comments); such
  a coder names the ``person`` it belongs to. Study code selects kind ``coder``, so these
  codings never reach agreement, reconciliation or the report tables.
* ``training_items``: the comments of the training set, each with its gold coding (a
  snapshot of the agreed coding when it was marked) and the rationale shown to trainees.
* ``retest_samples``/``retest_items``: one sample per coder, each comment with a snapshot
  of the coder's first coding and when it was made.

Snapshots, not references: a later edit of the agreed or first coding does not move a
gold standard or a baseline already used.
"""

TITLE = "methods evidence: training and retest coders, the training set with its gold coding, retest samples"

SQL = """
CREATE TABLE coders_v8 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL DEFAULT 'coder'
        CHECK (kind IN ('coder', 'agreed', 'model', 'training', 'retest')),
    suggestions INTEGER NOT NULL DEFAULT 0 CHECK (suggestions IN (0, 1)),
    created_at TEXT NOT NULL,
    person TEXT COLLATE NOCASE,
    CHECK ((kind IN ('training', 'retest')) = (person IS NOT NULL))
);
INSERT INTO coders_v8 (id, name, kind, suggestions, created_at)
    SELECT id, name, kind, suggestions, created_at FROM coders;
DROP TABLE coders;
ALTER TABLE coders_v8 RENAME TO coders;
CREATE UNIQUE INDEX coders_person_kind ON coders(person, kind) WHERE person IS NOT NULL;
CREATE TABLE training_items (
    comment_id INTEGER PRIMARY KEY REFERENCES comments(id),
    category_key TEXT NOT NULL REFERENCES categories(key),
    themes TEXT NOT NULL DEFAULT '[]',
    rationale TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL
);
CREATE TABLE retest_samples (
    id INTEGER PRIMARY KEY,
    coder_id INTEGER NOT NULL UNIQUE REFERENCES coders(id),
    retest_coder_id INTEGER NOT NULL UNIQUE REFERENCES coders(id),
    size INTEGER NOT NULL CHECK (size > 0),
    seed INTEGER NOT NULL,
    min_days REAL NOT NULL DEFAULT 0,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL
);
CREATE TABLE retest_items (
    sample_id INTEGER NOT NULL REFERENCES retest_samples(id) ON DELETE CASCADE,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    category_key TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT '[]',
    first_coded_at TEXT NOT NULL,
    PRIMARY KEY (sample_id, comment_id)
);
"""
