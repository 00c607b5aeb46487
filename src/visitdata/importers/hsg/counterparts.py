"""Counterparts: "met with <title> <name>" in the remarks of trips abroad."""

from __future__ import annotations

from ...vocabulary import CEREMONY, COUNTERPART, MULTILATERAL_MEETING
from .names import met_with
from .persons import SURNAME_MATCH_YEARS, alias_key, person_aliases
from .state import Build, years_apart


def build_counterparts(b: Build) -> None:
    """Resolve "met with <title> <name>" in trip remarks to a person and office.

    In order: a visitor of the host country holding that title within a few years (a surname
    suffices when exactly one fits); a visitor of the host country with that full name (a
    further office of theirs); a visitor of one other country with that full name and title,
    met abroad (summits, funerals). Otherwise a full name becomes a new person holding the
    named office of the host country, unless the stop was a summit or ceremony or the remark
    names other countries ("of ..."), where whose office it is cannot be told. Titles
    qualified by another word ("Russian President") and unmatched surnames stay unresolved.
    """
    aliases = person_aliases()
    for t in sorted(b.snap.trips, key=lambda t: t.id):
        vid = f"hsg-trip-{t.id}"
        if vid not in b.visits:
            continue
        visit = b.visits[vid]
        code, src = visit["host_country"], visit["source_ids"]
        for mention, qualified in met_with(t.remarks):
            b.stats["counterparts_named"] += 1
            token = alias_key(code, mention.name, aliases)
            fits = set()
            for holder in b.foreign.get((code, mention.title), []):
                pid, key, days = holder.person_id, holder.key, holder.days
                parts = key.split("-")
                # the full name, or its first or last word(s): "Fox", "Johnson Sirleaf", "Park"
                if (token == key or key.endswith("-" + token) or token in (parts[0], parts[-1])) and any(
                    years_apart(d, t.start) <= SURNAME_MATCH_YEARS for d in days
                ):
                    fits.add(pid)
            abroad = sorted(c for (c, k) in b.by_key if k == token and c != code)
            home_pid = b.by_key[(abroad[0], token)] if len(abroad) == 1 else ""
            home_role = b.foreign_roles.get((home_pid, mention.title, abroad[0])) if home_pid else None
            multilateral = visit["visit_type"] in (MULTILATERAL_MEETING, CEREMONY) or " of " in t.remarks
            if qualified or len(fits) > 1 or (not fits and "-" not in token):
                how = "qualified" if qualified else "ambiguous" if fits else "unknown"
                b.stats["counterparts_unresolved"] += 1
                b.stats[f"counterparts_{how}"] += 1
                continue
            if fits:
                pid, how = fits.pop(), "visitor"
                rid = b.foreign_roles[(pid, mention.title, code)]
            elif (code, token) in b.by_key:
                pid, how = b.by_key[(code, token)], "visitor_other_office"
                rid = b.foreign_role(pid, mention, code, src, remarks=True)
            elif home_role:
                pid, rid, how = home_pid, home_role, "visitor_abroad"
            elif abroad or multilateral or token in b.persons:
                b.stats["counterparts_unresolved"] += 1
                b.stats["counterparts_unknown"] += 1
                continue
            else:
                pid, how = token, "new_person"
                b.persons[pid] = {
                    "person_id": pid,
                    "name": mention.name,
                    "name_native": "",
                    "birth_date": "",
                    "death_date": "",
                    "wikidata_id": "",
                    "source_ids": "",
                    "notes": f"named in hsg travel remarks as met in {code}",
                }
                b.by_key[(code, token)] = pid
                b.stats["counterpart_persons"] += 1
                rid = b.foreign_role(pid, mention, code, src, remarks=True)
            b.person_sources[pid].add(src)
            if b.attend(vid, pid, rid, COUNTERPART, src, f"hsg travels record {t.id}: met"):
                b.stats["counterparts_resolved"] += 1
                b.stats[f"counterparts_{how}"] += 1
            else:
                b.stats["counterparts_repeated"] += 1
