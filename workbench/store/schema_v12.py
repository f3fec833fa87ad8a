"""The SQL of migration 12 (a project that stays true after corrections), kept apart from
``schema`` so that file stays small.

* ``reconciliations.basis``: what each coder's coding was when the comment was reconciled
  (JSON ``{coder: [category, [themes], unsure, exemplar] | null}``), so a coder's later
  change reopens the comment as "changed since reconciled" (``reconcile.changes``). Rows
  decided before this migration get the codings as they are now.
* ``comment_revisions``: every change of a comment's text by ``transcripts replace``, with
  the old and new text; a coding older than its comment's last revision needs review, and
  a decision older than it is reopened.
* ``removed_groups``: the ref code and next comment number of each focus group removed, so
  a group made later never hands out a ref that once named other words.
"""

TITLE = "reconciliation basis, comment text revisions, codes of removed groups"

# The codings of one comment's coders as JSON, from ``reconciliations.coders`` (every study
# coder when that list is empty); the same form as ``store.reconciliation.basis_of``.
BASIS = """(
  SELECT json_group_object(k.name, CASE WHEN x.id IS NULL THEN json('null') ELSE json_array(
      x.category_key,
      json((SELECT coalesce(json_group_array(theme_key), '[]') FROM (SELECT ct.theme_key
            FROM coding_themes ct WHERE ct.coding_id = x.id ORDER BY ct.theme_key))),
      x.unsure, x.exemplar) END)
  FROM coders k LEFT JOIN codings x
    ON x.coder_id = k.id AND x.comment_id = reconciliations.comment_id
  WHERE k.kind = 'coder' AND (json_array_length(reconciliations.coders) = 0
    OR k.name IN (SELECT value FROM json_each(reconciliations.coders))))"""

SQL = f"""
ALTER TABLE reconciliations ADD COLUMN basis TEXT;
UPDATE reconciliations SET basis = {BASIS};
CREATE TABLE comment_revisions (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    old_text TEXT NOT NULL,
    new_text TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX comment_revisions_comment ON comment_revisions(comment_id, at);
CREATE TABLE removed_groups (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    name TEXT NOT NULL,
    next_number INTEGER NOT NULL,
    removed_at TEXT NOT NULL
);
"""
