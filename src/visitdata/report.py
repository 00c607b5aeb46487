"""Validation findings and how they are shown: to curators as text, to machines as JSON."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule in one cell (or row, or file) of the curated data."""

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


def _fix(rule_id: str) -> str:
    from .rules import RULES

    rule = RULES.get(rule_id)
    return rule.fix if rule else ""


@dataclass
class Report:
    """All findings of one validation run."""

    findings: list[Finding] = field(default_factory=list)

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
        return json.dumps(
            {
                "valid": self.ok,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "counts": self.counts(),
                "findings": [{**asdict(f), "fix": _fix(f.rule)} for f in sorted(self.findings)],
            },
            ensure_ascii=False,
            indent=1,
        )

    def to_text(self, limit: int | None = 50) -> str:
        """Findings grouped by rule, errors first, at most ``limit`` examples per rule (None: all)."""
        from .rules import RULES

        if not self.findings:
            return "valid: no errors, no warnings"
        lines: list[str] = []
        by_rule: dict[str, list[Finding]] = {}
        for f in sorted(self.findings):
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
