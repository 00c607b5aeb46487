"""Names, titles and offices in the Office of the Historian's free-text fields.

The ``visitor`` field of a visit reads "<title> <name>" ("Prime Minister Kyriakos
Mitsotakis"), with typos in the title, surname-only names and a few entries naming two
people. Parsing is deliberately conservative: an unknown title leaves the person without an
office rather than guessing one, and two strings are only taken for the same person when
their normalised names agree (see :func:`name_key`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Known titles, in the spelling we write, with their role type; longest first when matching.
TITLES: dict[str, str] = {
    "Acting President": "head_of_state",
    "Interim President": "head_of_state",
    "Provisional President": "head_of_state",
    "President-elect": "other",
    "President-designate": "other",
    "President": "head_of_state",
    "Acting Prime Minister": "head_of_government",
    "Interim Prime Minister": "head_of_government",
    "Prime Minister": "head_of_government",
    "Vice Premier": "deputy_head_of_government",
    "Deputy Prime Minister": "deputy_head_of_government",
    "Premier": "head_of_government",
    "Federal Chancellor": "head_of_government",
    "Chancellor-elect": "other",
    "Chancellor": "head_of_government",
    "Taoiseach": "head_of_government",
    "Crown Prince": "other",
    "Grand Duchess": "head_of_state",
    "Grand Duke": "head_of_state",
    "King": "head_of_state",
    "Queen": "head_of_state",
    "Emperor": "head_of_state",
    "Empress": "head_of_state",
    "Sultan": "head_of_state",
    "Amir": "head_of_state",
    "Emir": "head_of_state",
    "Shah": "head_of_state",
    "Pope": "head_of_state",
    "Chief of State": "head_of_state",
    "Head of State": "head_of_state",
    "Governor General": "other",
    "General Secretary": "party_leader",
    "First Secretary": "party_leader",
    "Foreign Minister": "foreign_minister",
    "Vice President": "other",
    "Chairman of the Presidency": "head_of_state",
    "Chairman": "other",
    "Regent": "other",
    "Prince": "other",
    "Junta Member": "other",
}

#: Typos and spacing variants of titles seen upstream, mapped to the spelling we write.
_TITLE_FIXES: list[tuple[str, str]] = [
    (r"^Prime Minist(?:er|re|ere)(?=[A-Z])", "Prime Minister "),
    (r"^Prime Minist(?:re|ere)\b", "Prime Minister"),
    (r"^Prime Minster\b", "Prime Minister"),
    (r"^President-?\s*[Ee]lect\b", "President-elect"),
    (r"^President-?\s*[Dd]esignate\b", "President-designate"),
    (r"^Emir\b", "Amir"),
]

#: Military ranks are not offices: they are dropped from the name and give no role.
_RANKS = ("Lieutenant General", "Brigadier General", "General")
#: Honorifics that some records put before a name and others leave out.
_HONORIFICS = ("Sheikh", "Sheik", "Dr.")

_TITLE_RE = re.compile(r"^(" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\b\s*")
_SPLIT_RE = re.compile(
    r"\s*(?:,|\band\b|&)\s*(?=(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\b)"
)


#: Titles held for life or for a reign: a mononym under one of them is one person, however
#: far apart the records (King Baudouin 1959 and 1990).
REIGNING = frozenset(
    {"King", "Queen", "Emperor", "Empress", "Grand Duke", "Grand Duchess", "Sultan", "Amir", "Shah", "Pope"}
)


@dataclass(frozen=True)
class NamedPerson:
    """One person named in a record: office title (may be empty) and name as written."""

    title: str
    name: str

    @property
    def role_type(self) -> str:
        return TITLES.get(self.title, "other")


def clean(text: str | None) -> str:
    """NFC, single spaces, no leading/trailing blanks: the text hygiene the validator wants."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def slug(text: str) -> str:
    """ASCII slug (``kyriakos-mitsotakis``) used in ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def name_key(name: str) -> str:
    """Comparison key of a name: accents, case, punctuation, honorifics and initials ignored.

    ``Jacques R. Chirac`` and ``Jacques Chirac`` share a key, as do ``Ellen Johnson-Sirleaf``
    and ``Ellen Johnson Sirleaf``; ``Zelensky`` and ``Zelenskyy`` do not: such variants are only
    merged through the reviewed alias table (``data/person_aliases.csv``), never guessed.
    """
    tokens = [t for t in slug(re.sub(r"['’‘`]", "", name)).split("-") if t]
    honorifics = {slug(h) for h in _HONORIFICS}
    while tokens and tokens[0] in honorifics:
        tokens = tokens[1:]
    # initials go; a closing regnal numeral (Juan Carlos I, Olav V) stays
    kept = [t for i, t in enumerate(tokens) if len(t) > 1 or t.isdigit() or (i == len(tokens) - 1 and t in "ivx")]
    return "-".join(kept or tokens)


def surname(name: str) -> str:
    """Last word of a name's key (ignoring generational suffixes)."""
    tokens = name_key(name).split("-")
    while len(tokens) > 1 and tokens[-1] in {"jr", "sr", "ii", "iii", "3rd"}:
        tokens = tokens[:-1]
    return tokens[-1] if tokens else ""


def split_title(text: str) -> NamedPerson:
    """Split "Prime Minister Kyriakos Mitsotakis" into title and name; unknown title -> ''."""
    text = clean(text)
    for pattern, repl in _TITLE_FIXES:
        text = re.sub(pattern, repl, text)
    match = _TITLE_RE.match(text)
    title = ""
    if match and len(text) > match.end() and text[match.end()].isupper():
        title, text = match.group(1), text[match.end() :]
    for rank in _RANKS:
        if text.startswith(rank + " "):
            text = text[len(rank) + 1 :]
            break
    return NamedPerson(title, text.strip(" ,"))


def parse_visitor(text: str) -> list[NamedPerson]:
    """The people a ``visitor`` field names, lead first ("President X and Prime Minister Y")."""
    text = clean(text)
    for pattern, repl in _TITLE_FIXES:
        text = re.sub(pattern, repl, text)
    # "Premier and Prince Sihanouk" names one person with two titles: keep the first.
    text = re.sub(r"^(Premier|Prime Minister)\s*(?:and|&)\s*(Prince)\s+", r"\1 ", text)
    text = re.sub(r"^Prime Minister-Prince\s+", "Prime Minister ", text)
    parts = [p for p in _SPLIT_RE.split(text) if p.strip()]
    return [split_title(p) for p in parts]


#: "met with" clauses: each "<Title> <Name>" inside them is a candidate counterpart.
_MET_RE = re.compile(r"\b[Mm]eet(?:ing)?s? with\b|\b[Mm]et with\b|\b[Mm]eeting with\b")
_CLAUSE_END = re.compile(r"[.;:(]")
_MENTION_RE = re.compile(
    r"\b(" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s+"
    r"((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|(?:bin|ibn|al-\w+|de|der|del|da|dos|la|van|von)\b))*)"
)


def met_with(remarks: str) -> list[tuple[NamedPerson, bool]]:
    """Each "<title> <name>" in a "met with ..." clause, and whether a word qualifies the title.

    "Russian President Putin" on a trip to Slovenia is qualified: the title is not the host
    country's, so such a mention is never matched to a host-country office.
    """
    text = clean(remarks)
    found: list[tuple[NamedPerson, bool]] = []
    for met in _MET_RE.finditer(text):
        rest = text[met.end() :]
        end = _CLAUSE_END.search(rest)
        clause = rest[: end.start()] if end else rest
        for m in _MENTION_RE.finditer(clause):
            name = re.sub(r"\s+(?:and|to|of|in|at|on)$", "", m.group(2)).strip(" ,.")
            before = clause[: m.start()].split()
            qualified = bool(before) and before[-1][0].isupper() and not before[-1].endswith(",")
            if before[-2:] in (["to", "the"], ["of", "the"]):
                continue  # part of a longer title: "Aide to the President Yuri Ushakov"
            if name and name[0].isupper():
                found.append((NamedPerson(m.group(1), name), qualified))
    return found


def met_with_mentions(remarks: str) -> list[NamedPerson]:
    """Each "<title> <name>" named in a "met with ..." clause of the remarks."""
    return [p for p, _ in met_with(remarks)]
