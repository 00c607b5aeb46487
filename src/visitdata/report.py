"""Validation findings and how they are shown: to curators as text, to machines as JSON."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Literal, NamedTuple, TextIO

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    """One broken rule in one cell (or row, or file) of the curated data.

    A named tuple rather than a frozen dataclass: a run with 10 % broken rows at a million
    visits makes 800,000 findings, and a frozen dataclass takes three times as long to create.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    severity: Severity
    message: str

    def location(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} [{self.column}]" if self.column else where


def _order(f: Finding) -> tuple:
    """File, line, column, value, rule: whole-file findings (no line) first, a missing column or
    value as empty (the tuple's own order cannot compare a missing line with a number)."""
    return (f.file, -1 if f.line is None else f.line, f.column or "", f.value or "", f.rule, f.severity, f.message)


_FIELDS = Finding._fields


#: One finding as ``json.dumps(..., ensure_ascii=False, indent=1)`` lays it out inside the report.
_FINDING_JSON = "  {\n" + ",\n".join(f'   "{k}": %s' for k in (*_FIELDS, "fix")) + "\n  }"


class _Encoded(dict):
    """JSON text of the strings that recur in every finding (file, column, rule, severity, fix)."""

    def __missing__(self, key: str | None) -> str:
        text = self[key] = "null" if key is None else encode_basestring(key)
        return text


def _fix(rule_id: str) -> str:
    from .rules import RULES

    rule = RULES.get(rule_id)
    return rule.fix if rule else ""


@dataclass
class Report:
    """All findings of one validation run, in file, line and column order."""

    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=_order)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not fail a run)."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def to_json(self) -> str:
        """Every finding, as ``json.dumps(..., ensure_ascii=False, indent=1)`` would write it."""
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, out: TextIO, batch: int = 20_000) -> None:
        """Write :meth:`to_json`'s text to ``out`` a batch of findings at a time.

        The findings are laid out by hand with the C string encoder (the json module's indented
        output runs in pure Python: seconds at a few hundred thousand findings), and written in
        batches rather than joined into one string of hundreds of megabytes first.
        """
        counts = self.counts()
        head = json.dumps(
            {
                "valid": self.ok,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "counts": counts,
                "findings": [],
            },
            ensure_ascii=False,
            indent=1,
        )
        if not self.findings:
            out.write(head)
            return
        assert head.endswith('"findings": []\n}')
        out.write(head[: -len("[]\n}")] + "[\n")
        enc = _Encoded()
        fixes = {rule: enc[_fix(rule)] for rule in counts}
        for start in range(0, len(self.findings), batch):
            out.write(",\n" if start else "")
            out.write(
                ",\n".join(
                    _FINDING_JSON
                    % (
                        enc[f.file],
                        "null" if f.line is None else int(f.line),
                        enc[f.column],
                        "null" if f.value is None else encode_basestring(f.value),
                        enc[f.rule],
                        enc[f.severity],
                        encode_basestring(f.message),
                        fixes[f.rule],
                    )
                    for f in self.findings[start : start + batch]
                )
            )
        out.write("\n ]\n}")

    def to_text(self, limit: int | None = 50) -> str:
        """Findings grouped by rule, errors first, at most ``limit`` examples per rule (None: all)."""
        from .rules import RULES

        if not self.findings:
            return "valid: no errors, no warnings"
        lines: list[str] = []
        by_rule: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_rule.setdefault(f.rule, []).append(f)
        order = sorted(by_rule, key=lambda r: (by_rule[r][0].severity != "error", r))
        for rule_id in order:
            group = by_rule[rule_id]
            rule = RULES.get(rule_id)
            lines.append(f"{rule_id} ({group[0].severity}, {len(group)}): {rule.summary if rule else ''}".rstrip())
            shown = group if limit is None else group[:limit]
            for f in shown:
                value = "" if f.value is None else f" {f.value!r}:"
                lines.append(f"  {f.location()}{value} {f.message}")
            if len(group) > len(shown):
                lines.append(f"  … and {len(group) - len(shown)} more (--limit 0 or --format json lists all)")
            if rule:
                lines.append(f"  fix: {rule.fix}")
        lines.append(f"{len(self.errors)} errors, {len(self.warnings)} warnings")
        return "\n".join(lines)
