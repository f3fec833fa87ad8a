"""One coder's work: comments, coders, the coding session, the worklist, search.

``comment`` (refs, split and merge), ``coder`` (names, the reserved ``agreed``
coder), ``session`` (a coder's codings under the codebook's rules, each change
committed with its audit row, undo/redo), ``worklist`` (what the coding screen
walks through, blind by construction), ``search`` (typed text → FTS5 query).
Imports nothing heavy: the coding screen starts on this package alone.
"""
