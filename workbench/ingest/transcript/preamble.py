"""The header block a transcript opens with: ``Key: value`` lines before the dialogue.

``Interviewer: Yasmine Hassan``, ``Date: 12 May 2024``, ``Lugar: Centro de salud``,
``Duración: 52 minutos``, ``Moderadora: Alicia``, ``Narrator:``: such a block is the
transcript's preamble, kept with the transcript and never a comment, even where a key
("Interviewer") is also a speaker label further down. A line is a header line when its key
is a metadata word (in English, Spanish, Portuguese, French, German, Dutch or Italian), or
its value is a date, a time or a duration; a key naming a person's part ("Interviewer",
"Moderadora", "Participant") counts where its value is a name or empty and the block has a
metadata line, or the name it gives speaks later. Titles ("Interview", "# Focus group 2")
and separators between those lines belong to the block. Where the header names the
interviewer or moderator, that person's label is the facilitator.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from workbench.ingest.transcript import labels as L

_KEY_LINE = re.compile(
    r"^\s*(?:[-*+][ \t]+)?(?:\*\*|__)?(?P<key>[^\W\d_][\w .'’/()\-]{0,40}?)[ \t]*(?:\*\*|__)?"
    r"[ \t]*:(?:\*\*|__)?(?![/\d]{2})[ \t]*(?P<value>.{0,120})$"
)
_SEPARATOR = re.compile(r"^\s*(?:[-=*_~#]{3,}|#{1,6}\s.*)\s*$")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_DATE_VALUE = re.compile(
    r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?|\d{1,2}[:h.]\d{2}|\d+\s*(?:min|h\b|hr|hour|hora|minut|stund|uur|ore\b)"
    r"|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:[,;/&]|\s(?:and|y|e|et|und|en|ed)\s)\s*")

_METADATA = frozenset(
    """date time place location venue site setting project study duration length title file filename
    recording recorded transcript transcriber transcription language interview session group topic
    source id code case pseudonym age gender sex occupation audio video format version start end
    participants attendees present absent observers observer notetaker subject round wave
    fecha hora lugar sitio proyecto estudio duracion titulo archivo grabacion transcripcion
    transcriptor transcriptora idioma entrevista sesion grupo participantes asistentes tema edad
    genero sexo ocupacion codigo caso observador observadora
    data local projeto estudo duracao arquivo ficheiro gravacao transcricao sessao idade ocupacao
    heure lieu projet etude duree titre fichier enregistrement langue entretien seance groupe sujet
    genre sexe profession cas observatrice observateur
    datum uhrzeit zeit ort projekt studie dauer titel datei aufnahme transkription transkript
    sprache
    sitzung gruppe fokusgruppe teilnehmende anwesend thema alter geschlecht beruf fall
    tijd plaats locatie duur bestand opname transcriptie taal sessie groep focusgroep deelnemers
    aanwezig onderwerp leeftijd geslacht
    ora luogo progetto durata titolo registrazione trascrizione lingua intervista sessione gruppo
    partecipanti presenti argomento eta sesso professione codice caso""".split()
) | frozenset(
    {
        "transcribed by",
        "note taker",
        "focus group",
        "interview date",
        "grupo focal",
        "transcrito por",
        "transcrit par",
        "transkribiert von",
        "getranscribeerd door",
        "trascritto da",
        "groupe de discussion",
        "date of interview",
        "fecha de la entrevista",
    }
)
# "Participant ID: P07", "Interview no.: 4": a key ending so names the record, not a person.
_NUMBERED = frozenset(
    {"id", "no", "no.", "nr", "nr.", "number", "code", "nummer", "numero", "num", "ref"}
)
_PEOPLE = frozenset(
    """participant interviewee respondent narrator participante entrevistado entrevistada narrador
    narradora narrateur narratrice enquete enquetee teilnehmer teilnehmerin befragte befragter
    erzahler erzahlerin deelnemer geinterviewde verteller partecipante intervistato intervistata
    narratore narratrice""".split()
)


_LOOK_BELOW = 400  # lines below the block looked at for its keys and names as labels


@dataclass
class Header:
    """The header block: its line indexes (0-based; title and separator lines among them) and
    the people it names as leading the session: ``(name, key, line number)``."""

    lines: list[int] = field(default_factory=list)
    leaders: list[tuple[str, str, int]] = field(default_factory=list)


def _word(key: str) -> str:
    key = " ".join(key.replace("(", " ").replace(")", " ").split()).casefold()
    key = re.sub(r"[\s_\-#]*\d+$", "", key)
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def _names(value: str) -> list[str] | None:
    """The names a header value gives ("Yasmine Hassan", "Ana, Ben y Carla"), or None."""
    value = re.sub(r"\(.*?\)", "", value).strip(" .")
    if not value:
        return []
    parts = [p for p in _NAME_SPLIT.split(value) if p]
    if len(parts) > 8 or not all(L.shape(p) in ("title", "caps", "code") for p in parts):
        return None
    return parts


def find_header(lines: list[str], limit: int = 40) -> Header:
    """The ``Key: value`` block at the top of ``lines`` (see the module docstring)."""
    from workbench.project.roles import facilitator_word

    found: list[tuple[int, str, str, str]] = []  # (index, kind, key, value) kind: meta|person|title
    for index, line in enumerate(lines[:limit]):
        text = line.replace("\f", "").strip()
        if not text:
            continue
        m = _KEY_LINE.match(text)
        if m and len(m["key"].split()) <= 4:
            word, value = _word(m["key"]), m["value"].strip().strip("*_ ").strip()
            if word in _METADATA or word.split()[-1] in _NUMBERED:
                found.append((index, "meta", m["key"], value))
                continue
            if len(value.split()) <= 4 and _DATE_VALUE.search(value) and not value.endswith("?"):
                found.append((index, "dated", m["key"], value))  # "Sesión 2: 14/03/2024"
                continue
            if facilitator_word(m["key"]) or word in _PEOPLE:
                found.append((index, "person", m["key"], value))
                continue
            break
        if _SEPARATOR.match(text) or (
            len(text.split()) <= 12
            and not _SENTENCE_END.search(text)
            and all(kind == "title" for _, kind, _, _ in found)
        ):
            found.append((index, "title", "", text))
            continue
        break
    has_meta = any(kind in ("meta", "dated") for _, kind, _, _ in found)
    header = Header()
    later = None  # the labels of the lines below the block (its first few hundred lines)
    below = lines[found[-1][0] + 1 : found[-1][0] + 1 + _LOOK_BELOW] if found else []
    for index, kind, key, value in found:
        if kind == "dated":  # a speaker answering with a date is no header: the key must not speak
            if later is None:
                later = {L.key(w) for line in below for w in _line_label(line)}
            if L.key(key) in later:
                break
        if kind == "person":
            names = _names(value)
            if names is None:
                break
            if not has_meta:
                if not names:
                    break
                if later is None:
                    later = {L.key(w) for line in below for w in _line_label(line)}
                if not any(_named(n, later) for n in names):
                    break
            if facilitator_word(key):
                header.leaders += [(name, key.strip(), index + 1) for name in names]
        header.lines.append(index)
    # Titles after the last key line are not the header's: they open the dialogue or a stretch.
    while header.lines and found[len(header.lines) - 1][1] == "title":
        header.lines.pop()
    if not any(kind != "title" for _, kind, _, _ in found[: len(header.lines)]):
        return Header()
    return header


def _line_label(line: str) -> list[str]:
    m = L.match_inline(line)
    return [m["name"]] if m else []


def _named(name: str, labels: set[str]) -> bool:
    words = L.key(name).split()
    initials = "".join(w[0] for w in words)
    return L.key(name) in labels or initials in labels or any(w in labels for w in words)


def leader_of(label: str, leaders: list[tuple[str, str, int]]) -> str | None:
    """Why ``label`` is the facilitator, if the header names them: the same name, the first
    name or surname, or the initials ("YH" for Yasmine Hassan)."""
    own = L.key(label).replace(".", "").split()
    for name, key, line in leaders:
        words = L.key(name).replace(".", "").split()
        initials = "".join(w[0] for w in words)
        if own == words or (len(own) == 1 and (own[0] in words or own[0] == initials)):
            return f"the header names {name} as {key} (line {line})"
    return None
