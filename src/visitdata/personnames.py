"""Compare personal names across spellings, transliterations, titles and word order.

The duplicate review (:mod:`visitdata.review`) asks whether two records may name one person.
Names reach us as "Sheikh Hasina", "Hasina Wajed", "Nouri al-Maliki", "Nuri al-Maliki",
"Dmitri Medvedev" or "Zelenskyy": this module turns each into comparable tokens and scores
two names between 0 and 1. It never decides; it only ranks pairs for a curator.

>>> name_tokens("Sheikh Sabah al-Ahmed al-Jaber al-Sabah")
('sabah', 'ahmed', 'jaber', 'sabah')
>>> fold("Zelenskyy") == fold("Zelensky")
True
>>> name_similarity("Nuri al-Maliki", "Nouri al-Maliki") > 0.9
True
>>> round(name_similarity("Andreas Papandreou", "George Papandreou"), 2) < 0.75
True
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .importers.hsg.names import TITLES, slug

#: Styles and honorifics written before a name that are not part of it ("Sheikh" as a
#: style of Gulf rulers; "Dr."; "El Hadj"). A curator keeps them in a name only where they
#: are part of it (Sheikh Hasina, Shah Mahmud): the comparison ignores them either way.
HONORIFICS: tuple[str, ...] = (
    "His Majesty", "Her Majesty", "His Highness", "Her Highness", "His Excellency", "H.E.",
    "Sheikh", "Sheik", "Shaikh", "Sheikha", "Dr.", "Dr", "Haji", "Hajji", "El Hadj", "Al-Hajj", "Mr.", "Mrs.",
    "Madame", "Sir", "Dame", "Lord", "Princess", "Prince", "Field Marshal", "Marshal",
    "Lieutenant General", "Brigadier General", "Major General", "General", "Colonel", "Admiral",
)  # fmt: skip
#: Office titles that precede a name in some records (the importer's list, plus a few
#: compounds seen in the data).
TITLE_PREFIXES: tuple[str, ...] = tuple(TITLES) + ("President of the Council of Ministers", "State Counsellor")
#: Articles and particles that one record writes and another leaves out (al-, bin, de ...).
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "bint",
        "ben",
        "b",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "y",
        "e",
    ]
)
#: Single-letter regnal numbers, kept as words of a name (George V, Mohammed V).
_ROMAN = frozenset({"i", "v", "x"})
#: Common romanisation variants, applied in order to each lower-case ASCII token.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"kh", "h"), (r"dh", "d"), (r"th", "t"), (r"ph", "f"), (r"gh", "g"), (r"ck", "k"),
    (r"q", "k"), (r"c(?=[aou]|$)", "k"), (r"x", "ks"), (r"w", "v"), (r"ou", "u"), (r"oo", "u"),
    (r"ee", "i"), (r"ie", "i"), (r"y", "i"), (r"j", "i"), (r"(.)\1+", r"\1"), (r"h$", ""),
)  # fmt: skip
_PREFIX_RE = re.compile(
    r"^(?:(?:" + "|".join(re.escape(t) for t in sorted(TITLE_PREFIXES + HONORIFICS, key=len, reverse=True)) + r")\s+)+"
)


def strip_titles(name: str) -> tuple[str, str]:
    """Split leading office titles and honorifics from a name: (prefix, name).

    >>> strip_titles("President de Gaulle")
    ('President', 'de Gaulle')
    >>> strip_titles("Sheikh Hamad bin Isa al-Khalifa")
    ('Sheikh', 'Hamad bin Isa al-Khalifa')
    """
    text = " ".join(name.split())
    match = _PREFIX_RE.match(text)
    if not match or match.end() >= len(text):
        return "", text
    return text[: match.end()].strip(), text[match.end() :]


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """One token in a romanisation-neutral form (Dmitri/Dmitry, Nouri/Nuri, Kochariyan/Kocharian)."""
    out = slug(token).replace("-", "")
    for pattern, repl in _FOLDS:
        out = re.sub(pattern, repl, out)
    return out


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name that identify the person: no titles, honorifics, initials or particles.

    Regnal numbers stay ("Hassan II"), particles glued by a hyphen are split off ("al-Sabah").
    """
    _, rest = strip_titles(name)
    words = [w for w in slug(re.sub(r"['’‘`]", "", rest)).split("-") if w]
    kept = [w for w in words if w not in PARTICLES and (len(w) > 1 or w.isdigit() or w in _ROMAN)]
    return tuple(kept or words)


@lru_cache(maxsize=65536)
def _token_similarity(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 1.0
    return SequenceMatcher(None, fa, fb).ratio()


#: Two tokens below this similarity are different words.
TOKEN_MATCH = 0.8


def _matched(short: tuple[str, ...], long: tuple[str, ...]) -> list[float]:
    """Greedy best one-to-one matching of the shorter name's tokens into the longer's."""
    free = list(long)
    sims = []
    for t in short:
        if not free:
            break
        best = max(free, key=lambda u: _token_similarity(t, u))
        s = _token_similarity(t, best)
        if s >= TOKEN_MATCH:
            sims.append(s)
            free.remove(best)
    return sims


def name_similarity(a: str, b: str) -> float:
    """How likely two names are one person's, from the names alone (0 to 1).

    Word order does not matter. A name fully contained in the other scores by how much of the
    longer name it covers, but never below 0.8 (short and long forms: "Hasina" in "Sheikh
    Hasina Wajed", "Lula da Silva"); a name with an unmatched word on both sides scores low
    (different first names: "Andreas" and "George Papandreou").
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    sims = _matched(short, long)
    if len(sims) < len(short):
        # Some word of the shorter name has no counterpart: at most a partial match.
        return 0.6 * sum(sims) / len(long)
    mean = sum(sims) / len(sims)
    if len(short) == len(long):
        return mean
    coverage = len(short) / len(long)
    return mean * (0.8 + 0.2 * coverage)
