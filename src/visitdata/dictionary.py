"""The README's data dictionary and rule list, generated from the schemas and the rule registry.

The README holds them between marker comments; :func:`sync_readme` rewrites that part and
``check=True`` reports whether it is stale, so the README can never drift from the schemas.
"""

from __future__ import annotations

import re
from pathlib import Path

from .csvio import read_table
from .errors import UsageError
from .statecodes import MISSING_REASONS, SYSTEMS, VISIT_COLUMNS, missing_reasons, table_derived_fields, visit_numbers
from .tables import TableSchema, load_schema, load_schemas
from .vocabulary import ANNOUNCED, TOOK_PLACE

BEGIN = "<!-- BEGIN GENERATED: {name} (visitdata build rewrites this part) -->"
END = "<!-- END GENERATED: {name} -->"


def _type(table: TableSchema, name: str) -> str:
    f = table.field(name)
    if f.is_partial_date:
        return "partial date"
    if f.is_list:
        return f"list of ids ('{f.delimiter}')"
    return f.type


def data_dictionary(root: Path) -> str:
    """Markdown: one section per table, one row per column."""
    out: list[str] = []
    for name, table in load_schemas(root).items():
        key = ", ".join(table.primary_key)
        out += [f"#### `{name}`", "", f"{table.description} Primary key: `{key}`.", ""]
        out += ["| column | type | required | description |", "|---|---|---|---|"]
        for f in table.fields:
            text = f.description
            if f.enum:
                values = "; ".join(
                    f"`{v}`" + (f": {f.enum_descriptions[v]}" if v in f.enum_descriptions else "") for v in f.enum
                )
                text += f" Values: {values}"
            ref = next((fk for fk in table.foreign_keys if fk.fields == (f.name,)), None)
            if ref:
                text += f" References `{ref.resource}.{ref.reference_fields[0]}`."
            out.append(
                f"| `{f.name}` | {_type(table, f.name)} | {'yes' if f.required else ''} | {text.replace('|', '/')} |"
            )
            for d in (d for d in table_derived_fields(name) if d["x-derived-from"] == f.name):
                out.append(f"| `{d['name']}` | integer (published only) | | {d['description']} |")
        out.append("")
    out.append(
        "Each partial-date column `x` is published in the Parquet files with three more columns: "
        "`x_earliest` and `x_latest` (the first and last day the value allows; Arrow `date32`, which pandas "
        'reads as `datetime64`: compare with `pd.Timestamp(...)` or an ISO string such as `"2000-01-01"`, '
        "not with `datetime.date`) and `x_precision` (`year`, `month` or `day`, an ordered categorical: "
        "`year` < `month` < `day`)."
    )
    return "\n".join(out)


def rule_list() -> str:
    """Markdown table of every validation rule."""
    from .rules import RULES

    lines = ["| rule | severity | applies to | what it catches | how to fix |", "|---|---|---|---|---|"]
    for rule in RULES.values():
        where = f"`{rule.table}.{rule.column}`" if rule.table else "any table (from its Table Schema)"
        lines.append(f"| `{rule.id}` | {rule.severity} | {where} | {rule.summary} | {rule.fix} |")
    return "\n".join(lines)


def _visits_and_attendees(root: Path):
    """Visits (indexed by id), attendees and roles, read from ``data/``."""

    def frame(name: str):
        return read_table(root, load_schema(root, name)).frame

    visits, attendees, roles = frame("visits"), frame("attendees"), frame("roles")
    return visits.set_index("visit_id"), attendees, roles


def coverage(root: Path) -> str:
    """Markdown: visits by decade and direction, counted from ``data/`` as it is."""
    v, attendees, roles = _visits_and_attendees(root)
    visitor = v["visitor_country"]
    direction = (
        (visitor == "USA")
        .map({True: "from the U.S."})
        .fillna((v["host_country"] == "USA").map({True: "to the U.S."}))
        .fillna("between other states")
    )
    decade = v["start_date"].str[:3] + "0s"
    table = direction.groupby([decade, direction]).size().unstack(fill_value=0)
    columns = [c for c in ("from the U.S.", "to the U.S.", "between other states") if c in table.columns]
    lines = [
        f"{len(v)} visits, {len(attendees)} attendances of {attendees['person_id'].nunique()} persons, "
        f"{len(roles)} spells in office, from {v['start_date'].min()[:4]} to {v['end_date'].max()[:4]}.",
        "",
        "| decade | " + " | ".join(columns) + " | all |",
        "|---|" + "---|" * (len(columns) + 1),
    ]
    for dec, row in table.iterrows():
        lines.append(f"| {dec} | " + " | ".join(str(row[c]) for c in columns) + f" | {row[columns].sum()} |")
    lines.append("| all | " + " | ".join(str(table[c].sum()) for c in columns) + f" | {len(v)} |")
    lines += [
        "",
        "Direction is seen from the office the lead traveller held: *from the U.S.* are visits led "
        "by a U.S. office holder, *to the U.S.* visits hosted by the U.S., *between other states* the rest.",
    ]
    return "\n".join(lines)


def declared_coverage(root: Path) -> str:
    """Markdown: the coverage table, one row per declaration, complete ones first."""
    from .csvio import read_table
    from .tables import load_schema

    cov = read_table(root, load_schema(root, "coverage")).frame
    names = read_table(root, load_schema(root, "countries")).frame.set_index("country_code")["name"]
    cov = cov.assign(order=(cov["completeness"] != "complete").astype(int)).sort_values(
        ["order", "start_date", "coverage_id"]
    )

    def state(code) -> str:
        return "every state" if code is None or code != code else str(names.get(code, code))

    lines = [
        "| travelling state | host | offices | from | until | recorded | basis | declaration |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in cov.itertuples():
        offices = ", ".join(str(row.role_types).split(";")).replace("_", " ")
        lines.append(
            f"| {state(row.visitor_country)} | {state(row.host_country)} | {offices} | {row.start_date} | {row.end_date} "
            f"| {row.completeness} | {row.basis} | `{row.coverage_id}` |"
        )
    lines += [
        "",
        "Everything else is not covered: a panel (`visitdata.dyad_years` and the others) gives a number for a "
        "pair-year only where a *complete* declaration spans the whole year for every office asked about, and a "
        "missing value elsewhere, even where some visits are recorded. `visitdata.coverage()` returns this table.",
    ]
    return "\n".join(lines)


DPRK_YEARS = range(2018, 2026)
BACKLOG = "docs/curation-backlog.md"
#: The heading of the DPRK campaign's open items in the backlog (``### ...`` under ``## Open items``).
DPRK_BACKLOG = "The DPRK's leader-level diplomacy, 2018–2025"


def backlog_items(root: Path, group: str | None = None) -> list[str]:
    """The open items of the curation backlog: each ``- **title**`` line under ``## Open items``.

    With ``group``, only the items under its ``### group`` heading there (one per campaign).
    """
    path = Path(root) / BACKLOG
    if not path.exists():
        return []
    items, inside, heading = [], False, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside, heading = line.strip() == "## Open items", None
        elif line.startswith("### "):
            heading = line[4:].strip()
        elif inside and line.startswith("- **") and group in (None, heading):
            items.append(line[4 : line.index("**", 4)])
    return items


def dprk_visits(root: Path):
    """Visits to the DPRK or led by a DPRK office holder, 2018-2025, with their counterpart country.

    The counterpart country is the home country of the lead's office for a visit to the DPRK,
    else the host country.
    """
    v, _, _ = _visits_and_attendees(root)
    v = v.assign(year=v["start_date"].str[:4].astype(int))
    v = v[v["year"].isin(DPRK_YEARS) & ((v["host_country"] == "PRK") | (v["visitor_country"] == "PRK"))]
    counterpart = v["visitor_country"].where(v["host_country"] == "PRK", v["host_country"]).fillna("unknown")
    return v.assign(counterpart=counterpart)


def dprk_summary(root: Path) -> str:
    """Markdown: the DPRK's leader-level visits by counterpart country and year, and the open backlog."""
    from .csvio import read_table
    from .tables import load_schema

    v = dprk_visits(root)
    names = read_table(root, load_schema(root, "countries")).frame.set_index("country_code")["name"]
    done = v[v["status"] == TOOK_PLACE]
    years = [str(y) for y in DPRK_YEARS]
    table = (
        done.groupby(["counterpart", done["year"].astype(str)])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=years, fill_value=0)
    )
    to_dprk = (done["host_country"] == "PRK").groupby(done["counterpart"]).sum()
    order = sorted(table.index, key=lambda c: (-table.loc[c].sum(), str(names.get(c, c))))
    lines = [
        f"{len(done)} visits that took place from 2018 to 2025 ({int((done['host_country'] == 'PRK').sum())} to the DPRK, "
        f"{int((done['host_country'] != 'PRK').sum())} by DPRK leaders abroad), {int((v['status'] == 'cancelled').sum())} cancelled "
        f"and {int((v['status'] == ANNOUNCED).sum())} announced only.",
        "",
        "| counterpart country | " + " | ".join(years) + " | all | of which to the DPRK |",
        "|---|" + "---|" * (len(years) + 2),
    ]
    for c in order:
        row = table.loc[c]
        lines.append(
            f"| {names.get(c, c)} | "
            + " | ".join(str(int(row[y])) for y in years)
            + f" | {int(row.sum())} | {int(to_dprk.get(c, 0))} |"
        )
    lines.append(
        "| all | " + " | ".join(str(int(table[y].sum())) for y in years) + f" | {len(done)} | {int(to_dprk.sum())} |"
    )
    items = backlog_items(root, DPRK_BACKLOG)
    lines += [
        "",
        "The counterpart country is the visitor's for a visit to the DPRK and the host's for a visit abroad; "
        "a summit in a third country counts for the host (Singapore, Vietnam).",
        "",
        f"Open curation backlog: {len(items)} items: events believed or announced but not yet sourced well enough, and gaps in recorded visits "
        f"(see [`{BACKLOG}`]({BACKLOG})):",
        "",
    ]
    lines += [f"- {item}" for item in items] or ["- none"]
    return "\n".join(lines)


def state_codes(root: Path) -> str:
    """Markdown: the state systems as imported, and how many visits carry a number in each."""
    t = {
        n: read_table(root, load_schema(root, n)).frame
        for n in ("states", "state_crosswalk", "countries", "visits", "sources")
    }
    titles = t["sources"].set_index("source_id")
    numbers = visit_numbers(t["visits"], t["state_crosswalk"], t["countries"])
    reasons = missing_reasons(t["visits"], numbers, t["state_crosswalk"])
    lines = [
        "| system | list | states | crosswalk periods | visits with a host number | with a visitor number |",
        "|---|---|---|---|---|---|",
    ]
    for system in SYSTEMS:
        states = t["states"][t["states"]["system"] == system]
        source = str(states["source_ids"].iloc[0]).split(";")[0] if len(states) else ""
        title = (
            f"{titles.at[source, 'publisher']}, *{titles.at[source, 'title']}*" if source in titles.index else source
        )
        periods = int((t["state_crosswalk"]["system"] == system).sum())
        host, visitor = numbers[f"host_{system}"], numbers[f"visitor_{system}"]
        lines.append(
            f"| {system.upper()} | {title} | {states['state_code'].nunique()} | {periods} | "
            f"{host.notna().mean():.2%} | {visitor.notna().mean():.2%} |"
        )
    lines += [
        "",
        f"Of {len(t['visits'])} visits, those without a number, by reason (host and visitor, COW and GW):",
        "",
    ]
    for column, _, _ in VISIT_COLUMNS:
        counts = reasons[column].value_counts()
        parts = [f"{int(counts[r])} {MISSING_REASONS[r].split(' (')[0]}" for r in MISSING_REASONS if r in counts]
        lines.append(f"- `{column}`: " + ("; ".join(parts) if parts else "none missing"))
    return "\n".join(lines)


def _replace(text: str, name: str, body: str) -> str:
    begin, end = BEGIN.format(name=name), END.format(name=name)
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise UsageError(f"README.md lacks the markers {begin!r} ... {end!r}")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def sync_readme(root: Path, check: bool = False) -> bool:
    """Regenerate the README's generated parts; with ``check``, only say whether they are current."""
    path = Path(root) / "README.md"
    text = path.read_text(encoding="utf-8")
    wanted = _replace(_replace(text, "data dictionary", data_dictionary(root)), "validation rules", rule_list())
    wanted = _replace(wanted, "coverage", coverage(root))
    wanted = _replace(wanted, "state codes", state_codes(root))
    wanted = _replace(wanted, "declared coverage", declared_coverage(root))
    wanted = _replace(wanted, "dprk", dprk_summary(root))
    from .china import china_summary  # china builds on this module's helpers

    wanted = _replace(wanted, "china", china_summary(root))
    if check:
        return text == wanted
    if wanted != text:
        path.write_text(wanted, encoding="utf-8")
    return True
