"""The SQL of migration 10 (the project file's safety), kept apart from ``schema``.

* ``file_stamp``: one row, rewritten by every write transaction that changed something:
  the device and inode of the project file and of the ``-wal`` it was written through, the
  process, host and user, and the time. A ``-wal`` whose last stamp names another file is
  not this file's and is never applied to it (``workbench.store.opening``).
* ``backups``: every backup made (automatic, ``workbench backup``, before a restore), where
  it went, why, its size, and what ``PRAGMA quick_check`` said of the copy (``ok``, or the
  problem, when the copy was refused and deleted); automatic backups are pruned by it
  (never the newest that passed), and the app's home shows the last one.
"""

TITLE = "the project file's safety: the stamp of the last write, and the backups made"

SQL = """
CREATE TABLE file_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device INTEGER,
    inode INTEGER,
    wal_device INTEGER,
    wal_inode INTEGER,
    pid INTEGER,
    host TEXT,
    who TEXT,
    at TEXT
);
INSERT INTO file_stamp (id) VALUES (1);
CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    made_at TEXT NOT NULL,
    who TEXT NOT NULL,
    size INTEGER,
    check_result TEXT NOT NULL,
    kept INTEGER NOT NULL CHECK (kept IN (0, 1))
);
"""
