"""The SQL of migration 15 (pre-coding), kept apart from ``schema`` so that file stays small.

* ``precode_runs``: each ``workbench suggest precode``: the model, the coder of kind
  ``model`` it wrote as, who and when, the target kappa, the bar chosen for it and a JSON
  summary (comments pre-coded, uncoded and codable, the cross-validated kappa) that the
  methods paragraph and the reporting checklist cite.
* ``review_items.queue``: a model's pre-codes are reviewed like the review queue, in the
  same table: ``review`` (agreed codings the model contradicts) or ``precode``.
"""

TITLE = "pre-coding: runs and the pre-code review queue"

SQL = """
CREATE TABLE precode_runs (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models(id),
    coder_id INTEGER NOT NULL REFERENCES coders(id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    target REAL NOT NULL,
    bar REAL NOT NULL,
    summary TEXT NOT NULL
);
ALTER TABLE review_items ADD COLUMN queue TEXT NOT NULL DEFAULT 'review' CHECK (queue IN ('review', 'precode'));
"""
