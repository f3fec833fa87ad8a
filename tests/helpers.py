"""Helpers shared by the tests."""

import sys

from workbench.cli import main


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run `workbench ARGS` in-process; return (exit status, stdout, stderr)."""
    sys.argv = ["workbench", *args]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err
