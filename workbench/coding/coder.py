"""Coders: the analysts who code independently, and the reserved agreed coder.

The agreed (reconciled) coding is stored as the coding of a coder of kind
``agreed`` named :data:`AGREED`, so a person may not take that name, nor one that
only looks like it. A coder's name is one word (letters, digits, ``.``, ``_``,
``-``; 1-40 characters, Unicode NFKC), so it reads the same in a command, a sheet,
an audit row and a REFI-QDA file: "ana ben" would be one coder or two depending on
where it was typed.

Training and retest codings (methods evidence) belong to coders named "<person>
(training)" and "<person> (retest)": never a person's name, which has no spaces.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store import Store, default_actor
from workbench.store.coding_records import Coder

AGREED = "agreed"
#: Coders that are not study coders (methods evidence): a trainee coding the training set,
#: a coder recoding a sample of their own comments. Named "<person> (<kind>)".
SCOPED_KINDS = ("training", "retest")
_NAME = re.compile(r"^\w[\w.\-]{0,39}$")
# Letters of other scripts drawn like Latin ones: "аgreed" with a Cyrillic а is not a
# new coder but a trap. Enough for names; Unicode's full confusables table is not needed.
_LOOKALIKE = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwABEKMHOPCTXIJSabeiknoptuxABEZHIKMNOPTYX",
)


def scoped_name(person: str, kind: str) -> str:
    """The coder name of ``person``'s training or retest codings, e.g. 'cai (training)'."""
    return f"{person} ({kind})"


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, lookalike letters folded to Latin, case folded."""
    return unicodedata.normalize("NFKC", name).translate(_LOOKALIKE).casefold()


def validate_name(name: str, existing: list[str] | tuple[str, ...] = ()) -> str:
    """A coder name, normalised (NFKC); refuses spaces, control and format characters, the
    reserved name and names that look like it or like an ``existing`` coder's."""
    name = unicodedata.normalize("NFKC", name.strip())
    if not _NAME.match(name):
        raise WorkbenchError(
            f"coder name {name!r}: give one word of 1-40 letters, digits, '.', '_' or '-' "
            "(no spaces), e.g. --coder ana or --coder ana_b"
        )
    if skeleton(name) == AGREED:
        raise WorkbenchError(
            f"coder name {name!r} is reserved for the reconciled coding{_lookalikes(name)}; "
            "choose another name"
        )
    for other in existing:
        if other != name and skeleton(other) == skeleton(name):
            raise WorkbenchError(
                f"coder name {name!r} looks like the existing coder {other!r}{_lookalikes(name)}; "
                "use that name, or choose one that reads differently"
            )
    return name


def _lookalikes(name: str) -> str:
    """Which letters of ``name`` only look Latin (" (its а is U+0430 CYRILLIC SMALL LETTER A)")."""
    odd = [ch for ch in dict.fromkeys(name) if ch.translate(_LOOKALIKE) != ch]
    return (
        " (its "
        + ", ".join(f"{ch} is U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in odd)
        + ")"
        if odd
        else ""
    )


def name_from_label(label: str) -> str:
    """A coder name from another tool's user label ("Jane Doe" → "Jane_Doe"); may still be
    refused by :func:`validate_name` (nothing usable left)."""
    name = "_".join(unicodedata.normalize("NFKC", label).split())
    return re.sub(r"[^\w.\-]", "", name)[:40]


def known_or_new(store: Store, name: str) -> str:
    """``name`` as an existing coder is called (kept as it is, even from before names were
    one word), else validated as a new coder's name against the existing ones."""
    found = store.coder_named(name.strip())
    if found is not None:
        return found.name
    return validate_name(name, [c.name for c in store.coders()])


class NewCoderName(WorkbenchError):
    """A coder name the project has not seen: a new coder only when the user says so."""

    def __init__(self, name: str, coders: list[str], near: list[str]):
        self.name, self.coders, self.near = name, coders, near
        super().__init__(
            f"no coder {name!r} in this project (coders: {', '.join(coders) or 'none yet'})"
            f"{near_note(name, near)}; to start a new coder {name!r}, add --new"
        )


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two names differ by one letter added, dropped, changed or two swapped (as they
    look: case, width and lookalike letters folded)."""
    a, b = skeleton(a), skeleton(b)
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def near_note(name: str, near: list[str]) -> str:
    """ "; 'anna' is one letter away from the coder 'ana'" (empty when nothing is near)."""
    if not near:
        return ""
    return (
        f"; {name!r} is one letter away from the coder "
        + " and ".join(map(repr, near))
        + " (a typo?)"
    )


def seen(store: Store, name: str) -> str | None:
    """The name as the project spells it, if a coder (or a trainee's coder) has it."""
    found = store.coder_named(name.strip())
    if found is not None:
        return found.name
    for kind in SCOPED_KINDS:
        scoped = store.scoped_coder(name.strip(), kind)
        if scoped is not None:
            return scoped.person
    return None


def check_new(
    store: Store, name: str, new: bool = False, among: list[str] | None = None
) -> tuple[str, str]:
    """``name`` as the project spells it; a name it has not seen is refused
    (:class:`NewCoderName`) unless ``new``. Returns (name, a note pointing out study coders one
    edit away, or ""). ``among``: the names the user may be told of (default every coder)."""
    known = seen(store, name)
    if known is not None:
        return known, ""
    coders = coder_names(store) if among is None else among
    name = validate_name(name, [c.name for c in store.coders()])
    near = [c for c in coders if one_edit_apart(c, name)]
    if not new:
        raise NewCoderName(name, coders, near)
    return name, near_note(name, near).removeprefix("; ")


def ensure_coder(store: Store, name: str, actor: str | None = None) -> Coder:
    """The coder called ``name``, created (and audited) on first use."""
    existing = store.coder_named(name.strip())
    if existing is None:
        name = validate_name(name, [c.name for c in store.coders()])
        existing = store.coder_named(name)
    if existing is not None:
        if existing.kind != "coder":
            raise WorkbenchError(f"coder name {name!r} is reserved; choose another name")
        return existing
    with store.transaction():
        existing = store.coder_named(name)  # another process may have just created it
        if existing is not None:
            return existing
        coder = store.add_coder(name)
        store.audit("create", "coder", name, after={"name": name}, actor=actor or name)
    return coder


def coding_of(store: Store, coder: str | None, missing: str, alternative: str) -> Coder:
    """The coder whose coding is read: the agreed coding, or the person ``coder``. Without an
    agreed coding: ``missing``, how to get one, and ``alternative`` (what --coder does)."""
    found = store.coder_named(coder or AGREED)
    if found is None or (coder and found.kind != "coder"):
        if coder and (found is None or found.kind != "agreed"):
            names = ", ".join(c.name for c in store.coders() if c.kind == "coder") or "none"
            raise WorkbenchError(f"--coder {coder!r}: no such coder (coders: {names})")
        if coder:
            raise WorkbenchError(
                f"--coder {coder!r} is the agreed coding; leave --coder out for it"
            )
        raise WorkbenchError(
            f"{missing}: reconcile the coders (`workbench reconcile`) or import an agreed "
            f"coding (`workbench codings import --agreed`); {alternative}"
        )
    return found


def coder_names(store: Store) -> list[str]:
    return [c.name for c in store.coders() if c.kind == "coder"]


def coder_list(store: Store) -> list[dict[str, Any]]:
    """Every coder with their kind and number of codings."""
    counts = store.codings_per_coder()
    return [
        {
            "name": c.name,
            "kind": c.kind,
            "codings": counts.get(c.id, 0),
            "suggestions": c.suggestions,
            "created_at": c.created_at,
        }
        for c in store.coders()
    ]


def _person(store: Store, name: str) -> Coder:
    found = store.coder_named(name)
    if found is None or found.kind == "agreed":
        names = ", ".join(c.name for c in store.coders() if c.kind != "agreed") or "none"
        raise WorkbenchError(f"no coder {name!r} in this project (coders: {names})")
    return found


def rename_coder(store: Store, old: str, new: str, actor: str | None = None) -> str:
    """Rename a coder; their codings stay theirs. Audited."""
    coder = _person(store, old)
    new = validate_name(new, [c.name for c in store.coders() if c.id != coder.id])
    clash = store.coder_named(new)
    if clash is not None and clash.id != coder.id:
        raise WorkbenchError(f"there is a coder {new!r} already; remove or rename that one first")
    with store.transaction():
        store.rename_coder(coder.id, new)
        store.audit(
            "rename",
            "coder",
            new,
            before={"name": coder.name},
            after={"name": new},
            actor=actor or default_actor(),
        )
    return new


def remove_coder(
    store: Store, name: str, force: bool = False, actor: str | None = None
) -> dict[str, Any]:
    """Remove a coder who has no codings; with ``force``, with their codings too, after an
    automatic backup of the project. Audited either way."""
    coder = _person(store, name)
    codings = store.codings_per_coder().get(coder.id, 0)
    if codings and not force:
        raise WorkbenchError(
            f"{coder.name} has {codings} coding(s); `--force` removes them too "
            "(a backup of the project is made first, and the audit trail keeps them)"
        )
    backup = store.automatic_backup(f"remove coder {coder.name}") if codings else None
    with store.transaction():
        gone = store.delete_coder(coder.id)
        store.audit(
            "remove",
            "coder",
            coder.name,
            before={"name": coder.name, "kind": coder.kind, "codings": gone},
            actor=actor or default_actor(),
            note=f"backup: {backup}" if backup else None,
        )
    return {"name": coder.name, "codings": gone, "backup": str(backup) if backup else None}
