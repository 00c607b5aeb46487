"""The import's summary (printed) and its data report (``docs/reports/hsg-import.md``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ...statecodes import MISSING_REASONS, SYSTEMS, VISIT_COLUMNS, missing_reasons, visit_numbers

#: The tables the importer adds rows to, in the order they are merged and reported.
TABLES = ("sources", "persons", "roles", "visits", "attendees")
#: The report, below the project root.
REPORT = "docs/reports/hsg-import.md"


@dataclass
class Summary:
    """What one run read, generated and changed; ``str()`` is the printed summary."""

    stats: Counter
    faults: dict[str, list[str]]
    generated: dict[str, int]
    added: dict[str, int]
    unchanged: dict[str, int]
    conflicts: dict[str, list[str]]
    by_decade: dict[str, dict[str, int]]
    overlaps: list[str]
    #: The report's section on the visits' state-system numbers (see :func:`state_numbers_section`).
    state_numbers: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """The headline counts, flat (the CLI prints them; the full story is in the report)."""
        st = self.stats
        out = {
            "records_read": st["trips_read"] + st["visits_read"],
            "trips_read": st["trips_read"],
            "visits_read": st["visits_read"],
            "duplicates_merged": st["trip_duplicates"],
            "accompanied_stops_merged": st["accompanied_merged"],
            "records_skipped_no_iso_code": st["trip_stops_unmapped"] + st["us_visits_unmapped"],
            "counterparts_resolved": st["counterparts_resolved"],
            "counterparts_unresolved": st["counterparts_unresolved"],
        }
        for t in TABLES:
            out[f"{t}_generated"] = self.generated[t]
            out[f"{t}_added"] = self.added[t]
        out["conflicts"] = sum(len(v) for v in self.conflicts.values())
        out["lead_overlaps"] = len(self.overlaps)
        return out

    # Mapping protocol, so that ``dict(summary)`` gives the headline counts.
    def keys(self) -> list[str]:
        return list(self.as_dict())

    def __getitem__(self, key: str) -> int:
        return self.as_dict()[key]

    def __str__(self) -> str:
        return report_markdown(self)


def report_markdown(s: Summary) -> str:
    """The data report: every count with what it means."""
    st = s.stats
    trips_total = (
        st["trip_visits"]
        + st["trip_nested_merged"]
        + st["trip_duplicates"]
        + st["accompanied_merged"]
        + st["trip_stops_unmapped"]
    )
    lines = [
        "# Import of the Office of the Historian's records (hsg)",
        "",
        "Written by `visitdata import hsg PATH` (`src/visitdata/importers/hsg/`); rerun it to refresh.",
        "",
        "## Records read",
        "",
        f"- {st['trips_read']} trips abroad of presidents and Secretaries of State (travels), "
        f"{st['visits_read']} visits of foreign leaders to the U.S. (visits): "
        f"{st['trips_read'] + st['visits_read']} upstream records.",
        "",
        "## Where every record went",
        "",
        f"- Trips: {st['trip_visits']} became visits abroad ({st['trip_visits_president']} by presidents, "
        f"{st['trip_visits_secretary']} by Secretaries of State); {st['trip_duplicates']} were near-duplicates "
        f"merged into the record they repeat (same traveller, country and dates); {st['accompanied_merged']} "
        'Secretary stops marked "Accompanied President ..." were merged into the president\'s visit as a '
        f"delegation member; {st['trip_stops_unmapped']} stops were in places without an ISO code and skipped; "
        f"{st['trip_nested_merged']} were a second record of one stay in one country (sharing more than a travel "
        "day with another record of the same traveller there, e.g. a summit inside a state visit) and were merged "
        "into it. Stays of one "
        "journey in two countries whose upstream dates overlap (shuttle diplomacy) are kept; validation warns "
        "about them (rule lead-overlap-same-trip).",
        f"- Visits to the U.S.: {st['us_visits']} became visits; {st['us_nested_merged']} were a second record of "
        f"one stay (merged, as above); {st['us_visits_unmapped']} came from places without an ISO code and were skipped.",
        f"- Check: {st['trip_visits']} + {st['trip_nested_merged']} + {st['trip_duplicates']} + {st['accompanied_merged']} + "
        f"{st['trip_stops_unmapped']} = {trips_total} trips; {st['us_visits']} + "
        f"{st['us_nested_merged']} + {st['us_visits_unmapped']} = "
        f"{st['us_visits'] + st['us_nested_merged'] + st['us_visits_unmapped']} visits.",
        "",
        "## Rows generated",
        "",
        "| table | generated | added this run | unchanged | conflicts (kept as curated) |",
        "|---|---|---|---|---|",
    ]
    for t in TABLES:
        lines.append(f"| {t} | {s.generated[t]} | {s.added[t]} | {s.unchanged[t]} | {len(s.conflicts[t])} |")
    lines += [
        "",
        "- sources: one row per history.state.gov page listing the records (travels of one person, "
        "visits of one year) plus the upstream repositories for presidents' terms and Secretaries' tenures.",
        f"- persons: {st['persons_us']} presidents and Secretaries of State who travel or host, and "
        f"{st['foreign_persons']} foreign persons named as visitors, and {st['counterpart_persons']} named only "
        "as counterparts met abroad (see below). Equal names (ignoring accents, initials and "
        "honorifics) from one country are one person; a surname-only name joins a full name only when exactly "
        "one person of that country and title fits within six years. The rest stay apart: "
        f"{st['persons_surname_only']} persons are known by one name only (id: name-country-year, or "
        "name-country-title for monarchs), split where their records are more than ten years apart. "
        "Spelling variants (Zelensky/Zelenskyy) are not merged: never guessed, left for curators.",
        f"- roles: {st['roles_president']} presidencies of presidents who travel or host (non-consecutive terms, "
        f"as Cleveland's and Trump's, are separate roles: us-president-<n> with upstream's number), "
        f"{st['roles_president-elect']} president-elect periods (covering {st['trips_president_elect']} trips "
        f"marked upstream as made as president-elect), {st['roles_secretary-of-state']} Secretary of State "
        f"tenures (pocom dates), and {st['roles_foreign']} offices of foreign persons as the visit records or travel remarks name them (one per person, "
        "title and country; start and end not in the source, end_status unknown).",
        f"- attendees: {st['attendees_lead']} leads (one per visit); {st['attendees_host']} hosts, the president "
        "in office on the first day of a visit to the U.S. (inferred, said in notes); "
        f"{st['attendees_delegation_member']} delegation members: "
        f"{st['attendees_delegation_member'] - st['us_visits_two_visitors']} Secretaries on a president's visit "
        f"(from {st['accompanied_merged']} 'Accompanied President' stops; two stops in one country make one row) "
        f"and {st['us_visits_two_visitors']} second persons named in a visitor field; "
        f"{st['attendees_counterpart']} counterparts.",
        f"- trips: {st['journey_stops']} stays abroad are grouped into {st['journeys']} journeys (trip_id "
        "hsg-journey-<lowest upstream id>): stays of one traveller with no free day between them. Upstream has "
        "no journey id, so this grouping is inferred and said so in the visit's notes.",
        f"- {st['visitors_without_office']} visitors are named without an office title (no role).",
        f"- retired ids (data/retired_ids.csv): {st['retired_not_rewritten']} generated rows not written again, "
        f"{st['retired_references_followed']} references moved to the replacing id, "
        f"{st['retired_rows_dropped']} rows dropped for naming a withdrawn id.",
        (
            f"- countries: {st['countries_cow_filled']} rows got a Correlates of War state number (or a note why "
            "none fits) from the hand-made table hsg/data/cow_codes.csv, citing the COW State System Membership "
            "List v2016; filled cells are never changed."
            if st["countries_schema_has_cow_code"]
            else "- countries: Correlates of War state numbers are prepared (hsg/data/cow_codes.csv) but not "
            "written: schemas/countries.json has no cow_code column yet."
        )
        + " Gleditsch-Ward numbers are not added (no citable copy of that list was found).",
        "",
        '## Counterparts ("met with <title> <name>" in trip remarks)',
        "",
        f"- {st['counterparts_named']} mentions = {st['counterparts_resolved']} resolved + "
        f"{st['counterparts_repeated']} repeating a person already attending that visit + "
        f"{st['counterparts_unresolved']} unresolved.",
        f"- resolved: {st['counterparts_visitor']} to a visitor of the host country holding that title within "
        f"six years (a surname suffices when exactly one fits); {st['counterparts_visitor_other_office']} to a "
        "visitor of the host country with that full name, in the office the remark names; "
        f"{st['counterparts_visitor_abroad']} to a visitor of another country with that full name and title, met "
        f"abroad; {st['counterparts_new_person']} to a new person (full name as written, office of the host "
        "country as named, dates unknown).",
        f'- unresolved: {st["counterparts_qualified"]} titles qualified by another word ("Russian President", '
        f'"Palestinian Authority President": the office need not be the host country\'s); '
        f"{st['counterparts_ambiguous']} surnames fitting several persons; {st['counterparts_unknown']} surnames "
        "fitting nobody, or full names on stops where whose office it is cannot be told (summits, ceremonies, "
        "remarks naming other countries).",
        "",
        "## Visits by decade and direction",
        "",
        "| decade | from the U.S. (trips abroad) | to the U.S. | total |",
        "|---|---|---|---|",
    ]
    for decade, c in s.by_decade.items():
        lines.append(f"| {decade} | {c['from_us']} | {c['to_us']} | {c['from_us'] + c['to_us']} |")
    lines += ["", *s.state_numbers]
    lines += ["", "## Upstream faults handled", ""]
    lines.append(
        f"- trips with an empty locale: {st['trips_empty_locale']} (place left empty); visits with an "
        f"empty description: {st['us_visits_empty_description']} (type unspecified)."
    )
    for title, items in sorted(s.faults.items()):
        lines.append(f"- {title}: {len(items)}")
        lines += [f"  - {x}" for x in items[:40]]
        if len(items) > 40:
            lines.append(f"  - ... and {len(items) - 40} more")
    elect_faults = len(s.faults.get("stops dated before an inauguration, not marked as president-elect (no role)", []))
    tenure_faults = len(s.faults.get("Secretary stops outside the pocom tenure (no role)", []))
    lines.append(
        f"- stops dated before the traveller's inauguration: {st['trips_president_elect'] + elect_faults}; "
        f"{st['trips_president_elect']} are marked upstream as made as president-elect (president-elect role), "
        f"{elect_faults} are not (no role). Secretary stops outside their pocom tenure: {tenure_faults}."
    )
    lines += [
        "",
        "## Leads in two countries at once, after holding back",
        "",
        f"{len(s.overlaps)} pairs of stays overlap by more than one day.",
    ]
    lines += [f"- {x}" for x in s.overlaps]
    lines += ["", "## Conflicts (rows differing from what the import would write; never overwritten)", ""]
    total = sum(len(v) for v in s.conflicts.values())
    lines.append(f"{total} rows.")
    for t in (*TABLES, "countries"):
        lines += [f"- {x}" for x in s.conflicts.get(t, [])[:200]]
    return "\n".join(lines) + "\n"


def state_numbers_section(visits: pd.DataFrame, crosswalk: pd.DataFrame, countries: pd.DataFrame) -> list[str]:
    """Markdown: the share of imported visits with each derived state number, and every visit
    without one and why (the numbers themselves are derived by the build, not written here)."""
    numbers = visit_numbers(visits, crosswalk, countries)
    reasons = missing_reasons(visits, numbers, crosswalk)
    n = len(visits)
    lines = [
        "## State-system numbers of the imported visits",
        "",
        "The build derives each visit's Correlates of War (COW, v2016) and Gleditsch-Ward (GW) numbers through "
        "data/state_crosswalk.csv on its start date (see the README's section on state codes). Share of the "
        f"{n} imported visits with a number:",
        "",
        "| | COW | GW |",
        "|---|---|---|",
    ]
    for side in ("host", "visitor"):
        cells = [
            f"{numbers[f'{side}_{sys}'].notna().sum()} ({numbers[f'{side}_{sys}'].notna().mean():.2%})"
            for sys in SYSTEMS
        ]
        lines.append(f"| {side} | {' | '.join(cells)} |")
    lines += ["", "Visits without a number, and why:", ""]
    for column, country, _ in VISIT_COLUMNS:
        missing = reasons[column].dropna()
        for reason, group in missing.groupby(missing, sort=True):
            items = [
                f"{visits.at[i, 'visit_id']} ({visits.at[i, country]}, {visits.at[i, 'start_date']})"
                for i in group.index
            ]
            lines.append(f"- {column}, {MISSING_REASONS[str(reason)]}: {len(items)}: {', '.join(sorted(items))}")
    return lines
