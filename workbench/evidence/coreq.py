"""COREQ, the consolidated criteria for reporting qualitative research, as published: 32 items in
three domains. Tong A, Sainsbury P, Craig J (2007) Int J Qual Health Care 19(6):349-357.

Each row: number, domain, its subsection, topic, and the guide question, worded as in the
published checklist; :data:`workbench.evidence.guidelines.COREQ` makes them items.
"""

from __future__ import annotations

D1, D2, D3 = (
    "Domain 1: Research team and reflexivity",
    "Domain 2: Study design",
    "Domain 3: Analysis and findings",
)

ROWS = [
    (
        1,
        D1,
        "Personal characteristics",
        "Interviewer/facilitator",
        "Which author/s conducted the interview or focus group?",
    ),
    (
        2,
        D1,
        "Personal characteristics",
        "Credentials",
        "What were the researcher's credentials? E.g. PhD, MD",
    ),
    (
        3,
        D1,
        "Personal characteristics",
        "Occupation",
        "What was their occupation at the time of the study?",
    ),
    (4, D1, "Personal characteristics", "Gender", "Was the researcher male or female?"),
    (
        5,
        D1,
        "Personal characteristics",
        "Experience and training",
        "What experience or training did the researcher have?",
    ),
    (
        6,
        D1,
        "Relationship with participants",
        "Relationship established",
        "Was a relationship established prior to study commencement?",
    ),
    (
        7,
        D1,
        "Relationship with participants",
        "Participant knowledge of the interviewer",
        "What did the participants know about the researcher? e.g. personal goals, reasons for doing the research",
    ),
    (
        8,
        D1,
        "Relationship with participants",
        "Interviewer characteristics",
        "What characteristics were reported about the interviewer/facilitator? e.g. Bias, assumptions, reasons "
        "and interests in the research topic",
    ),
    (
        9,
        D2,
        "Theoretical framework",
        "Methodological orientation and Theory",
        "What methodological orientation was stated to underpin the study? e.g. grounded theory, discourse "
        "analysis, ethnography, phenomenology, content analysis",
    ),
    (
        10,
        D2,
        "Participant selection",
        "Sampling",
        "How were participants selected? e.g. purposive, convenience, consecutive, snowball",
    ),
    (
        11,
        D2,
        "Participant selection",
        "Method of approach",
        "How were participants approached? e.g. face-to-face, telephone, mail, email",
    ),
    (12, D2, "Participant selection", "Sample size", "How many participants were in the study?"),
    (
        13,
        D2,
        "Participant selection",
        "Non-participation",
        "How many people refused to participate or dropped out? Reasons?",
    ),
    (
        14,
        D2,
        "Setting",
        "Setting of data collection",
        "Where was the data collected? e.g. home, clinic, workplace",
    ),
    (
        15,
        D2,
        "Setting",
        "Presence of non-participants",
        "Was anyone else present besides the participants and researchers?",
    ),
    (
        16,
        D2,
        "Setting",
        "Description of sample",
        "What are the important characteristics of the sample? e.g. demographic data, date",
    ),
    (
        17,
        D2,
        "Data collection",
        "Interview guide",
        "Were questions, prompts, guides provided by the authors? Was it pilot tested?",
    ),
    (
        18,
        D2,
        "Data collection",
        "Repeat interviews",
        "Were repeat interviews carried out? If yes, how many?",
    ),
    (
        19,
        D2,
        "Data collection",
        "Audio/visual recording",
        "Did the research use audio or visual recording to collect the data?",
    ),
    (
        20,
        D2,
        "Data collection",
        "Field notes",
        "Were field notes made during and/or after the interview or focus group?",
    ),
    (
        21,
        D2,
        "Data collection",
        "Duration",
        "What was the duration of the interviews or focus group?",
    ),
    (22, D2, "Data collection", "Data saturation", "Was data saturation discussed?"),
    (
        23,
        D2,
        "Data collection",
        "Transcripts returned",
        "Were transcripts returned to participants for comment and/or correction?",
    ),
    (24, D3, "Data analysis", "Number of data coders", "How many data coders coded the data?"),
    (
        25,
        D3,
        "Data analysis",
        "Description of the coding tree",
        "Did authors provide a description of the coding tree?",
    ),
    (
        26,
        D3,
        "Data analysis",
        "Derivation of themes",
        "Were themes identified in advance or derived from the data?",
    ),
    (
        27,
        D3,
        "Data analysis",
        "Software",
        "What software, if applicable, was used to manage the data?",
    ),
    (
        28,
        D3,
        "Data analysis",
        "Participant checking",
        "Did participants provide feedback on the findings?",
    ),
    (
        29,
        D3,
        "Reporting",
        "Quotations presented",
        "Were participant quotations presented to illustrate the themes/findings? Was each quotation identified? "
        "e.g. participant number",
    ),
    (
        30,
        D3,
        "Reporting",
        "Data and findings consistent",
        "Was there consistency between the data presented and the findings?",
    ),
    (
        31,
        D3,
        "Reporting",
        "Clarity of major themes",
        "Were major themes clearly presented in the findings?",
    ),
    (
        32,
        D3,
        "Reporting",
        "Clarity of minor themes",
        "Is there a description of diverse cases or discussion of minor themes?",
    ),
]
