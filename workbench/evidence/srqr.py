"""SRQR, the standards for reporting qualitative research, as published: 21 items. O'Brien BC,
Harris IB, Beckman TJ, Reed DA, Cook DA (2014) Acad Med 89(9):1245-1251.

Each row: number, section, topic, and the description, worded as in the published standards;
:data:`workbench.evidence.guidelines.SRQR` makes them items.
"""

from __future__ import annotations

ROWS = [
    (
        1,
        "Title and abstract",
        "Title",
        "Concise description of the nature and topic of the study. Identifying the study as qualitative or "
        "indicating the approach (e.g., ethnography, grounded theory) or data collection methods (e.g., interview, "
        "focus group) is recommended",
    ),
    (
        2,
        "Title and abstract",
        "Abstract",
        "Summary of key elements of the study using the abstract format of the intended publication; typically "
        "includes background, purpose, methods, results, and conclusions",
    ),
    (
        3,
        "Introduction",
        "Problem formulation",
        "Description and significance of the problem/phenomenon studied; review of relevant theory and empirical "
        "work; problem statement",
    ),
    (
        4,
        "Introduction",
        "Purpose or research question",
        "Purpose of the study and specific objectives or questions",
    ),
    (
        5,
        "Methods",
        "Qualitative approach and research paradigm",
        "Qualitative approach (e.g., ethnography, grounded theory, case study, phenomenology, narrative research) "
        "and guiding theory if appropriate; identifying the research paradigm (e.g., postpositivist, "
        "constructivist/interpretivist) is also recommended; rationale",
    ),
    (
        6,
        "Methods",
        "Researcher characteristics and reflexivity",
        "Researchers' characteristics that may influence the research, including personal attributes, "
        "qualifications/experience, relationship with participants, assumptions, and/or presuppositions; potential "
        "or actual interaction between researchers' characteristics and the research questions, approach, methods, "
        "results, and/or transferability",
    ),
    (7, "Methods", "Context", "Setting/site and salient contextual factors; rationale"),
    (
        8,
        "Methods",
        "Sampling strategy",
        "How and why research participants, documents, or events were selected; criteria for deciding when no "
        "further sampling was necessary (e.g., sampling saturation); rationale",
    ),
    (
        9,
        "Methods",
        "Ethical issues pertaining to human subjects",
        "Documentation of approval by an appropriate ethics review board and participant consent, or explanation "
        "for lack thereof; other confidentiality and data security issues",
    ),
    (
        10,
        "Methods",
        "Data collection methods",
        "Types of data collected; details of data collection procedures including (as appropriate) start and stop "
        "dates of data collection and analysis, iterative process, triangulation of sources/methods, and "
        "modification of procedures in response to evolving study findings; rationale",
    ),
    (
        11,
        "Methods",
        "Data collection instruments and technologies",
        "Description of instruments (e.g., interview guides, questionnaires) and devices (e.g., audio recorders) "
        "used for data collection; if/how the instrument(s) changed over the course of the study",
    ),
    (
        12,
        "Methods",
        "Units of study",
        "Number and relevant characteristics of participants, documents, or events included in the study; level of "
        "participation (could be reported in results)",
    ),
    (
        13,
        "Methods",
        "Data processing",
        "Methods for processing data prior to and during analysis, including transcription, data entry, data "
        "management and security, verification of data integrity, data coding, and anonymization/de-identification "
        "of excerpts",
    ),
    (
        14,
        "Methods",
        "Data analysis",
        "Process by which inferences, themes, etc., were identified and developed, including the researchers "
        "involved in data analysis; usually references a specific paradigm or approach; rationale",
    ),
    (
        15,
        "Methods",
        "Techniques to enhance trustworthiness",
        "Techniques to enhance trustworthiness and credibility of data analysis (e.g., member checking, audit "
        "trail, triangulation); rationale",
    ),
    (
        16,
        "Results/findings",
        "Synthesis and interpretation",
        "Main findings (e.g., interpretations, inferences, and themes); might include development of a theory or "
        "model, or integration with prior research or theory",
    ),
    (
        17,
        "Results/findings",
        "Links to empirical data",
        "Evidence (e.g., quotes, field notes, text excerpts, photographs) to substantiate analytic findings",
    ),
    (
        18,
        "Discussion",
        "Integration with prior work, implications, transferability, and contribution(s) to the field",
        "Short summary of main findings; explanation of how findings and conclusions connect to, support, elaborate "
        "on, or challenge conclusions of earlier scholarship; discussion of scope of application/generalizability; "
        "identification of unique contribution(s) to scholarship in a discipline or field",
    ),
    (19, "Discussion", "Limitations", "Trustworthiness and limitations of findings"),
    (
        20,
        "Other",
        "Conflicts of interest",
        "Potential sources of influence or perceived influence on study conduct and conclusions; how these were "
        "managed",
    ),
    (
        21,
        "Other",
        "Funding",
        "Sources of funding and other support; role of funders in data collection, interpretation, and reporting",
    ),
]
