"""Coders: the analysts who code independently, and the reserved agreed coder.

The agreed (reconciled) coding is stored as the coding of a coder of kind
``agreed`` named :data:`AGREED`, so a person may not take that name; nor a name ending
in "(training)" or "(retest)", kept for a person's training and retest codings.
"""

from __future__ import annotations

import re

from workbench.errors import WorkbenchError
from workbench.store import Store

AGREED = "agreed"
#: Coders that are not study coders (methods evidence): a trainee coding the training set,
#: a coder recoding a sample of their own comments. Named "<person> (<kind>)".
SCOPED_KINDS = ("training", "retest")
_NAME = re.compile(r"^[^\s\x00-\x1f][^\x00-\x1f]{0,39}$")


def scoped_name(person: str, kind: str) -> str:
    """The coder name of ``person``'s training or retest codings, e.g. 'cai (training)'."""
    return f"{person} ({kind})"


def validate_name(name: str) -> str:
    name = " ".join(name.split())
    if not _NAME.match(name):
        raise WorkbenchError(f"coder name {name!r}: give 1-40 printable characters, e.g. --coder ana")
    if name.lower() == AGREED:
        raise WorkbenchError(
            f"coder name {name!r} is reserved for the reconciled coding; choose another name"
        )
    if any(name.lower().endswith(f" ({kind})") for kind in SCOPED_KINDS):
        raise WorkbenchError(f"coder name {name!r}: names ending in (training) or (retest) are kept for "
                             "training and retest codings; choose another name")
    return name


def ensure_coder(store: Store, name: str, actor: str | None = None) -> dict:
    """The coder called ``name``, created (and audited) on first use."""
    name = validate_name(name)
    existing = store.coder_named(name)
    if existing is not None:
        if existing["kind"] != "coder":
            raise WorkbenchError(f"coder name {name!r} is reserved; choose another name")
        return existing
    with store.transaction():
        existing = store.coder_named(name)  # another process may have just created it
        if existing is not None:
            return existing
        coder = store.add_coder(name)
        store.audit("create", "coder", name, after={"name": name}, actor=actor or name)
    return coder


def coder_names(store: Store) -> list[str]:
    return [c["name"] for c in store.coders() if c["kind"] == "coder"]
