"""Stakeholder roles: the study's roles and how a label or a word names one.

Roles are matched case-insensitively by key, name or alias; a label that is
itself a role ("Facilitator", "Interviewer1", "Parent 2") gets that role
without a roster. Comments by an excluded role are kept but not coded.
"""

from __future__ import annotations

import re

from workbench.errors import RosterError
from workbench.store.records import Role

DEFAULT_ROLES = (
    Role("HP", "Health professional", aliases=("health professional", "clinician")),
    Role("PwCHC", "Person with a chronic health condition", aliases=("patient", "pwchc")),
    Role("Parent", "Parent", aliases=("mother", "father", "mum", "mom", "dad")),
    Role("Teen", "Teen", aliases=("teenager", "adolescent")),
    Role("Facilitator", "Facilitator", excluded=True, aliases=("moderator", "interviewer")),
    Role("Observer", "Observer", excluded=True, aliases=("note taker", "notetaker", "scribe")),
)

_TRAILING_NUMBER = re.compile(r"[\s_\-#]*\d+$")


def find_role(value: str, roles: list[Role] | tuple[Role, ...]) -> Role | None:
    """The role named by ``value`` (key, name or alias, any case), or None."""
    wanted = " ".join(value.strip().lstrip("~").split()).lower()
    for role in roles:
        if wanted in (role.key.lower(), role.name.lower(), *role.aliases):
            return role
    return None


def role_from_label(label: str, roles: list[Role] | tuple[Role, ...]) -> Role | None:
    """'Facilitator', 'Interviewer1', 'Parent 2', 'HP3' → their role; 'Moderadora',
    'Gesprächsleiterin', 'I' → the facilitator's (if the project has that role); a name → None."""
    found = find_role(_TRAILING_NUMBER.sub("", label), roles)
    if found is None and facilitator_word(label):
        found = find_role("Facilitator", roles)
    return found


# Who leads an interview or a focus group, as transcripts in the languages qualitative research
# is done in label them (masculine and feminine forms), with the usual abbreviations ("I:", "Int:").
FACILITATOR_WORDS = frozenset(
    """
facilitator facilitators moderator moderators interviewer interviewers researcher host int iv i mod
moderador moderadora entrevistador entrevistadora facilitador facilitadora investigador investigadora
dinamizador dinamizadora pesquisador pesquisadora mediador mediadora
animateur animatrice moderateur moderatrice intervieweur intervieweuse enqueteur enquetrice
chercheur chercheuse facilitateur facilitatrice
interviewerin moderatorin gesprachsleiter gesprachsleiterin gesprachsleitung forscher forscherin
interviewende interviewender
gespreksleider gespreksleidster onderzoeker onderzoekster begeleider begeleidster
moderatore intervistatore intervistatrice facilitatore ricercatore ricercatrice conduttore conduttrice
""".split()
)
_ROLE_NOTE = re.compile(r"\s*(?:\(.*?\)|\|.*)$")


def facilitator_word(label: str) -> bool:
    """Whether a label names the person leading the session in one of those languages
    ("Moderadora", "Animatrice 2", "Interviewer (YH)"), accents and case aside."""
    import unicodedata

    word = _TRAILING_NUMBER.sub("", _ROLE_NOTE.sub("", label)).strip(" .:").casefold()
    if len(word) > 40:
        return False
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return word in FACILITATOR_WORDS


def parse_role_options(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["Dr. Ko=HP"]`` → ``{"Dr. Ko": "HP"}``."""
    mapping = {}
    for option in options:
        label, sep, role = option.rpartition("=")
        if not sep or not label.strip() or not role.strip():
            raise RosterError(f"--role {option!r}: expected LABEL=ROLE, e.g. --role 'Dr. Ko=HP'")
        mapping[label.strip()] = role.strip()
    return mapping
