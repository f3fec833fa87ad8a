"""Team server commands: ``serve`` (the app in the browser), ``users`` (accounts), and the
hidden ``served-app`` that the server starts for each browser session."""

from __future__ import annotations

import sys

import click

from workbench.cli.common import FORMATS, echo_json, open_store, run_app, text_table

ROLES = click.Choice(["coder", "lead", "observer"])


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; beyond this machine only with TLS or --insecure.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--tls-cert", type=click.Path(dir_okay=False), help="Certificate chain (PEM) for HTTPS."
)
@click.option("--tls-key", type=click.Path(dir_okay=False), help="Its private key (PEM).")
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow plain HTTP on another interface (a trusted network only).",
)
@click.option(
    "--public-url",
    help="The address users open, when a reverse proxy serves it (e.g. https://team.example.org).",
)
@click.option(
    "--trust-proxy",
    is_flag=True,
    help="Behind a reverse proxy: rate-limit sign-ins by the X-Forwarded-For address it sets.",
)
@click.option(
    "--session-hours",
    default=12.0,
    show_default=True,
    type=click.FloatRange(0.1, 24 * 30),
    help="A session ends this long after signing in.",
)
@click.option(
    "--idle-minutes",
    default=120.0,
    show_default=True,
    type=click.FloatRange(1, 24 * 60),
    help="... or after this long without use.",
)
@click.option(
    "--apps-per-user",
    default=4,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="App processes (browser tabs) one account may have open at once.",
)
@click.option(
    "--max-apps",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="App processes of everyone at once (~45 MB each).",
)
@click.option(
    "--max-connections",
    default=256,
    show_default=True,
    type=click.IntRange(2, 100_000),
    help="Open connections at once; at the cap the oldest one still sending its request is closed.",
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds a connection has to send a request's headers.",
)
@click.option(
    "--body-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds to send a form's body (the sign-in form).",
)
def serve(
    project: str,
    host: str,
    port: int,
    tls_cert: str | None,
    tls_key: str | None,
    insecure: bool,
    public_url: str | None,
    trust_proxy: bool,
    session_hours: float,
    idle_minutes: float,
    apps_per_user: int,
    max_apps: int,
    max_connections: int,
    header_timeout: float,
    body_timeout: float,
) -> None:
    """Serve PROJECT's app to browsers: each analyst signs in (`workbench users add`); a coder
    gets the coding screen as themselves, blind to the others; a lead the whole app; an
    observer the report tables."""
    from datetime import timedelta

    from workbench.errors import WorkbenchError
    from workbench.server.config import (
        Settings,
        check_binding,
        check_caps,
        check_public_url,
        tls_context,
    )
    from workbench.server.sessions import Policy

    check_binding(host, bool(tls_cert or tls_key), insecure)
    settings = Settings(
        host=host,
        port=port,
        public_url=check_public_url(public_url),
        tls=tls_context(tls_cert, tls_key),
        trust_proxy=trust_proxy,
        policy=Policy(timedelta(hours=session_hours), timedelta(minutes=idle_minutes)),
        apps_per_user=apps_per_user,
        max_apps=max_apps,
        max_connections=max_connections,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
    )
    check_caps(settings)
    store = open_store(project)
    users = store.users()
    if not users:
        raise WorkbenchError(
            f"{project} has no users yet, so nobody could sign in: add them with "
            f"`workbench users add {project} NAME --role lead|coder|observer`"
        )
    store.close()
    from workbench.server.web import TeamServer

    server = TeamServer(project, settings)
    roles = ", ".join(f"{u['name']} ({u['role']})" for u in users)
    click.echo(
        f"Serving {project} at {settings.url} for {roles}: at most {max_apps} apps, "
        f"{apps_per_user} per user, {max_connections} connections. Ctrl+C stops it.",
        err=True,
    )
    server.serve()


@click.group()
def users() -> None:
    """Accounts for `workbench serve`: add, remove, passwd, role, list."""


def _password(password_stdin: bool, prompt: str = "Password") -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option(
    "--role",
    type=ROLES,
    required=True,
    help="coder: codes as NAME, blind; lead: everything; observer: report tables only.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def users_add(project: str, name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME (a coder signs in under their coder name); the password is asked for."""
    from workbench.server.accounts import add_user, new_user_name

    store = open_store(project)
    name = new_user_name(store, name, role)  # refuse a bad name before asking for a password
    user = add_user(store, name, role, _password(password_stdin))
    click.echo(f"Added {user['name']} ({user['role']}).")


@users.command("remove")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("name")
def users_remove(project: str, name: str) -> None:
    """Remove user NAME and end their sessions (their codings stay)."""
    from workbench.server.accounts import remove_user

    result = remove_user(open_store(project), name)
    click.echo(f"Removed {result['name']}; {result['sessions']} session(s) ended.")


@users.command("passwd")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def users_passwd(project: str, name: str, password_stdin: bool) -> None:
    """Set NAME's password: unlocks the account and ends their sessions."""
    from workbench.server.accounts import set_password

    store = open_store(project)
    result = set_password(store, name, _password(password_stdin, "New password"))
    click.echo(f"Password of {result['name']} set; {result['sessions']} session(s) ended.")


@users.command("role")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option(
    "--role",
    type=ROLES,
    required=True,
    help="coder: codes as NAME, blind; lead: everything; observer: report tables only.",
)
def users_role(project: str, name: str, role: str) -> None:
    """Give NAME another role: ends their sessions, so they sign in again under it."""
    from workbench.server.accounts import set_role

    result = set_role(open_store(project), name, role)
    click.echo(
        f"{result['name']}: role {result['role']} (was {result['before']}); "
        f"{result['sessions']} session(s) ended."
    )


@users.command("list")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def users_list(project: str, fmt: str) -> None:
    """Users with their role, sessions and whether they are locked out."""
    from workbench.server.accounts import list_users

    rows = list_users(open_store(project))
    if fmt == "json":
        echo_json(rows)
    elif not rows:
        click.echo("No users yet: `workbench users add PROJECT NAME --role lead|coder|observer`.")
    else:
        headers = ["name", "role", "sessions", "failed sign-ins", "locked until", "created"]
        click.echo(
            text_table(
                headers,
                [
                    [
                        u["name"],
                        u["role"],
                        u["sessions"],
                        u["failed_attempts"],
                        u["locked_until"] if u["locked"] else "",
                        u["created_at"],
                    ]
                    for u in rows
                ],
                {2, 3},
            )
        )


@click.command("served-app", hidden=True)
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--as-user", "user", required=True)
@click.option("--role", type=ROLES, required=True)
def served_app(project: str, user: str, role: str) -> None:
    """The app of one browser session (started by `workbench serve`, never by hand): USER is
    the audit trail's who, and the role decides what the app offers."""
    from workbench.errors import WorkbenchError
    from workbench.store.connection import act_as

    store = open_store(project)
    account = store.user_named(user)
    if account is None or account["role"] != role:
        raise WorkbenchError(f"{user!r} is not a {role} of this project")
    act_as(account["name"])
    run_app(
        store,
        account["name"] if role == "coder" else None,
        role=role,
        user=account["name"],
        served=True,
    )
