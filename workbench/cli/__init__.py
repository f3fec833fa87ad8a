"""The ``workbench`` command line: one module of commands per stage."""
