"""Reading transcript files for an import: their bytes within the reading policy's limits, and
parsing them (in worker processes when there is enough text to repay starting them)."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import TranscriptError, WorkbenchError
from workbench.ingest.language import word_count
from workbench.ingest.transcript import ParsedTranscript, parse_transcript

# One file to parse: its bytes, its name, the encoding asked for (None: detected), the labels
# known to be speakers.
Job = tuple[bytes, str, str | None, frozenset[str]]


def read_transcript_file(path: Path) -> bytes:
    """A transcript file's bytes: a Word or PDF file up to ``file-size`` (its text is held to
    ``transcript-size`` once extracted), any other up to ``transcript-size``, checked before reading."""
    from workbench.files import read_bytes

    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder; name the transcript files in it") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read the file ({exc.strerror})") from None
    # Containers (zip, PDF, RTF, old Office, SQLite) hold more than their text: file-size, then
    # transcript-size on the text taken out, and a file given by mistake is named, not measured.
    container = head.startswith(
        (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"SQLite format 3")
    ) or head.lstrip().startswith((b"%PDF-", b"{\\rtf"))
    return read_bytes(
        path, "file-size" if container else "transcript-size", "transcript", TranscriptError
    )


def parse_one(job: Job) -> ParsedTranscript | WorkbenchError:
    """Parse one file and count each turn's words (runs in a worker process when parallel)."""
    data, filename, encoding, known = job
    try:
        parsed = parse_transcript(data, filename, encoding, set(known))
    except WorkbenchError as exc:  # a TranscriptError, or a limit (LimitError)
        return exc
    for turn in parsed.turns:
        turn.words = word_count(turn.text)
    return parsed


# Below this much text, starting worker processes costs more than it saves.
PARALLEL_BYTES = 1_000_000


def parse_all(jobs: list[Job]) -> list[ParsedTranscript | WorkbenchError]:
    """Parse files, several at once on a multi-core machine when there is enough text.

    Worker processes are forked (cheap, and they inherit the loaded parsers); forking is
    safe only from a single-threaded process, so the app's threads parse in-process.
    """
    import multiprocessing
    import os
    import threading

    workers = min(len(jobs), os.cpu_count() or 1)
    parallel = (
        workers > 1
        and sum(len(job[0]) for job in jobs) >= PARALLEL_BYTES
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        return [parse_one(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        # Biggest files first, so one large file does not finish last on its own.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        results = dict(zip(order, pool.map(parse_one, [jobs[i] for i in order]), strict=True))
    return [results[i] for i in range(len(jobs))]
