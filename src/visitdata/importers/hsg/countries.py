"""Time-aware crosswalk from the Office of the Historian's country ids to ISO alpha-3 codes.

Upstream ids name places, not states: ``russia`` holds both the USSR and the Russian
Federation, ``germany`` West Germany, ``kosovo`` a province and later a state. The mapping
therefore depends on the record's date and lives in a hand-made table
(``data/country_crosswalk.csv``) so that it can be reviewed line by line. We read it with
the standard library only: no (L)GPL country library is needed at run time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

CROSSWALK_FILE = "country_crosswalk.csv"


@dataclass(frozen=True)
class Span:
    """One line of the crosswalk: an upstream id means ``country_code`` between two dates."""

    upstream_id: str
    from_date: str
    until_date: str
    country_code: str
    notes: str

    def covers(self, day: str) -> bool:
        return (not self.from_date or self.from_date <= day) and (not self.until_date or day <= self.until_date)


@dataclass
class Crosswalk:
    """Lookup of ISO codes by upstream id and date (ISO ``YYYY-MM-DD`` strings compare as dates)."""

    spans: dict[str, list[Span]] = field(default_factory=dict)

    @classmethod
    def load(cls, text: str | None = None) -> Crosswalk:
        """The packaged crosswalk, or one given as CSV text (tests)."""
        if text is None:
            text = resources.files(__package__).joinpath("data", CROSSWALK_FILE).read_text(encoding="utf-8")
        walk = cls()
        for row in csv.DictReader(text.splitlines()):
            span = Span(row["upstream_id"], row["from_date"], row["until_date"], row["country_code"], row["notes"])
            walk.spans.setdefault(span.upstream_id, []).append(span)
        return walk

    def lookup(self, upstream_id: str, day: str) -> Span | None:
        """The span that applies on ``day``; ``None`` when the id or the date is not covered."""
        for span in self.spans.get(upstream_id, []):
            if span.covers(day):
                return span
        return None

    def code(self, upstream_id: str, day: str) -> str:
        """ISO alpha-3 code on ``day``, or '' where the place had no ISO code (record skipped)."""
        span = self.lookup(upstream_id, day)
        return span.country_code if span else ""

    def why_none(self, upstream_id: str, day: str) -> str:
        """Why a record cannot be coded on ``day``: the crosswalk's note, or that it has no line."""
        span = self.lookup(upstream_id, day)
        if span is None:
            return "the crosswalk has no line for this place and date"
        return span.notes or "no ISO code"
