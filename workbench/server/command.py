"""The process each browser session runs: built by the server from the signed-in session.

Nothing in the request (URL, query, form, headers) goes into it: only the project the server
was started on and the session's user and role, as stored in the project file. The user name
is checked again against the coder-name rules (one word) and the role against the known
roles, and the process is started from an argument list (no shell), so a name could not
smuggle in an option or a command even if one got past those checks.

The child is ``python -m workbench served-app PROJECT --as-user NAME --role ROLE``
(``workbench.cli.serve``): it makes NAME the audit trail's ``who`` and opens the app for
the role (``workbench.ui.app.create_app(..., role=, user=)``).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.server.accounts import ROLES

_ONE_WORD = re.compile(r"^\w[\w.\-]{0,39}$")


def app_argv(project: str | Path, user: str, role: str) -> list[str]:
    """The argument list of the app process for ``user`` in ``role``."""
    if not _ONE_WORD.match(user or ""):
        raise WorkbenchError(f"user name {user!r} is not one word; it cannot start an app")
    if role not in ROLES:
        raise WorkbenchError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return [
        sys.executable,
        "-m",
        "workbench",
        "served-app",
        str(Path(project).resolve()),
        "--as-user",
        user,
        "--role",
        role,
    ]


def app_command(project: str | Path, user: str, role: str) -> str:
    """The same, as a shell command line (for logs and for textual-serve's ``command``)."""
    return shlex.join(app_argv(project, user, role))
