"""From transcript files to comments: formats, rosters, word counts, the all-or-nothing import.

``transcript`` turns bytes into speaker turns (one module per family of formats),
``roster`` reads roster files, ``language`` counts words and finds sentence
boundaries, ``refs`` names comments, ``importer`` writes a batch of files in one
transaction.
"""
