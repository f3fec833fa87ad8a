"""A received .qdpx never makes Workbench read the recipient's disk: sources and notes come from
inside the archive, or from a folder named with --sources when they resolve inside it."""

import os
import uuid
import zipfile

import pytest
from helpers import run_cli

from workbench.exchange.refi import export_qdpx, import_qdpx
from workbench.exchange.refi.qdaxml import RefiError
from workbench.store import Store

SECRET = "Ann: the recipient's private diary, which must never leave this machine."
GOOD = "Moderator: Welcome.\n\nDee: We plan the visit together.\n"


def G(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, "sources-" + name))


def qdpx(path, sources: dict[str, str], note_path: str | None = None) -> None:
    """A project whose text sources name ``sources`` (name → plainTextPath) and one good
    internal source; a Note read from ``note_path``, referenced from a coded selection."""
    body = "".join(
        f'<TextSource guid="{G(name)}" name="{name}" plainTextPath="{link}"/>'
        for name, link in sources.items()
    )
    note = ""
    if note_path:
        note = (
            f'<Notes><Note guid="{G("note")}" name="Memo" creatingUser="{G("u")}" plainTextPath="{note_path}" '
            'creationDateTime="2025-01-01T00:00:00Z"/></Notes>'
        )
    start = GOOD.index("We plan")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Received" origin="OtherQDA 1">
  <Users><User guid="{G("u")}" name="Carol"/></Users>
  <CodeBook><Codes><Code guid="{G("c")}" name="Benefits" isCodable="true"/></Codes></CodeBook>
  <Sources>{body}
    <TextSource guid="{G("good")}" name="Good" plainTextPath="internal://{G("good")}.txt">
      <PlainTextSelection guid="{G("s")}" startPosition="{start}" endPosition="{len(GOOD) - 1}" creatingUser="{G("u")}">
        <Coding guid="{G("k")}" creatingUser="{G("u")}"><CodeRef targetGUID="{G("c")}"/></Coding>
        <NoteRef targetGUID="{G("note")}"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>{note}
</Project>
"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{G('good')}.txt", GOOD)


@pytest.fixture
def disk(tmp_path):
    """tmp/home/secret.txt (the recipient's file) and tmp/mail/ (where the .qdpx arrived)."""
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "secret.txt").write_text(SECRET)
    (tmp_path / "mail").mkdir()
    return tmp_path


def leaked(folder) -> list[str]:
    """Files under ``folder`` (projects, exports) that hold the secret's words."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.name != "secret.txt":
            data = path.read_bytes()
            if b"private diary" in data or (
                path.suffix == ".qdpx"
                and any(
                    b"private diary" in zipfile.ZipFile(path).read(n)
                    for n in zipfile.ZipFile(path).namelist()
                )
            ):
                found.append(path.name)
    return found


def test_paths_outside_the_archive_are_skipped_with_the_reason(disk):
    secret = disk / "home" / "secret.txt"
    qdpx(
        disk / "mail" / "x.qdpx",
        {
            "Absolute": f"absolute://{secret}",
            "Relative": "relative://../home/secret.txt",
            "Bare": "../home/secret.txt",
            "Internal": "internal://../../home/secret.txt",
        },
        note_path=f"absolute://{secret}",
    )
    report = import_qdpx(disk / "mail" / "x.qdpx", disk / "mail" / "p.db")
    outside = (
        "names a file outside the archive, which Workbench does not read; if that file came with the "
        "project, put it in a folder and name the folder with --sources DIR"
    )
    assert report.skipped_sources == [
        f"TextSource 'Absolute': absolute://{secret} {outside}",
        f"TextSource 'Relative': relative://../home/secret.txt {outside}",
        f"TextSource 'Bare': ../home/secret.txt {outside}",
        "TextSource 'Internal': internal://../../home/secret.txt is not in the archive (looked for "
        "Sources/secret.txt)",
    ]
    assert report.skipped_notes == [f"Note 'Memo': absolute://{secret} {outside}"]
    assert [s["name"] for s in report.sources] == ["Good"] and report.codings == {"Carol": 1}
    store = Store.open(disk / "mail" / "p.db")
    assert all("diary" not in c.text for c in store.comments())
    export_qdpx(store, disk / "mail" / "again.qdpx")
    store.close()
    assert leaked(disk) == []


def test_sources_dir_is_read_only_inside_itself_after_resolving_links(disk):
    given = disk / "given"
    given.mkdir()
    (given / "fg2.txt").write_text("Moderator: Hello.\n\nEve: I was heard this time.\n")
    (given / "sub").mkdir()
    (given / "sub" / "fg3.txt").write_text(
        "Moderator: And you?\n\nFay: They asked what matters to me.\n"
    )
    os.symlink(
        disk / "home" / "secret.txt", given / "link.txt"
    )  # a link inside that points outside
    qdpx(
        disk / "mail" / "x.qdpx",
        {
            "By name": "absolute:///C:/Users/carol/Projects/fg2.txt",  # another machine's path: its file name here
            "Relative": "relative://sub/fg3.txt",
            "Link": "relative://link.txt",
            "Escaping": "relative://../home/secret.txt",
            "Absolute outside": f"absolute://{disk / 'home' / 'secret.txt'}",
            "Missing": "relative://nowhere.txt",
        },
    )
    report = import_qdpx(disk / "mail" / "x.qdpx", disk / "mail" / "p.db", sources=given)
    assert [s["name"] for s in report.sources] == ["By name", "Relative", "Good"]
    assert report.skipped_sources == [
        f"TextSource 'Link': relative://link.txt resolves to a file outside --sources {given}; it is not read",
        (
            f"TextSource 'Escaping': relative://../home/secret.txt resolves to a file outside --sources {given}; "
            "it is not read"
        ),
        (
            f"TextSource 'Absolute outside': absolute://{disk / 'home' / 'secret.txt'} resolves to a file outside "
            f"--sources {given}; it is not read"
        ),
        f"TextSource 'Missing': relative://nowhere.txt is neither in the archive nor in --sources {given}",
    ]
    texts = [c.text for c in Store.open(disk / "mail" / "p.db").comments()]
    assert "I was heard this time." in texts and "They asked what matters to me." in texts
    assert leaked(disk) == []


def test_sources_must_be_a_folder(disk):
    qdpx(disk / "mail" / "x.qdpx", {})
    with pytest.raises(RefiError, match="--sources .*: not a folder"):
        import_qdpx(
            disk / "mail" / "x.qdpx", disk / "mail" / "p.db", sources=disk / "home" / "secret.txt"
        )
    assert not (disk / "mail" / "p.db").exists()


def test_cli_lists_every_skipped_source_and_note(disk, capsys, monkeypatch):
    monkeypatch.chdir(disk / "mail")
    qdpx(
        disk / "mail" / "x.qdpx",
        {"Absolute": f"absolute://{disk / 'home' / 'secret.txt'}"},
        note_path="relative://../home/secret.txt",
    )
    code, out, err = run_cli(capsys, "import-qdpx", "x.qdpx", "--out", "p.db")
    assert code == 0, err
    assert "Sources: 1 imported, 1 skipped" in out
    assert "  skipped: TextSource 'Absolute': absolute://" in out
    assert (
        "Notes not read (1):\n  skipped: Note 'Memo': relative://../home/secret.txt names a file outside"
        in out
    )
    assert leaked(disk) == []


def test_a_note_reference_without_a_valid_guid_takes_no_note_without_one(tmp_path):
    start = GOOD.index("We plan")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Received" origin="OtherQDA 1">
  <Users><User guid="{G("u")}" name="Carol"/></Users>
  <CodeBook><Codes><Code guid="{G("c")}" name="Benefits" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{G("good")}" name="Good" plainTextPath="internal://{G("good")}.txt">
      <PlainTextSelection guid="{G("s")}" startPosition="{start}" endPosition="{len(GOOD) - 1}"
                          creatingUser="{G("u")}">
        <Coding guid="{G("k")}" creatingUser="{G("u")}"><CodeRef targetGUID="{G("c")}"/></Coding>
        <NoteRef targetGUID="not-a-guid"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note name="Stray"><PlainTextContent>A stray memo</PlainTextContent></Note></Notes>
</Project>
"""
    with zipfile.ZipFile(tmp_path / "x.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{G('good')}.txt", GOOD)
    report = import_qdpx(tmp_path / "x.qdpx", tmp_path / "p.db")
    assert report.codings == {"Carol": 1}
    store = Store.open(tmp_path / "p.db")
    memos = [k.memo for c in store.coders() for k in store.codings_of(c.id).values()]
    store.close()
    assert memos and not any("stray" in memo for memo in memos)
