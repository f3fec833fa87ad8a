"""Password hashing for the team server's accounts: scrypt from the standard library.

scrypt is memory-hard (each guess costs ``128 * r * n`` bytes, 32 MiB here, and ~0.1 s),
so a stolen project file does not give up its passwords to a graphics card farm. Each
hash has its own random salt, and the KDF's parameters are stored with it::

    scrypt$n=32768,r=8,p=1$<salt, base64>$<key, base64>

so parameters can be raised later without breaking existing accounts
(:func:`needs_rehash`). Comparison is :func:`hmac.compare_digest` (constant time).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from workbench.errors import WorkbenchError

#: scrypt's cost (n), block size (r) and parallelism (p): OWASP's recommended minimum is
#: n=2**17 at r=8, p=1 for a server that hashes rarely; 2**15 keeps a sign-in near 0.1 s on
#: a small server while still needing 32 MiB per guess.
N, R, P = 2**15, 8, 1
KEY_BYTES = 32
SALT_BYTES = 16
#: Passwords shorter than this are refused; longer than MAX_LENGTH too (hashing cost).
MIN_LENGTH, MAX_LENGTH = 10, 1024
_MAX_N = 2**20  # a stored hash asking for more is refused, not computed


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * r * n + 1024 * 1024,
        dklen=KEY_BYTES,
    )


def check_strength(password: str, name: str = "") -> None:
    """Refuse a password that is too short, too long, or the user's own name."""
    if len(password) < MIN_LENGTH:
        raise WorkbenchError(
            f"the password is too short: give at least {MIN_LENGTH} characters "
            "(a few unrelated words are easy to remember)"
        )
    if len(password) > MAX_LENGTH:
        raise WorkbenchError(f"the password is longer than {MAX_LENGTH} characters")
    if name and password.strip().casefold() == name.casefold():
        raise WorkbenchError("the password is the user's name; choose another")


def hash_password(
    password: str, *, n: int | None = None, r: int | None = None, p: int | None = None
) -> str:
    """The stored form of ``password``: KDF name, parameters (today's unless given), salt and key."""
    n, r, p = n or N, r or R, p or P
    salt = os.urandom(SALT_BYTES)
    key = _scrypt(password, salt, n, r, p)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[dict[str, int], bytes, bytes]:
    try:
        kdf, params, salt, key = stored.split("$")
        values = {k: int(v) for k, v in (part.split("=") for part in params.split(","))}
        if kdf != "scrypt" or set(values) != {"n", "r", "p"}:
            raise ValueError(kdf)
        if not (
            1 < values["n"] <= _MAX_N
            and values["n"] & (values["n"] - 1) == 0
            and 0 < values["r"] <= 32
            and 0 < values["p"] <= 16
        ):
            raise ValueError(params)
        return values, base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except ValueError:
        raise WorkbenchError(
            "a stored password hash is not one Workbench wrote; set the password "
            "again with `workbench users passwd`"
        ) from None


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash, compared in constant time."""
    params, salt, key = _parse(stored)
    if len(password) > MAX_LENGTH:
        return False
    candidate = _scrypt(password, salt, params["n"], params["r"], params["p"])
    return hmac.compare_digest(candidate, key)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    params, _, _ = _parse(stored)
    return (params["n"], params["r"], params["p"]) < (N, R, P)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


#: Verified against when the name is unknown, so a wrong name takes as long as a wrong
#: password and sign-in timing does not tell which names exist. Made on first use.
_dummy: dict[tuple[int, int, int], str] = {}


def burn_time(password: str) -> None:
    """Spend the time of one verification (for an unknown user name)."""
    key = (N, R, P)
    if key not in _dummy:
        _dummy[key] = hash_password("not a password of anyone")
    verify_password(password, _dummy[key])
