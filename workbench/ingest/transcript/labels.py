"""Speaker labels and timestamps as people write them, shared by the text and caption parsers.

A label candidate is short and name-shaped (:func:`shape`): a code (``P3``, ``p3``,
``admin-1``, ``pk910``), capitals (``MUM``, ``DR. OKAFOR``), title case (``Dr. Melissa
Ko``, ``Speaker 1``, ``Ana (Parent)``, ``Ana Ruiz | Acme``) or, up to three words, lower
case (``li wei``). A run of words with a function word in it ("The problem is this",
"and so") is a sentence, never a name. Whether a candidate *is* a label is decided for
the whole file (``rules.py``): a name in this module is only a shape.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# h:mm:ss(.mmm), mm:ss, and Teams' unpadded 0:0:0.210. The first field is unbounded:
# recordings past 99 minutes are stamped "104:05", and a label stamped so must not be
# swallowed as text into the previous speaker's turn.
TIMESTAMP = r"\d+(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_PARTICLES = r"(?:de|da|del|der|den|di|du|la|le|van|von|bin|al|el|y|and|&|of|the)"
# "\d[\w.]*", not "\d+[\w.]*": two ways to split a digit run backtrack quadratically.
# A parenthesised word carries a role or pronouns: "Ana (Parent)", "Sam Lee (they/them)".
_WORD = r"(?:[^\W\d_][\w.'’\-]*|\d[\w.]*|" + _PARTICLES + r"|\([\w .'’/\-]{1,30}\))"
_PARTICLE_RE = re.compile(_PARTICLES, re.IGNORECASE)
# "Name | Organisation" (Teams and webinar exports): the organisation is part of the label.
_ORG = r"(?:[ \t]*\|[ \t]*[^\W\d_][\w.'’&\-]*(?:[ \t][\w.'’&\-]+){0,4})"
NAME = r"(?:[^\W\d_][\w.'’\-]*(?:[ \t]" + _WORD + r"){0,5}" + _ORG + r"?)"
# A label before a colon may be spaced loosely ("li  wei:"); one before a time may not (Otter
# puts two spaces between a name and its time).
_LOOSE_NAME = r"(?:[^\W\d_][\w.'’\-]*(?:[ \t]{1,3}" + _WORD + r"){0,5}" + _ORG + r"?)"

# "Name: text", "NAME:", "[00:01:23] Name: text", "(00:01:23) Name:", "Speaker 1 (00:03:18):",
# "Ana [00:01:02]:", "Interviewer1 : text", "**Name:** text", "- **Name**: text", ">> NAME: text".
# Leading "\s*", not "[ \t]*": pdftotext starts each page with a form feed ("\fMARIA:").
INLINE = re.compile(
    r"^\s*(?:>>[ \t]*)?(?:[\[(](?P<ts1>"
    + TIMESTAMP
    + r")[\])][ \t]*|(?P<ts2>"
    + TIMESTAMP
    + r")[ \t]+)?"
    r"(?:[-*+][ \t]+(?=\*\*))?(?:\*\*)?(?P<name>" + _LOOSE_NAME + r")(?:\*\*)?"
    r"(?:[ \t]*[\[(](?P<ts3>" + TIMESTAMP + r")[\])])?"
    r"[ \t]?:(?:\*\*)?(?![/\d])[ \t]*(?P<rest>.*)$"
)
# Otter: "Name  0:35" or "**Name**  0:35" alone on its line.
OTTER = re.compile(
    r"^\s*(?:\*\*)?(?P<name>" + NAME + r")(?:\*\*)?[ \t]+(?P<ts>" + TIMESTAMP + r")[ \t]*$"
)
# A quote ending in a role tag: '"I felt heard." ~Parent'. No leading "[ \t]*": searched
# from every space of a long run of spaces it would be quadratic; callers rstrip instead.
ROLE_TAG = re.compile(r"~[ \t]*(?P<tag>[^\W\d_][\w\-]{0,30})[ \t]*$")

# Words that, alone before a colon, open a sentence or a note rather than name a speaker.
NOT_SPEAKERS = frozenset(
    """
note notes example e.g i.e update answer question re subject date time location duration title
summary http https warning ps p.s nb tip important quote source fyi cc bcc fwd to from sent
attendees agenda action actions decision decisions outcome outcomes todo step figure fig table
chapter section part page item total result results conclusion background objective aim purpose
method methods goal goals key legend caution hint remember reminder tel phone email e-mail fax
web url website address link
nota ejemplo pregunta respuesta fecha hora lugar frage antwort datum ort zeit beispiel hinweis
vraag antwoord tijd plaats voorbeeld domanda risposta luogo esempio pergunta resposta exemplo
réponse exemple lieu heure
""".split()
)
# Words that never stand in a name: with one of them, a run of words is a sentence. Name
# particles (de, la, van, der, el, du, das, ...) and words that are also names somewhere
# (Dan, Una, Son, Oh, He, An, Do, Long, Mi, Lei) are not among them.
FUNCTION_WORDS = frozenset(
    """
the a is are was were be been am isn't wasn't it it's this that these those and but or so if then
than to of in on at for with by as not no yes yeah yep ok okay well um uh er erm hmm mm right sure
also just really very because i i'm i've i'd we we're you you're she they me us them my our your
their what which who why how when where there here does did don't didn't have has had one thing
things point problem everyone everybody nobody look listen see say anyway basically honestly
seriously actually like now first firstly second secondly third finally lastly plus again imagine
wait hey hi hello thanks thank sorry please true exactly absolutely definitely maybe perhaps fact
los las unos unas que es era fue pero porque entonces yo mis nos muy también sí
os um uma é são foi mas então meu minha você
les une et est sont était mais donc alors je elle nous vous ils mes c'est oui non
die dem ein eine und ist sind aber dann ich wir ihr mein nein nicht
het een zijn maar dus ik jij hij zij wij mijn nee niet
gli è sono quindi io noi voi
""".split()
)
# Labels that are speakers even the one time they appear: generic roles and numbered people
# in the languages qualitative research is done in (the facilitator words are in
# project.roles). "I:" and "B:" are the German interview convention, "E:" the Spanish.
_GENERIC = re.compile(
    r"^(?:speaker|participant|participante|partecipante|respondent|respondente|interviewer|"
    r"interviewee|entrevistad[oa]|befragte[r]?|teilnehmer(?:in)?|deelnemer|sprecher(?:in)?|"
    r"locutor[a]?|orador[a]?|intervenant[e]?|spreker|moderator|facilitator|observer|p|r|hp|"
    r"parent|teen|patient|doctor|nurse|mum|mom|dad|mother|father|unknown)"
    r"[ \t]*\d*$",
    re.IGNORECASE,
)


def seconds(stamp: str | None) -> float | None:
    """'1:02:03.5' → 3723.5; '0:35' → 35.0; None → None."""
    if not stamp:
        return None
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


# Labels repeat on every turn: caching the checks is most of a large import's label cost.
@lru_cache(maxsize=8192)
def clean_label(name: str) -> str:
    """Collapse inner whitespace, drop Markdown bold markers, spaces around a ``|``."""
    name = " ".join(name.replace("**", "").split())
    return name.replace(" | ", "|").replace("|", " | ") if "|" in name else name


@lru_cache(maxsize=8192)
def key(label: str) -> str:
    """A label as compared across spellings: case and spacing left out."""
    return " ".join(label.casefold().split())


@lru_cache(maxsize=8192)
def key_shape(name: str) -> tuple[str, str | None]:
    """``(key(name), shape(name))`` in one cached call (a label's checks, once per label line)."""
    return key(name), shape(name)


@lru_cache(maxsize=8192)
def shape(name: str) -> str | None:
    """``code``, ``caps``, ``title`` or ``lower`` for a name-shaped label; None for a sentence,
    a note ("Date", "Note") or anything too long to be a name."""
    if not name or len(name) > 48 or name.lower().rstrip(".") in NOT_SPEAKERS:
        return None
    base = name.split("|", 1)[0]
    words = [w for w in base.split() if w[0] != "("]
    if not words or not words[0][0].isalnum():
        return None
    lowered = [w.lower().strip(".,'’") for w in words]
    if len(words) == 1:
        word = words[0]
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return "code"
        if len(word) > 1 and lowered[0] in FUNCTION_WORDS and not word.isupper():  # "SO": initials
            return None
    elif any(w in FUNCTION_WORDS for w in lowered):
        return None
    letters = [c for c in base if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return "caps"
    if words[0][0].isupper() and all(
        w[0].isupper() or w[0].isdigit() or _PARTICLE_RE.fullmatch(w) for w in words[1:]
    ):
        return "title"
    if len(words) <= 3 and all(not w[0].isupper() for w in words):
        return "lower"
    return None


@lru_cache(maxsize=8192)
def plausible(name: str) -> bool:
    """Whether a label is name-shaped whatever the file: capitals, title case or a code with
    a capital ("P3"); a lower-case label needs its file to vouch for it (``rules.py``)."""
    found = shape(name)
    return found in ("caps", "title") or (found == "code" and name[0].isupper())


@lru_cache(maxsize=8192)
def generic(name: str) -> bool:
    """A role or a numbered person ("Speaker 2", "Participante 3", "P4"): a speaker even once."""
    from workbench.project.roles import facilitator_word

    return bool(_GENERIC.match(name)) or facilitator_word(name)


@lru_cache(maxsize=8192)
def plausible_display_name(name: str) -> bool:
    """Whether a caption cue's label can be a video-call display name: any case, since
    people type their own ("jsmith", "dr. melissa ko"), but at most four words."""
    if plausible(name):
        return True
    if len(name) > 48 or name.lower().rstrip(".") in NOT_SPEAKERS:
        return False
    words = name.split()
    return 0 < len(words) <= 4 and all(w[0].isalnum() or w[0] == "(" for w in words)


# Where a label's colon can be at the latest: a timestamp prefix, "**", a 48-character
# name and a "(00:03:18)" suffix. Lines with their first colon further in skip the regex.
MAX_COLON = 90


def match_inline(line: str) -> re.Match[str] | None:
    """``INLINE.match(line)``, skipped cheaply for lines that cannot hold a label."""
    colon = line.find(":")
    if colon < 0 or colon > MAX_COLON:
        return None
    return INLINE.match(line)


def accepted_labels(
    candidates: Counter[str], blocks: int, known: set[str], display_names: bool = False
) -> set[str]:
    """Decide which caption-cue label candidates are real speakers.

    A candidate is a speaker if it recurs, is a known label (roster, role name or a
    generic label like "Speaker 2"), or is in capitals; and when most cues of the
    file start with a candidate the file is label-driven, so every candidate counts
    (a participant who speaks once is still a participant). With ``display_names``
    a label-driven file's labels may be in any case: Zoom writes each participant's
    display name as they typed it.
    """
    known_keys = {key(k) for k in known}
    if display_names:
        names = {c: n for c, n in candidates.items() if plausible_display_name(c)}
        if blocks and sum(names.values()) >= 0.6 * blocks:
            # A lower-case one must recur: "and so: we went" once is a sentence, not a name.
            return {c for c, n in names.items() if n >= 2 or plausible(c) or key(c) in known_keys}
    plausible_ones = {c: n for c, n in candidates.items() if plausible(c) or key(c) in known_keys}
    labelled_blocks = sum(plausible_ones.values())
    if blocks and labelled_blocks >= 0.6 * blocks:
        return set(plausible_ones)
    return {
        c
        for c, n in plausible_ones.items()
        if n >= 2 or key(c) in known_keys or generic(c) or (c.isupper() and len(c) > 1)
    }
