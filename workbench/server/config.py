"""The team server's settings, and the rule on where it may listen.

By default the server listens on 127.0.0.1 only: the browsers of this machine, or of
anyone who reaches it through a reverse proxy (Caddy, nginx) that terminates TLS. Another
interface is refused unless the server itself speaks TLS (``--tls-cert`` and
``--tls-key``) or ``--insecure`` says plain HTTP on a trusted network is meant: over plain
HTTP passwords and session cookies cross the network readable by anyone on the way.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from workbench.errors import WorkbenchError
from workbench.server.accounts import LOCK_MINUTES, MAX_FAILURES
from workbench.server.sessions import Policy


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None  # as the users reach it (a reverse proxy's https:// address)
    tls: ssl.SSLContext | None = None
    trust_proxy: bool = False  # take the client address from X-Forwarded-For (behind a proxy)
    policy: Policy = field(default_factory=Policy)
    apps_per_user: int = 4  # app processes (browser tabs) one account may have at once
    max_apps: int = 32  # app processes of everyone at once (~45 MB each)
    slot_wait: float = 2.0  # seconds a tab waits for an app to end before it is refused
    max_connections: int = 256  # open connections at once (each is a file descriptor)
    header_timeout: float = 10.0  # seconds to send a request's headers
    body_timeout: float = 10.0  # seconds to send a form's body
    sweep_seconds: float = 30.0  # how often running apps are checked against their sessions
    max_failures: int = MAX_FAILURES
    lock_minutes: int = LOCK_MINUTES
    failures_per_client: int = 20  # failed sign-ins one address may make in ten minutes

    @property
    def url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def secure(self) -> bool:
        """Whether browsers reach the server over HTTPS (cookies are then marked Secure)."""
        return self.tls is not None or self.url.startswith("https://")


#: File descriptors the server keeps for itself beside its connections and its apps' pipes
#: (the project file and its journal, the listening socket, Python's own, logs).
_RESERVED_FILES = 64


def check_caps(settings: Settings, open_files: int | None = None) -> None:
    """Refuse caps that contradict each other or this process's limit on open files."""
    if settings.max_connections <= settings.max_apps:
        raise WorkbenchError(
            f"--max-connections {settings.max_connections}: every app holds a connection (its "
            f"websocket), so give more than --max-apps {settings.max_apps}, or fewer apps"
        )
    if settings.apps_per_user > settings.max_apps:
        raise WorkbenchError(
            f"--apps-per-user {settings.apps_per_user} is more than --max-apps "
            f"{settings.max_apps}; give at most {settings.max_apps}"
        )
    if open_files is None:
        try:
            import resource
        except ImportError:  # Windows: no such limit to read
            return
        open_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    # Each app: a connection, and its process's stdin, stdout and stderr pipes.
    needed = settings.max_connections + 3 * settings.max_apps + _RESERVED_FILES
    if 0 < open_files < needed:
        raise WorkbenchError(
            f"--max-connections {settings.max_connections} and --max-apps {settings.max_apps} need "
            f"up to {needed} open files, and this process may open {open_files} (ulimit -n): lower "
            f"them, or raise the limit (ulimit -n {needed})"
        )


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, tls: bool, insecure: bool) -> None:
    """Refuse to listen beyond this machine without TLS or an explicit --insecure, saying why."""
    if is_loopback(host) or tls or insecure:
        return
    raise WorkbenchError(
        f"--host {host}: refusing to listen beyond this machine over plain HTTP, where passwords and "
        "session cookies cross the network unencrypted. Give --tls-cert and --tls-key, or keep the "
        "default 127.0.0.1 behind a reverse proxy that does TLS (the user guide: Working as a "
        "team), or add --insecure if this network is trusted"
    )


def tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    """The server's TLS context from a certificate chain and its key (PEM), or None."""
    if not cert and not key:
        return None
    if not (cert and key):
        raise WorkbenchError("give both --tls-cert and --tls-key (PEM files), or neither")
    for option, path in (("--tls-cert", cert), ("--tls-key", key)):
        if not Path(path).is_file():
            raise WorkbenchError(f"{option} {path}: no such file")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        raise WorkbenchError(
            f"--tls-cert {cert} / --tls-key {key}: not a certificate and its key in PEM ({exc})"
        ) from None
    return context


def check_public_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
        raise WorkbenchError(
            f"--public-url {url}: give the address users open, e.g. https://team.example.org "
            "(scheme and host, no path)"
        )
    return f"{parts.scheme}://{parts.netloc}"
