"""The reporting guidelines a checklist is filled against, item by item, as published.

* COREQ, the consolidated criteria for reporting qualitative research: 32 items in three
  domains. Tong A, Sainsbury P, Craig J (2007) Int J Qual Health Care 19(6):349-357.
* SRQR, the standards for reporting qualitative research: 21 items. O'Brien BC, Harris IB,
  Beckman TJ, Reed DA, Cook DA (2014) Acad Med 89(9):1245-1251.

Each item: number, domain (COREQ: domain and its subsection), topic, and the guide
question or description, worded as in the published checklists.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.evidence import coreq, srqr


class Item(NamedTuple):
    number: str
    domain: str
    topic: str
    guide: str


COREQ = [Item(str(n), f"{d} — {sub}", topic, guide) for n, d, sub, topic, guide in coreq.ROWS]

SRQR = [Item(f"S{n}", domain, topic, guide) for n, domain, topic, guide in srqr.ROWS]

GUIDELINES = {
    "coreq": (
        "COREQ (Consolidated criteria for reporting qualitative research)",
        "Tong A, Sainsbury P, Craig J. Consolidated criteria for reporting qualitative research (COREQ): a "
        "32-item checklist for interviews and focus groups. Int J Qual Health Care. 2007;19(6):349-357.",
        COREQ,
    ),
    "srqr": (
        "SRQR (Standards for Reporting Qualitative Research)",
        "O'Brien BC, Harris IB, Beckman TJ, Reed DA, Cook DA. Standards for reporting qualitative research: "
        "a synthesis of recommendations. Acad Med. 2014;89(9):1245-1251.",
        SRQR,
    ),
}
