"""The project file: one SQLite database per project, and the only package that executes SQL.

``connection`` opens the file (pragmas, per-thread connections, transactions with
retry); ``schema`` holds the tables and their migrations; each other module holds
the statements of one aggregate, and :class:`Store` is their sum.
"""

from workbench.store.connection import Store, default_actor, now, remove_project

__all__ = ["Store", "default_actor", "now", "remove_project"]
