"""The ``workbench`` command line: one module of commands per stage."""

from workbench.cli.commands import main

__all__ = ["main"]
