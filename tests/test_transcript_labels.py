"""Speaker labels as people write them, and what is not a speaker: one fictional file per
label style and annotation class, each with the exact speakers and turn counts it must give
(issue 19, items 1-3). Every name and word here is invented."""

from collections import Counter

import pytest

from workbench.ingest.transcript import parse_transcript


def parse(text: str, filename: str = "t.txt", **kwargs):
    return parse_transcript(text.encode("utf-8"), filename, **kwargs)


def turns(parsed) -> Counter:
    return Counter(t.speaker for t in parsed.turns)


def codes(parsed) -> list[str]:
    return [f.code for f in parsed.findings]


# -- label styles ---------------------------------------------------------------------------

STYLES = {
    "lower case, codes and handles": (
        "interviewer: so tell me about your last visit.\n"
        "li wei: it was fine, quick.\n"
        "admin-1: we had to reschedule twice.\n"
        "interviewer: why was that?\n"
        "pk910: the system was down.\n"
        "li wei: and nobody called us.\n"
        "p3: same for me.\n",
        {"interviewer": 2, "li wei": 2, "admin-1": 1, "pk910": 1, "p3": 1},
    ),
    "Name | Org": (
        "Ana Ruiz | City Clinic: We moved the intake online.\n"
        "Ben Cole | Parents' Forum: It was easier for us.\n"
        "Ana Ruiz | City Clinic: Good to hear.\n"
        "Ben Cole | Parents' Forum: Except on the phone.\n",
        {"Ana Ruiz | City Clinic": 2, "Ben Cole | Parents' Forum": 2},
    ),
    "Name (Org)": (
        "Ana Ruiz (City Clinic): We moved the intake online.\n"
        "Ben Cole (parent): It was easier for us.\n"
        "Ana Ruiz (City Clinic): Good to hear.\n",
        {"Ana Ruiz (City Clinic)": 2, "Ben Cole (parent)": 1},
    ),
    "Name - text and Name-<tab>text": (
        "Ana - I think the clinic works.\n"
        "Ben -\tThe wait is long - too long.\n"
        "Ana - Yes, the wait.\n"
        "Ben-\tText reminders would help.\n"
        "Cai - Or a phone call.\n",
        {"Ana": 2, "Ben": 2, "Cai": 1},
    ),
    "[id] text": (
        "[id1] I think the clinic works well most of the time.\n"
        "[id2] For me the wait is the problem.\n"
        "[id1] Yes, the wait.\n"
        "[id3] We could have text reminders.\n"
        "[id2] That would help.\n",
        {"id1": 2, "id2": 2, "id3": 1},
    ),
    "**Name** alone and **Name**: text": (
        "# Clinic redesign, weekly notes\n\n"
        "**Ana Ruiz**: We should move the intake form online.\n\n"
        "**Ben Cole**\nAgreed, but the older patients may struggle.\n\n"
        "- **Chloe Marin:** I will draft the form this week.\n\n"
        "**Ana Ruiz**\nI can ask the nurses to help at the desk.\n",
        {"Ana Ruiz": 2, "Ben Cole": 1, "Chloe Marin": 1},
    ),
    "ALL CAPS": (
        "MODERATOR: Please begin.\nDR. OKAFOR: We plan the visit together.\nMUM: I keep a diary.\n"
        "MODERATOR: Thanks.\n",
        {"MODERATOR": 2, "DR. OKAFOR": 1, "MUM": 1},
    ),
    "a timestamp before the label": (
        "[00:01:02] Ana: I bring my questions written down.\n"
        "[00:01:09] Ben: Does that help?\n"
        "(00:01:15) Ana: Yes, a lot.\n"
        "00:01:20 Cai: Me too.\n",
        {"Ana": 2, "Ben": 1, "Cai": 1},
    ),
    "a timestamp alone above the label": (
        "[00:00:01]\nAna: Welcome, everyone.\n\n[00:00:09]\nBen: Thanks for having me.\n\n"
        "00:00:15\nAna: Let's begin with the clinic.\nIt opened in May.\n",
        {"Ana": 2, "Ben": 1},
    ),
    "Otter": (
        "Ana Ruiz  0:03\nThanks for joining.\n\nBen Cole  0:15\nIt is too crowded on Mondays.\n\n"
        "Ana Ruiz  1:02\nWhat would help?\n\nTranscribed by https://otter.ai\n",
        {"Ana Ruiz": 2, "Ben Cole": 1},
    ),
    "Rev": (
        "Ana Ruiz (00:00:03):\nThanks for joining.\n\nBen Cole (00:00:15):\nIt is too crowded "
        "[inaudible 00:00:18] on Mondays.\n\nAna Ruiz (00:01:02):\nWhat would help?\n",
        {"Ana Ruiz": 2, "Ben Cole": 1},
    ),
    "a speaker who talks once": (
        "Ana: Thanks for coming.\nBen: Happy to.\nAna: First question.\nBen: Go on.\nZoe: Sorry "
        "I'm late.\n"
        "Ana: No problem.\n",
        {"Ana": 3, "Ben": 2, "Zoe": 1},
    ),
    "the issue's example": (
        "Interviewer: What helps you most at clinic?\nP1: Being listened to, honestly.\n"
        "P2: Having the plan written down so I remember it.\nInterviewer: Anything that gets in "
        "the way?\n"
        "p3: When nobody explains the tablets.\n",
        {"Interviewer": 2, "P1": 1, "P2": 1, "p3": 1},
    ),
}


@pytest.mark.parametrize("name", STYLES)
def test_each_label_style_gives_its_speakers_and_turns(name):
    text, expected = STYLES[name]
    parsed = parse(text, "notes.md" if "**" in name else "t.txt")
    assert dict(turns(parsed)) == expected


def test_a_label_style_is_said_and_the_words_are_the_speakers():
    parsed = parse(STYLES["Name - text and Name-<tab>text"][0])
    assert parsed.styles == ["Name - text"] and parsed.format == "text (Name - text)"
    assert [t.text for t in parsed.turns][:2] == [
        "I think the clinic works.",
        "The wait is long - too long.",
    ]
    stamped = parse(STYLES["a timestamp alone above the label"][0])
    assert [(t.speaker, t.start, t.line) for t in stamped.turns] == [
        ("Ana", 1.0, 2),
        ("Ben", 9.0, 5),
        ("Ana", 15.0, 8),
    ]
    assert stamped.turns[0].text == "Welcome, everyone."  # the next time is no text of this turn
    assert stamped.turns[2].text == "Let's begin with the clinic. It opened in May."
    assert [t.start for t in parse(STYLES["a timestamp before the label"][0]).turns] == [
        62.0,
        69.0,
        75.0,
        80.0,
    ]


def test_zoom_chat_logs_one_message_per_line_under_its_name():
    chat = (
        "00:01:12\tAna Ruiz:\tHello everyone\n00:01:20\tben.cole:\tHi! Can you hear me?\n"
        "00:01:31\tAna Ruiz:\tYes: loud and clear\n00:02:02\tChloé Marin:\tSorry I am late\n"
        "00:02:05\tAna Ruiz:\tNo problem\n"
    )
    parsed = parse(chat, "meeting_saved_chat.txt")
    assert [(t.speaker, t.text, t.start) for t in parsed.turns] == [
        ("Ana Ruiz", "Hello everyone", 72.0),
        ("ben.cole", "Hi! Can you hear me?", 80.0),
        ("Ana Ruiz", "Yes: loud and clear", 91.0),
        ("Chloé Marin", "Sorry I am late", 122.0),
        ("Ana Ruiz", "No problem", 125.0),
    ]
    assert parsed.styles == ["chat log"]
    older = (
        "10:02:44\t From  Ana Ruiz : hello\n10:02:50\t From  Ben Cole to  Everyone : hi all\n"
        "10:03:01 From Ana Ruiz to Everyone:\n\tthe slides are shared\n"
    )
    assert [(t.speaker, t.text) for t in parse(older, "chat.txt").turns] == [
        ("Ana Ruiz", "hello"),
        ("Ben Cole", "hi all"),
        ("Ana Ruiz", "the slides are shared"),
    ]


def test_names_given_by_role_speaker_or_roster_are_labels_in_any_case_and_spacing():
    text = (
        "Moderator: Welcome.\nli  wei: thanks.\nMod: Next.\nLI WEI: again.\nQuestion: one more?\n"
    )
    parsed = parse(text, known={"Li Wei", "question"})
    # Each under the spelling it was given; "Question" is a label only because it was given.
    assert [t.speaker for t in parsed.turns] == ["Moderator", "Li Wei", "Mod", "Li Wei", "question"]
    assert [t.speaker for t in parse(text).turns] == ["Moderator", "li wei", "Mod", "LI WEI"]
    assert not any(f.code == "one-turn" and "Li Wei" in f.message for f in parsed.findings)


# -- what is not a speaker ------------------------------------------------------------------

ANNOTATIONS = (
    "[Music]\n"
    "Host: Welcome to the show.\n"
    "[Applause]\n"
    "Guest: Thank you. [Laughter] It is good to be here.\n"
    "Host: Tell us about the project.\n"
    "Guest: We started in 2019. [inaudible] Then it grew.\n"
    "[crosstalk]\n"
    "Host: [Cross Talk 3:00] Sorry, go on.\n"
    "(CROSSTALK)\n"
    "[ANIMATION] Guest: And here is the map.\n"
    "[Action]\n"
    "Host: Great.\n"
)


def test_annotations_are_kept_in_the_text_never_speakers_never_hiding_a_label():
    parsed = parse(ANNOTATIONS)
    assert dict(turns(parsed)) == {"Host": 4, "Guest": 3}
    texts = [t.text for t in parsed.turns]
    assert texts[0] == "Welcome to the show. [Applause]"
    assert (
        "[Laughter]" in texts[1] and "[inaudible]" in texts[3] and texts[3].endswith("[crosstalk]")
    )
    assert texts[4] == "[Cross Talk 3:00] Sorry, go on. (CROSSTALK) [ANIMATION]"
    assert texts[5] == "And here is the map. [Action]"
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [
        ("annotation", (1,))
    ]  # before any turn
    assert parsed.annotations == [3, 7, 9, 10, 11]


@pytest.mark.parametrize(
    "mark",
    [
        "[Music]",
        "[Applause]",
        "[Laughter]",
        "[inaudible]",
        "[crosstalk]",
        "[Cross Talk 3:00]",
        "(CROSSTALK)",
        "[ANIMATION]",
        "[Action]",
        "[risas]",
    ],
)
def test_each_annotation_class_is_no_speaker_even_where_it_recurs(mark):
    text = f"{mark}\nAna: One.\n{mark}\nBen: Two.\n{mark} Ana: Three.\n{mark}\nBen: Four.\n"
    parsed = parse(text)
    assert dict(turns(parsed)) == {"Ana": 2, "Ben": 2}
    assert all(mark not in (t.speaker or "") for t in parsed.turns)


def test_sentences_with_a_colon_are_not_speakers():
    text = (
        "Ana: Note: the clinic closes at five.\nBen: The thing is: nobody tells us.\n"
        "Ana: Time: 3pm is the worst.\nNote: this line was added by the transcriber.\nBen: Fine.\n"
        "The thing is: I still think so.\nAna: Okay.\n"
    )
    parsed = parse(text)
    assert dict(turns(parsed)) == {"Ana": 3, "Ben": 2}
    assert (
        parsed.turns[2].text
        == "Time: 3pm is the worst. Note: this line was added by the transcriber."
    )
    assert codes(parsed) == ["note-in-turn"]
    prose = "Time: 3pm on Monday.\n\nThe thing is: we never met.\n\nNote: rooms change.\n"
    assert all(t.speaker is None for t in parse(prose).turns)


HEADER_ES = (
    "Proyecto: Salud comunitaria en el barrio\n"
    "Fecha: 12/03/2024\n"
    "Lugar: Centro de salud San Blas\n"
    "Duración: 52 minutos\n"
    "Moderadora: Alicia Gómez\n"
    "\n"
    "Moderadora: Buenos días a todas. ¿Qué os ayuda más cuando vais al centro?\n"
    "Participante 1: Que me escuchen, la verdad. [risas]\n"
    "Participante 2: Tener el plan por escrito.\n"
    "Moderadora: ¿Y qué lo hace difícil?\n"
    "Participante 1: Las esperas. (inaudible) Y que cambian de médico.\n"
    "Alicia: Gracias a todas.\n"
)
HEADER_EN = (
    "Interview transcript\n"
    "Interviewer: Yasmine Hassan\n"
    "Narrator: Jo Ruiz\n"
    "Date: 4 March 2024\n"
    "Place: Leeds\n"
    "\n"
    "YH: Can you tell me where you grew up?\n"
    "JR: In Leeds, near the market.\n"
    "YH: And your parents?\n"
    "JR: They ran a shop.\n"
)


def test_a_header_block_is_the_preamble_and_names_the_facilitator():
    parsed = parse(HEADER_ES)
    assert dict(turns(parsed)) == {
        "Moderadora": 2,
        "Participante 1": 2,
        "Participante 2": 1,
        "Alicia": 1,
    }
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [("header", (1, 2, 3, 4, 5))]
    assert (
        parsed.preamble.startswith("Proyecto: Salud comunitaria")
        and "Moderadora: Alicia Gómez" in parsed.preamble
    )
    assert parsed.facilitators == {"Alicia": "the header names Alicia Gómez as Moderadora (line 5)"}
    english = parse(HEADER_EN)
    assert dict(turns(english)) == {"YH": 2, "JR": 2}
    assert [(s.kind, s.lines) for s in english.set_aside] == [("header", (1, 2, 3, 4, 5))]
    assert english.facilitators == {"YH": "the header names Yasmine Hassan as Interviewer (line 2)"}


def test_the_header_key_that_is_also_the_dialogues_label_stays_a_label_below():
    parsed = parse(
        "Interviewer: Ana Ruiz\nDate: 2024-05-01\n\nInterviewer: Hello.\nP1: Hi.\nInterviewer: "
        "Bye.\n"
    )
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "Hello."),
        ("P1", "Hi."),
        ("Interviewer", "Bye."),
    ]
    # A first turn that answers with a name is no header: the key speaks again below.
    dialogue = parse("Interviewer: Hi Sam\nSam: Hello.\nInterviewer: How are you?\nSam: Fine.\n")
    assert dict(turns(dialogue)) == {"Interviewer": 2, "Sam": 2} and not dialogue.set_aside


@pytest.mark.parametrize(
    "word",
    [
        "Moderator",
        "Moderadora",
        "Entrevistador",
        "Entrevistadora",
        "Pesquisadora",
        "Animateur",
        "Animatrice",
        "Interviewerin",
        "Gesprächsleiter",
        "Gespreksleider",
        "Intervistatrice",
        "Moderatore",
        "Facilitadora",
        "I",
    ],
)
def test_facilitator_words_in_seven_languages_give_the_facilitators_role(word):
    from workbench.project.roles import DEFAULT_ROLES, role_from_label

    assert role_from_label(word, DEFAULT_ROLES).key == "Facilitator"
    assert role_from_label(f"{word} 2", DEFAULT_ROLES).key == "Facilitator"
    assert role_from_label("Ana", DEFAULT_ROLES) is None


# -- unlabelled stretches -------------------------------------------------------------------

LONG_OPENING = (
    "\n\n".join(
        f"Paragraph {n} of the field notes: the team met in the community hall and talked about "
        "the waiting room, the phone line and the leaflets for a long while before anyone was "
        "recorded."
        for n in range(1, 7)
    )
    + "\n\nInterviewer: Now the interview starts.\nRespondent: Fine.\nInterviewer: Good.\n"
)


def test_a_long_stretch_without_labels_becomes_comments_without_a_speaker():
    parsed = parse(LONG_OPENING)
    assert [t.speaker for t in parsed.turns] == [None] * 6 + [
        "Interviewer",
        "Respondent",
        "Interviewer",
    ]
    assert [t.line for t in parsed.turns[:6]] == [1, 3, 5, 7, 9, 11]
    assert "unlabelled-stretch" in codes(parsed) and "mostly-unlabelled" in codes(parsed)
    assert not any(s.kind == "preamble" for s in parsed.set_aside)


def test_a_short_opening_is_the_preamble():
    parsed = parse(
        "Focus group 3 transcript\nRecorded at the clinic\n\nAna: Hello.\nBen: Hi.\nAna: Bye.\n"
    )
    assert dict(turns(parsed)) == {"Ana": 2, "Ben": 1}
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [("preamble", (1, 2))]
    assert parsed.preamble == "Focus group 3 transcript\nRecorded at the clinic"
