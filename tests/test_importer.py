"""Importing transcripts into a project: groups, speakers, roles, refs, idempotence."""

import pytest

from workbench.errors import RosterError, TranscriptError
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.project.status import comment_rows, set_speaker_roles

TRANSCRIPT = """\
Facilitator: Welcome. What does working together on care mean to you?

Dr. Amira Patel: It means I stop deciding alone. We plan the visit together.

Ruth: I feel heard when she asks about my week, not just my lungs.

Observer: Thanks, noted.

Dr. Amira Patel: And we share the same numbers on the screen.
"""


@pytest.fixture
def store(tmp_path):
    return init_project(tmp_path / "p.db")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_creates_group_speakers_roles_and_refs(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    roster = write(tmp_path, "roster.csv", "speaker,role\nDr. Amira Patel,HP\nRuth,pwchc\n")
    meta = GroupMeta(
        name="Health professionals", kind="individual", date="2025-03-04", stakeholders="HPs"
    )
    [report] = import_transcripts(store, [path], meta, roster)
    assert (report.status, report.comments, report.codable, report.words) == ("imported", 5, 3, 45)
    roles = {s.label: (s.role, s.role_source, s.comments) for s in report.speakers}
    assert roles == {
        "Facilitator": ("Facilitator", "label", 1),
        "Dr. Amira Patel": ("HP", "roster", 2),
        "Ruth": ("PwCHC", "roster", 1),
        "Observer": ("Observer", "label", 1),
    }
    rows = comment_rows(store)
    assert [r["ref"] for r in rows] == ["FG1-001", "FG1-002", "FG1-003", "FG1-004", "FG1-005"]
    assert [r["excluded"] for r in rows] == [True, False, False, True, False]
    assert rows[2]["text"] == "I feel heard when she asks about my week, not just my lungs."
    group = store.groups()[0]
    assert (group.name, group.kind, group.date, group.stakeholders) == (
        "Health professionals",
        "individual",
        "2025-03-04",
        "HPs",
    )
    assert [a["action"] for a in store.audit_rows()][-2:] == ["create", "import"]


def test_toml_roster_and_role_options(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    roster = write(
        tmp_path, "roster.toml", '[speakers]\n"Dr. Amira Patel" = "Health professional"\n'
    )
    [report] = import_transcripts(store, [path], roster=roster, roles={"Ruth": "Parent"})
    roles = {s.label: s.role for s in report.speakers}
    assert roles["Dr. Amira Patel"] == "HP" and roles["Ruth"] == "Parent"


def test_role_tags_give_roles(store, tmp_path):
    path = write(
        tmp_path,
        "quotes.txt",
        '"She asked what mattered to me before the visit." ~Parent\n\n'
        '"We set the goal together." ~HP\n',
    )
    [report] = import_transcripts(store, [path])
    assert {s.label: (s.role, s.role_source) for s in report.speakers} == {
        "Parent": ("Parent", "tag"),
        "HP": ("HP", "tag"),
    }
    assert [r["text"] for r in comment_rows(store)] == [
        '"She asked what mattered to me before the visit."',
        '"We set the goal together."',
    ]


def test_roster_naming_an_unknown_speaker_imports_nothing(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    roster = write(
        tmp_path, "roster.csv", "speaker,role\nDr. Amira Patel,HP\nDr. Amira Patell,HP\n"
    )
    with pytest.raises(RosterError) as info:
        import_transcripts(store, [path], roster=roster)
    message = str(info.value)
    assert f"{roster}: line 3: speaker 'Dr. Amira Patell' does not speak in fg1.txt" in message
    assert "Dr. Amira Patel" in message and "Nothing was imported" in message
    assert store.groups() == []


def test_a_roster_naming_one_speaker_twice_names_both_lines(store, tmp_path):
    """'Ruth' and 'ruth  ' are one speaker to the import (labels match in any case and
    spacing): refused naming both lines, not a puzzling 'does not speak' for one of them."""
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    roster = write(tmp_path, "roster.toml", '[speakers]\n"Ruth" = "Parent"\n"ruth  " = "HP"\n')
    with pytest.raises(RosterError) as info:
        import_transcripts(store, [path], roster=roster)
    assert str(info.value) == (
        f"{roster}: lines 2 and 3 name the same speaker, 'Ruth' and 'ruth  ' (labels match "
        "whatever their case and spacing); keep one line per speaker. Nothing was imported."
    )
    same = write(tmp_path, "same.csv", "speaker,role\nRuth,Parent\nRuth,Parent\n")
    with pytest.raises(RosterError, match=r"lines 2 and 3 both name speaker 'Ruth'; keep one"):
        import_transcripts(store, [path], roster=same)
    assert store.groups() == []


def test_a_role_for_a_file_already_imported_names_the_command_that_gives_it(store, tmp_path):
    """'ruth' is how the import reads 'Ruth' (any case and spacing), so not a speaker who
    'does not speak'; the file is unchanged and takes no roles, and its report says so."""
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    import_transcripts(store, [path])
    [report] = import_transcripts(store, [path], roles={"ruth": "Parent"})
    assert report.status == "unchanged"
    assert report.warnings[-1] == (
        "--role ruth=Parent: not applied, the file is already in the project; give the role "
        'with `workbench speakers p.db --group FG1 --set "Ruth=Parent"`'
    )
    with pytest.raises(RosterError, match="speaker 'Rutth' does not speak in fg1.txt"):
        import_transcripts(store, [path], roles={"Rutth": "Parent"})


def test_unknown_role_is_refused_with_the_known_roles(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    with pytest.raises(
        RosterError, match=r"--role Ruth=Sibling: unknown role 'Sibling'.*HP, PwCHC"
    ):
        import_transcripts(store, [path], roles={"Ruth": "Sibling"})


def test_one_bad_file_imports_nothing_and_names_every_bad_file(store, tmp_path):
    good = write(tmp_path, "good.txt", TRANSCRIPT)
    empty = write(tmp_path, "empty.txt", "   \n")
    binary = tmp_path / "audio.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(TranscriptError) as info:
        import_transcripts(store, [good, empty, binary])
    message = str(info.value)
    assert "empty.txt: the file is empty" in message
    assert "audio.txt: binary data" in message
    assert message.endswith("Nothing was imported.")
    assert store.groups() == [] and store.transcripts() == []


def test_reimporting_the_same_file_is_a_no_op(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    import_transcripts(store, [path])
    audit_before = len(store.audit_rows())
    copy = write(tmp_path, "copy-of-fg1.txt", TRANSCRIPT)
    reports = import_transcripts(store, [path, copy])
    assert [r.status for r in reports] == ["unchanged", "unchanged"]
    assert len(comment_rows(store)) == 5
    assert len(store.audit_rows()) == audit_before


def test_changed_transcript_without_codings_is_replaced(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    import_transcripts(store, [path])
    write(tmp_path, "fg1.txt", TRANSCRIPT.replace("my lungs", "my lungs and my school"))
    [report] = import_transcripts(store, [path])
    assert report.status == "replaced"
    rows = comment_rows(store)
    assert len(rows) == 5 and rows[0]["ref"] == "FG1-001"
    assert "my school" in rows[2]["text"]
    assert store.audit_rows()[-1]["action"] == "replace"


def test_changed_transcript_with_codings_is_refused(store, tmp_path):
    path = write(tmp_path, "fg1.txt", TRANSCRIPT)
    import_transcripts(store, [path])
    with store.transaction() as conn:
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('ana', 'now')")
        conn.execute(
            "INSERT INTO codings (comment_id, coder_id, category_key, updated_at) "
            "VALUES (2, 1, 'defining', 'now')"
        )
    write(tmp_path, "fg1.txt", TRANSCRIPT.replace("lungs", "lung function"))
    with pytest.raises(
        TranscriptError, match="different version of this transcript.*1 coding.*orphan"
    ):
        import_transcripts(store, [path])
    assert "lungs" in comment_rows(store)[2]["text"]


def test_second_file_of_a_group_continues_the_refs(store, tmp_path):
    part1 = write(tmp_path, "part1.txt", TRANSCRIPT)
    part2 = write(
        tmp_path, "part2.txt", "Ruth: One more thing about the clinic.\n\nFacilitator: Thanks.\n"
    )
    import_transcripts(store, [part1, part2], GroupMeta(name="FG one", code="HP"))
    refs = [r["ref"] for r in comment_rows(store)]
    assert refs == ["HP-001", "HP-002", "HP-003", "HP-004", "HP-005", "HP-006", "HP-007"]
    assert len(store.speakers()) == 4  # Ruth and Facilitator are the same speakers in both parts


def test_setting_a_role_after_import_rederives_exclusion(store, tmp_path):
    path = write(tmp_path, "fg1.txt", "Moira: Shall we begin?\n\nRuth: Yes.\n\nMoira: Good.\n")
    import_transcripts(store, [path], GroupMeta(name="G"))
    assert [r["excluded"] for r in comment_rows(store)] == [False, False, False]
    set_speaker_roles(store, "G", ["Moira=Facilitator"])
    assert [r["excluded"] for r in comment_rows(store)] == [True, False, True]
    assert store.audit_rows()[-1]["action"] == "set_role"
    set_speaker_roles(store, "G", ["Moira=Parent"])
    assert [r["excluded"] for r in comment_rows(store)] == [False, False, False]


def test_unlabelled_text_gets_unknown_speaker_and_is_reported(store, tmp_path):
    path = write(tmp_path, "notes.txt", "First paragraph of talk.\n\nSecond paragraph of talk.\n")
    [report] = import_transcripts(store, [path])
    assert report.unknown_speaker == 2 and report.speakers == []
    assert any("no speaker labels found" in w for w in report.warnings)
    assert [r["speaker"] for r in comment_rows(store)] == ["unknown", "unknown"]
    assert store.speakers() == []


def test_large_imports_parse_in_parallel_with_the_same_result(tmp_path, monkeypatch):
    import concurrent.futures

    from workbench.ingest import reading

    started = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(reading, "PARALLEL_BYTES", 0)
    jobs = []
    for n in range(3):
        text = "\n\n".join(
            f"{'Ann' if i % 2 else 'Bob'}: Turn {i} of file {n}, about care." for i in range(300)
        )
        jobs.append((text.encode(), f"f{n}.txt", None, frozenset()))
    jobs.append((b"\x00\x01binary", "bad.txt", None, frozenset()))
    parallel = reading.parse_all(jobs)
    sequential = [reading.parse_one(job) for job in jobs]
    assert started, "the parallel path was not taken"
    assert parallel[:3] == sequential[:3]
    assert [t.words for t in parallel[0].turns][:2] == [7, 7]
    assert isinstance(parallel[3], TranscriptError) and "binary data" in str(parallel[3])


def test_a_first_import_rebuilds_the_comment_indexes_it_set_aside(tmp_path):
    store = init_project(tmp_path / "p.db")

    def indexes():
        return store.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'comments' ORDER BY name"
        ).fetchall()

    before = indexes()
    assert {"comments_order", "comments_codable", "comments_speaker"} <= {
        name for name, _ in before
    }
    (tmp_path / "a.txt").write_text("Ana: One.\n\nLeo: Two.\n")
    # A failure inside: everything rolled back, indexes too.
    with pytest.raises(RuntimeError), store.transaction(), store.bulk_comments():
        assert "comments_order" not in {name for name, _ in indexes()}
        raise RuntimeError("boom")
    assert indexes() == before
    import_transcripts(store, [tmp_path / "a.txt"])
    assert indexes() == before and store.integrity_check() == "ok"
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM comments WHERE excluded = 0 AND group_id = 1 "
        "AND transcript_id = 1 ORDER BY position"
    ).fetchall()
    assert "comments_codable" in str(plan)
