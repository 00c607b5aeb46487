"""What the free-text fields say: the visit type, "Accompanied President ...", president-elect.

Only facts are taken from remarks and descriptions; their sentences are never copied.
"""

from __future__ import annotations

import re

from ...vocabulary import CEREMONY, INFERRED, MULTILATERAL_MEETING, STATED, UNSPECIFIED

#: Upstream marks trips made between election and inauguration with this bracketed remark.
ELECT_MARK = re.compile(r"\[Visit made as President-elect\.?\]", re.I)
#: A Secretary's stop "Accompanied President <name>": the surname names the president's visit.
ACCOMPANIED = re.compile(r"\bAccompan(?:ied|ying) (?:the )?President ([A-Z][\w.]*(?: [A-Z][\w.]*)*)")

_TYPE_PHRASES = (
    ("official working visit", "official_working"),
    ("state visit", "state"),
    ("official visit", "official"),
    ("working visit", "working"),
    ("private visit", "private"),
)
_CEREMONY = re.compile(
    r"\b(funeral|inaugurat\w*|coronation|memorial service|commemorat\w*|wedding|enthronement)\b", re.I
)
_MULTILATERAL = re.compile(
    r"\b(summit|conference|ministerial|general assembly|G-\d+|NATO|APEC|ASEAN|OSCE|Council meeting|"
    r"Economic Forum|Summit of the Americas)\b",
    re.I,
)


def visit_type(text: str, stated_anywhere: bool) -> tuple[str, str, str]:
    """(visit_type, basis, occasion) from a description or remarks.

    A named category ("State visit", "Official working visit") is *stated*: for the foreign
    leaders' records anywhere in the description (the earliest wins), for trips abroad only
    when the remark opens with it. Summits and ceremonies are *inferred* from keywords.
    """
    low = text.lower()
    hits = []
    for phrase, value in _TYPE_PHRASES:
        pos = low.find(phrase)
        if pos >= 0 and (stated_anywhere or pos == 0):
            hits.append((pos, -len(phrase), value))
    if hits:
        return min(hits)[2], STATED, ""
    if m := _CEREMONY.search(text):
        word = m.group(1).lower()
        occasion = "funeral" if word == "funeral" else "inauguration" if word.startswith("inaugurat") else word
        return CEREMONY, INFERRED, occasion
    if _MULTILATERAL.search(re.sub(r"\b(?:press|news) conference", "", text, flags=re.I)):
        return MULTILATERAL_MEETING, INFERRED, "summit or conference"
    return UNSPECIFIED, "", ""
