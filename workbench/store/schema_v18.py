"""The SQL of migration 18 (participants and their attributes), kept apart from ``schema``.

* ``participants``: the people who took part. Every speaker of a focus group is one
  (``speakers.participant_id``); two speakers of different groups that are one person point
  at the same participant (linked), so counts of people are right. A new speaker gets a
  participant of its own from a trigger, so the import needs no change; a participant left
  with no speaker (its speaker deleted, or linked to another) is deleted by a trigger, and
  its values with it. ``name`` is NULL until someone names it (shown as ``FG1/label``).
* ``attributes``: the declared attributes, each of participants or of focus groups, typed
  (``text``, ``number``, ``date``, ``choice`` with its list as JSON), ``hidden`` from a
  coder who codes blind (an attribute that would reveal what the coders must not know).
* ``participant_values``, ``group_values``: one value per (participant or group, attribute),
  stored in the attribute type's canonical text (numbers as written by ``project.attributes``,
  dates ISO 8601); renaming or deleting an attribute carries its values.
"""

TITLE = "participants and their attributes (of participants and of focus groups)"

SQL = """
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    name TEXT COLLATE NOCASE
);
CREATE UNIQUE INDEX participants_name ON participants(name) WHERE name IS NOT NULL;
INSERT INTO participants (id) SELECT id FROM speakers;
ALTER TABLE speakers ADD COLUMN participant_id INTEGER REFERENCES participants(id);
UPDATE speakers SET participant_id = id;
CREATE INDEX speakers_participant ON speakers(participant_id);
CREATE TRIGGER speakers_new_participant AFTER INSERT ON speakers
WHEN new.participant_id IS NULL BEGIN
    INSERT INTO participants (name) VALUES (NULL);
    UPDATE speakers SET participant_id = last_insert_rowid() WHERE id = new.id;
END;
CREATE TRIGGER speakers_gone_participant AFTER DELETE ON speakers BEGIN
    DELETE FROM participants WHERE id = old.participant_id
        AND NOT EXISTS (SELECT 1 FROM speakers WHERE participant_id = old.participant_id);
END;
CREATE TRIGGER speakers_moved_participant AFTER UPDATE OF participant_id ON speakers
WHEN old.participant_id IS NOT new.participant_id BEGIN
    DELETE FROM participants WHERE id = old.participant_id
        AND NOT EXISTS (SELECT 1 FROM speakers WHERE participant_id = old.participant_id);
END;
CREATE TABLE attributes (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    scope TEXT NOT NULL CHECK (scope IN ('participant', 'group')),
    type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice')),
    choices TEXT NOT NULL DEFAULT '[]',
    hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE participant_values (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    attribute TEXT NOT NULL COLLATE NOCASE
        REFERENCES attributes(name) ON DELETE CASCADE ON UPDATE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (participant_id, attribute)
) WITHOUT ROWID;
CREATE TABLE group_values (
    group_id INTEGER NOT NULL REFERENCES focus_groups(id) ON DELETE CASCADE,
    attribute TEXT NOT NULL COLLATE NOCASE
        REFERENCES attributes(name) ON DELETE CASCADE ON UPDATE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (group_id, attribute)
) WITHOUT ROWID;
"""
