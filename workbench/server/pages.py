"""The team server's HTML pages (sign-in, the app around the terminal, and the page that
says a cap refused another app) and their Content Security Policy.

Rendered with Jinja2 with autoescaping on (a user or project name is text, never markup).
The app page is textual-serve's page without its external font request (the fonts ship in
its static folder) and with a bar naming the signed-in user and a sign-out button; its one
inline script (the websocket address, same host and scheme as the page) carries a nonce.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from aiohttp import web


@lru_cache(maxsize=1)
def _templates():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
    )


def csp(nonce: str | None = None) -> str:
    """Same-origin everything; inline scripts only with the page's nonce. xterm.js writes
    style elements at run time, hence inline styles."""
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return (
        "default-src 'self'; "
        f"script-src {script}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _render(template: str, status: int = 200, nonce: str | None = None, **context) -> web.Response:
    text = _templates().get_template(template).render(nonce=nonce, **context)
    return web.Response(
        text=text,
        status=status,
        content_type="text/html",
        headers={"Content-Security-Policy": csp(nonce)},
    )


def login_page(
    project: str, csrf: str, error: str = "", name: str = "", status: int = 200
) -> web.Response:
    return _render("login.html", status, project=project, csrf=csrf, error=error, name=name)


def app_page(project: str, user: str, role: str, csrf: str) -> web.Response:
    return _render(
        "app.html",
        nonce=secrets.token_urlsafe(16),
        project=project,
        user=user,
        role=role,
        csrf=csrf,
        font_size=16,
    )


def refused_page(project: str, user: dict, csrf: str, reason: str, status: int) -> web.Response:
    """Instead of the app, when a cap on app processes refuses another one (``server.apps``)."""
    return _render(
        "refused.html",
        status,
        project=project,
        user=user["name"],
        role=user["role"],
        csrf=csrf,
        reason=reason,
    )


def sign_in_refused(max_failures: int, lock_minutes: int) -> str:
    """The one answer to a wrong name, a wrong password and a locked account alike."""
    return (
        f"Wrong name or password. After {max_failures} failed attempts in a row an account is locked for "
        f"{lock_minutes} minutes; the project lead can set a new password with `workbench users passwd`."
    )
