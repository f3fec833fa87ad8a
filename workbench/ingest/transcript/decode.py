"""Bytes → text: the encodings transcripts really arrive in.

UTF-8 (with or without BOM), UTF-16/32 (BOM or the tell-tale NUL pattern), and
Windows-1252 as saved by Word with smart quotes. Anything else, or a binary file,
is refused with a message saying what the file looks like and what to do.
"""

from __future__ import annotations

import codecs
import re

from workbench.errors import TranscriptError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Files people hand over instead of a transcript, by their first bytes.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old binary Word (.doc) file; save it as .docx or plain text"),
    (b"\x89PNG", "a PNG image, not a transcript"),
    (b"\xff\xd8\xff", "a JPEG image, not a transcript"),
    (b"GIF8", "a GIF image, not a transcript"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"ID3", "an MP3 audio file; transcribe it first"),
    (b"RIFF", "a RIFF (WAV/AVI) media file; transcribe it first"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 media file; transcribe it first"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 media file; transcribe it first"),
)

# C0 controls other than tab, newline, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# UTF-8 text decoded as Windows-1252 somewhere upstream ("â€™" for ’).
_MOJIBAKE = re.compile("â€[™œ\u009d˜”“¦]|Ã[©¨¢´§]")


def decode(data: bytes, filename: str, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding_used)``; raise :class:`TranscriptError` if impossible."""
    text, used = _decode(data, filename, encoding)
    # Checked after decoding too: a lone BOM, or UTF-16 spaces, are empty files as well.
    if not text.strip():
        raise TranscriptError(f"{filename}: the file is empty; nothing to import")
    return text, used


def _decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    if not data.strip():
        raise TranscriptError(f"{filename}: the file is empty; nothing to import")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise TranscriptError(f"{filename}: this is {what}")
    if encoding:
        # A named encoding is trusted for the characters, not for binary content.
        return _checked(_decode_as(data, filename, encoding, explicit=True), filename), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_as(data[len(bom) :], filename, name), filename), name
    guessed = _utf16_without_bom(data)
    if guessed:
        return _checked(_decode_as(data, filename, guessed), filename), guessed
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TranscriptError(
            f"{filename}: binary data (a NUL byte at offset {nul}); this is not a text transcript"
        )
    try:
        return _checked(data.decode("utf-8"), filename), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Word's "Plain Text" default on Windows: smart quotes are bytes 0x91-0x94.
        return _checked(data.decode("cp1252"), filename), "cp1252"
    except UnicodeDecodeError as exc:
        # Name the byte that fits no encoding we know (the first non-UTF-8 byte may be
        # a perfectly good Windows-1252 smart quote).
        bad = exc.start
    line = data[:bad].count(b"\n") + 1
    raise TranscriptError(
        f"{filename}: line {line}: byte 0x{data[bad]:02x} is not valid UTF-8, "
        "UTF-16 or Windows-1252 text; re-save the file as UTF-8, or name its encoding "
        "with --encoding"
    )


def mojibake_warning(text: str) -> str | None:
    """A warning if the text shows UTF-8 that was once mis-decoded as Windows-1252."""
    if "â" not in text and "Ã" not in text:  # both patterns start so; `in` is far faster
        return None
    match = _MOJIBAKE.search(text)
    if not match:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return (
        f"line {line}: '{match.group()}' looks like garbled UTF-8 (mojibake) in the file "
        "itself; check the transcript's characters"
    )


def _decode_as(data: bytes, filename: str, encoding: str, explicit: bool = False) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:  # unknown, or a codec that is not a text encoding ("rot13", "base64")
        raise TranscriptError(
            f"{filename}: unknown text encoding {encoding!r}; name one such as utf-8 or cp1252"
        ) from None
    except UnicodeError as exc:
        hint = (
            "the file is in another encoding (try without --encoding to detect it)"
            if explicit
            else "the file is damaged or not text; re-save it as UTF-8"
        )
        if not isinstance(exc, UnicodeDecodeError):  # e.g. "idna", "undefined": no position
            raise TranscriptError(
                f"{filename}: cannot be decoded as {encoding} ({exc}); {hint}"
            ) from None
        line = data[: exc.start].count(b"\n") + 1
        raise TranscriptError(
            f"{filename}: line {line}: byte 0x{data[exc.start]:02x} cannot be decoded as "
            f"{encoding}; {hint}"
        ) from None
    return text.removeprefix("\ufeff")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    # Latin text in UTF-16: every other byte is NUL.
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, filename: str) -> str:
    """Refuse decoded text that is really binary: any NUL, or many control characters.

    A few stray controls are tolerated (old exports have them); a NUL never is, even
    under an explicitly named encoding such as latin-1 that decodes every byte.
    """
    nul = text.find("\x00")
    if nul >= 0:
        raise TranscriptError(
            f"{filename}: binary data (a NUL character at line {text.count(chr(10), 0, nul) + 1}); "
            "this is not a text transcript"
        )
    controls = _CONTROL.findall(text[:20000])
    if len(controls) > max(2, len(text[:20000]) // 200):
        raise TranscriptError(
            f"{filename}: binary data (control characters such as "
            f"0x{ord(controls[0]):02x}); this is not a text transcript"
        )
    return text
