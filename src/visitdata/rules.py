"""Every validation rule, by id, in one place.

Rules of two kinds share this registry:

* *schema rules* (``required``, ``pattern``, ``enum``, ``foreign-key``, text hygiene, ...) are
  checked for every column whose Table Schema asks for them; :mod:`visitdata.pandera_schema`
  turns them into pandera checks;
* *data rules* say what a Table Schema cannot (date order, tenure, lifespan, leads, ...).
  Each is a vectorised function of the :class:`~visitdata.context.Context` returning, for
  every row of its table, whether the row passes, and is run as a named pandera check on
  the column it blames.

A rule fails only where the data *certainly* break it: partial dates are compared by their
earliest and latest possible days, and a value that is missing or malformed (reported by
another rule) passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .context import Context, _to_arrow
from .overlaps import codes as _codes
from .overlaps import overlap_pairs
from .schema_rules import SCHEMA_RULES
from .vocabulary import ANNOUNCED, ENDED, LEAD, TOOK_PLACE, UNSPECIFIED

Severity = Literal["error", "warning"]
RowCheck = Callable[[Context], pd.Series]
Detail = Callable[[Context, pd.Index], pd.Series]


@dataclass(frozen=True)
class Rule:
    """A named rule: what it says, how to fix a failure, and (for data rules) its check."""

    id: str
    severity: Severity
    summary: str
    fix: str
    table: str | None = None
    column: str | None = None
    check: RowCheck | None = None
    detail: Detail | None = None


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"rule id {rule.id!r} registered twice")
    RULES[rule.id] = rule
    return rule


def data_rule(
    id: str, table: str, column: str, summary: str, fix: str, severity: Severity = "error", detail: Detail | None = None
) -> Callable[[RowCheck], RowCheck]:
    """Register a vectorised data rule that blames ``table.column``."""

    def wrap(fn: RowCheck) -> RowCheck:
        _register(Rule(id, severity, summary, fix, table, column, fn, detail))
        return fn

    return wrap


# --- Schema rules: applied to every column whose Table Schema asks for them -----------------
for _id, _summary, _fix in SCHEMA_RULES:
    _register(Rule(_id, "error", _summary, _fix))


# --- Data rules ----------------------------------------------------------------------------
def _date_order(table: str, start: str, end: str) -> RowCheck:
    def check(ctx: Context) -> pd.Series:
        return ~(ctx.earliest(table, start) > ctx.latest(table, end))

    return check


def _show(ctx: Context, table: str, column: str, index: pd.Index) -> pd.Series:
    return ctx.frame(table)[column].reindex(index).fillna("")


def _order_detail(table: str, start: str, end: str) -> Detail:
    def detail(ctx: Context, index: pd.Index) -> pd.Series:
        return "is before " + start + " " + _show(ctx, table, start, index)

    return detail


for _rule_id, _table, _start, _end, _what in [
    ("visit-date-order", "visits", "start_date", "end_date", "A visit ends before it starts."),
    ("role-date-order", "roles", "start_date", "end_date", "A spell in office ends before it starts."),
    ("person-date-order", "persons", "birth_date", "death_date", "A person dies before being born."),
    (
        "country-date-order",
        "countries",
        "valid_from",
        "valid_until",
        "A code stops designating a state before it starts.",
    ),
    ("coverage-date-order", "coverage", "start_date", "end_date", "A coverage declaration ends before it starts."),
]:
    data_rule(
        _rule_id,
        _table,
        _end,
        _what,
        f"Correct {_start} or {_end} so that {_start} <= {_end}.",
        detail=_order_detail(_table, _start, _end),
    )(_date_order(_table, _start, _end))


@data_rule(
    "role-end-status",
    "roles",
    "end_status",
    "end_status does not agree with end_date.",
    "Use end_status 'ended' exactly when end_date is filled; otherwise 'ongoing' or 'unknown'.",
)
def _role_end_status(ctx: Context) -> pd.Series:
    roles = ctx.frame("roles")
    has_end = roles["end_date"].notna()
    status = roles["end_status"]
    return status.isna() | ((status == ENDED) == has_end)


@data_rule(
    "visit-type-basis",
    "visits",
    "visit_type_basis",
    "visit_type_basis is empty for a known type, or filled for an unspecified one.",
    "Say whether a source states the type ('stated') or you inferred it ('inferred'); leave it empty only for 'unspecified'.",
)
def _visit_type_basis(ctx: Context) -> pd.Series:
    visits = ctx.frame("visits")
    types = ctx.arrow("visits", "visit_type")
    vocabulary = _to_arrow(pd.Series(ctx.schemas["visits"].field("visit_type").enum or [], dtype="str")).cast(
        types.type
    )
    known = pd.Series(
        np.asarray(pc.is_in(types, value_set=vocabulary).fill_null(False), dtype=bool), index=visits.index
    )
    unspecified = visits["visit_type"] == UNSPECIFIED
    return ~known | (unspecified == visits["visit_type_basis"].isna())


def _attendee_roles(ctx: Context) -> pd.DataFrame:
    return ctx.memo("attendee_roles", lambda: _attendee_roles_compute(ctx))


def _attendee_roles_compute(ctx: Context) -> pd.DataFrame:
    return ctx.take(
        "roles",
        ["person_id", "start_date_earliest", "end_date_latest"],
        ctx.follow("attendees", "role_id", "roles", "role_id"),
        ctx.frame("attendees").index,
    )


def _link(ctx: Context, target: str, column: str, index: pd.Index) -> pd.Series:
    """``target.column`` for the attendee rows ``index`` (labels are positions), for messages:
    only failing rows need the text, so it is not carried for every row."""
    key = next(fk.fields[0] for fk in ctx.schemas["attendees"].foreign_keys if fk.resource == target)
    rows = ctx.follow("attendees", key, target, key)[index.to_numpy(dtype=np.int64)]
    return ctx.take(target, [column], rows, index)[column]


def _attendee_visits(ctx: Context) -> pd.DataFrame:
    return ctx.memo("attendee_visits", lambda: _attendee_visits_compute(ctx))


def _attendee_visits_compute(ctx: Context) -> pd.DataFrame:
    return ctx.take(
        "visits",
        ["start_date_earliest", "start_date_latest", "end_date_earliest", "end_date_latest"],
        ctx.follow("attendees", "visit_id", "visits", "visit_id"),
        ctx.frame("attendees").index,
    )


@data_rule(
    "attendee-role-person",
    "attendees",
    "role_id",
    "The role given for an attendee is held by someone else.",
    "Give a role_id of this person (see roles.csv), or leave role_id empty.",
    detail=lambda ctx, ix: "belongs to " + _link(ctx, "roles", "person_id", ix).fillna(""),
)
def _attendee_role_person(ctx: Context) -> pd.Series:
    holder = _attendee_roles(ctx)["person_id"]
    return holder.isna() | (holder == ctx.frame("attendees")["person_id"])


@data_rule(
    "attendee-role-tenure",
    "attendees",
    "role_id",
    "The role given for an attendee was not held at the time of the visit.",
    "Give the spell in office that covers the visit's dates, or correct the role's start_date/end_date.",
    detail=lambda ctx, ix: (
        "held "
        + _link(ctx, "roles", "start_date", ix).fillna("?")
        + " to "
        + _link(ctx, "roles", "end_date", ix).fillna("…")
        + ", visit "
        + _link(ctx, "visits", "start_date", ix).fillna("?")
        + " to "
        + _link(ctx, "visits", "end_date", ix).fillna("?")
    ),
)
def _attendee_role_tenure(ctx: Context) -> pd.Series:
    role, visit = _attendee_roles(ctx), _attendee_visits(ctx)
    began_after = role["start_date_earliest"] > visit["end_date_latest"]
    ended_before = role["end_date_latest"] < visit["start_date_earliest"]
    return ~(began_after | ended_before)


def _attendee_persons(ctx: Context) -> pd.DataFrame:
    return ctx.memo("attendee_persons", lambda: _attendee_persons_compute(ctx))


def _attendee_persons_compute(ctx: Context) -> pd.DataFrame:
    return ctx.take(
        "persons",
        ["birth_date_earliest", "death_date_latest"],
        ctx.follow("attendees", "person_id", "persons", "person_id"),
        ctx.frame("attendees").index,
    )


@data_rule(
    "attendee-lifespan",
    "attendees",
    "person_id",
    "A person attends a visit before birth or after death.",
    "Check the visit's dates, the attendee, and the person's birth_date/death_date.",
    detail=lambda ctx, ix: (
        "lived "
        + _link(ctx, "persons", "birth_date", ix).fillna("?")
        + " to "
        + _link(ctx, "persons", "death_date", ix).fillna("…")
        + ", visit "
        + _link(ctx, "visits", "start_date", ix).fillna("?")
    ),
)
def _attendee_lifespan(ctx: Context) -> pd.Series:
    person, visit = _attendee_persons(ctx), _attendee_visits(ctx)
    unborn = visit["end_date_latest"] < person["birth_date_earliest"]
    dead = visit["start_date_earliest"] > person["death_date_latest"]
    return ~(unborn | dead)


@data_rule(
    "role-lifespan",
    "roles",
    "person_id",
    "A spell in office lies outside the holder's lifetime.",
    "Check the role's start_date/end_date and the person's birth_date/death_date.",
)
def _role_lifespan(ctx: Context) -> pd.Series:
    roles = ctx.frame("roles")
    person = ctx.take(
        "persons",
        ["birth_date_earliest", "death_date_latest"],
        ctx.follow("roles", "person_id", "persons", "person_id"),
        roles.index,
    )
    before_birth = ctx.latest("roles", "end_date") < person["birth_date_earliest"]
    before_birth |= ctx.latest("roles", "start_date") < person["birth_date_earliest"]
    after_death = ctx.earliest("roles", "start_date") > person["death_date_latest"]
    return ~(before_birth | after_death)


def _office_groups(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """A code per (person, role type, country, organisation), and whether each role is undated."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        roles = ctx.frame("roles")
        keys = ["person_id", "role_type", "country_code", "organisation"]
        codes = roles.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
        return codes, (roles["start_date"].isna() & roles["end_date"].isna()).to_numpy()

    return ctx.memo("office_groups", compute)


def _dated_twin(ctx: Context) -> np.ndarray:
    """For each role, the row of a dated role of the same office and holder (-1: none)."""

    def compute() -> np.ndarray:
        codes, undated = _office_groups(ctx)
        twin = np.full(codes.max(initial=-1) + 1, -1, dtype=np.int64)
        dated = np.flatnonzero(~undated & (codes >= 0))
        offices, first = np.unique(codes[dated], return_index=True)  # the first dated row of each office
        twin[offices] = dated[first]
        return np.where(codes >= 0, twin[np.maximum(codes, 0)], -1)

    return ctx.memo("dated_twin", compute)


def _dated_twin_detail(ctx: Context, index: pd.Index) -> pd.Series:
    rows = _dated_twin(ctx)[index.to_numpy()]
    roles = ctx.frame("roles")
    twin = roles["role_id"].to_numpy()[rows]
    start = roles["start_date"].fillna("?").to_numpy()[rows]
    return pd.Series([f"the same office as {t}, from {s}" for t, s in zip(twin, start, strict=True)], index=index)


@data_rule(
    "role-undated-twin",
    "roles",
    "role_id",
    "An undated role repeats a dated spell of the same holder in the same office (same role type, country and organisation).",
    "If it is the same spell, point its attendees at the dated role and retire it in retired_ids (replaced_by the dated role); "
    "if it is another spell, date it from a source.",
    severity="warning",
    detail=_dated_twin_detail,
)
def _role_undated_twin(ctx: Context) -> pd.Series:
    _, undated = _office_groups(ctx)
    return pd.Series(~(undated & (_dated_twin(ctx) >= 0)), index=ctx.frame("roles").index)


@data_rule(
    "visit-has-lead",
    "visits",
    "visit_id",
    "A visit has no attendee with participation 'lead'.",
    "Add a row to attendees.csv naming who led the travelling party, with participation 'lead'.",
)
def _visit_has_lead(ctx: Context) -> pd.Series:
    lead = pc.equal(ctx.arrow("attendees", "participation"), LEAD).fill_null(False)
    led = pc.drop_null(pc.filter(ctx.arrow("attendees", "visit_id"), lead))
    ids = ctx.arrow("visits", "visit_id")
    has = pc.is_in(ids, value_set=led.cast(ids.type)).fill_null(False)
    return pd.Series(np.asarray(has, dtype=bool), index=ctx.frame("visits").index)


def _leads(ctx: Context) -> pd.DataFrame:
    return ctx.memo("leads", lambda: _leads_compute(ctx))


def _leads_compute(ctx: Context) -> pd.DataFrame:
    """Lead attendee rows with their visit's country and dates (index: attendee rows)."""
    attendees = ctx.frame("attendees")
    lead = (attendees["participation"] == LEAD).to_numpy(dtype=bool)
    index = attendees.index[lead]
    place = ctx.take(
        "visits", ["host_country", "trip_id"], ctx.follow("attendees", "visit_id", "visits", "visit_id")[lead], index
    )
    return pd.concat([attendees.loc[lead, ["person_id", "visit_id"]], place, _attendee_visits(ctx)[lead]], axis=1)


@data_rule(
    "lead-home-country",
    "attendees",
    "person_id",
    "A visit is led by someone who (as far as the dates tell) holds an office of the host country at the time.",
    "Check host_country: a leader at home is a host or counterpart, not a visitor.",
    detail=lambda ctx, ix: "holds an office of " + _link(ctx, "visits", "host_country", ix).fillna(""),
)
def _lead_home_country(ctx: Context) -> pd.Series:
    leads = _leads(ctx)
    roles = ctx.frame("roles")
    # Join leads to spells on (person, country) as one integer code: a merge on two string
    # columns costs many times more.
    person = _codes(leads["person_id"], roles["person_id"])
    country = _codes(leads["host_country"], roles["country_code"])
    key = person * (int(country.max(initial=0)) + 1) + country
    n = len(leads)
    left = pd.DataFrame(
        {
            "key": key[:n],
            "row": leads.index.to_numpy(),
            "visit_start": leads["start_date_earliest"].to_numpy(),
            "visit_end": leads["end_date_latest"].to_numpy(),
        }
    )
    right = pd.DataFrame(
        {
            "key": key[n:],
            "role_start": ctx.earliest("roles", "start_date").to_numpy(),
            "role_end": ctx.latest("roles", "end_date").to_numpy(),
        }
    )
    pairs = left.merge(right, on="key")
    # At home wherever the spell may cover the visit: an unknown start or end is open.
    covers = ~(pairs["role_start"] > pairs["visit_end"]) & ~(pairs["role_end"] < pairs["visit_start"])
    at_home = pd.Index(pairs.loc[covers, "row"].unique())
    ok = pd.Series(True, index=ctx.frame("attendees").index)
    ok[at_home] = False
    return ok


def _overlap_detail(kind: str) -> Detail:
    def detail(ctx: Context, index: pd.Index) -> pd.Series:
        return "overlaps " + _overlaps(ctx, kind).reindex(index).fillna("")

    return detail


def _no_overlap(kind: str) -> RowCheck:
    def check(ctx: Context) -> pd.Series:
        return _overlaps(ctx, kind).reindex(ctx.frame("attendees").index).isna()

    return check


for _rule_id, _severity, _summary, _fix in [
    (
        "lead-overlap",
        "error",
        "One person leads visits to two different countries whose dates overlap by more than a day, in different trips.",
        "Check the dates of both visits (a travel day shared by two stops is allowed); stops of one journey share a trip_id.",
    ),
    (
        "lead-overlap-same-trip",
        "warning",
        "Two stops of one trip in different countries overlap by more than a day (shuttle diplomacy, or a date error).",
        "Check both stops' dates against the sources; shuttle diplomacy between two capitals is possible.",
    ),
    (
        "duplicate-visit",
        "error",
        "One person leads two visits to the same country on the same dates, or sharing more than a travel day: likely one visit recorded twice.",
        "Merge the two rows into one visit (retire the other id in retired_ids.csv) and attach all their sources and attendees to it.",
    ),
    (
        "possible-duplicate-visit",
        "warning",
        "One person leads two visits to the same country whose imprecise dates may overlap by more than a day.",
        "Check whether both rows are one visit; make the dates more precise where a source allows.",
    ),
]:
    data_rule(
        _rule_id,
        "attendees",
        "visit_id",
        _summary,
        _fix,
        severity=_severity,  # type: ignore[arg-type]
        detail=_overlap_detail(_rule_id),
    )(_no_overlap(_rule_id))


def _pairs(ctx: Context) -> pd.DataFrame:
    return ctx.memo("overlap_pairs", lambda: overlap_pairs(_leads(ctx)))


def _overlaps(ctx: Context, kind: str) -> pd.Series:
    """For each lead row in a pair of this kind, the id of one visit it pairs with."""
    pairs = _pairs(ctx)
    return pairs[pairs["kind"] == kind].drop_duplicates("row").set_index("row")["visit_id_other"]


@data_rule(
    "took-place-future",
    "visits",
    "status",
    "A visit marked as taken place starts in the future.",
    "Mark it 'announced' until a source reports that it took place.",
)
def _took_place_future(ctx: Context) -> pd.Series:
    visits = ctx.frame("visits")
    return ~((visits["status"] == TOOK_PLACE) & (ctx.earliest("visits", "start_date") > ctx.today_ts))


@data_rule(
    "announced-past",
    "visits",
    "status",
    "An announced visit's dates have passed: it needs an update.",
    "Find a source saying whether it took place or was cancelled, and update status.",
    severity="warning",
)
def _announced_past(ctx: Context) -> pd.Series:
    visits = ctx.frame("visits")
    return ~((visits["status"] == ANNOUNCED) & (ctx.latest("visits", "end_date") < ctx.today_ts))


def _period_check(table: str, column: str, start: str, end: str) -> RowCheck:
    def check(ctx: Context) -> pd.Series:
        country = ctx.lookup(
            "countries", "country_code", ctx.frame(table)[column], ["valid_from_earliest", "valid_until_latest"]
        )
        before = ctx.latest(table, end) < country["valid_from_earliest"]
        after = ctx.earliest(table, start) > country["valid_until_latest"]
        return ~(before | after)

    return check


def _period_detail(table: str, column: str) -> Detail:
    def detail(ctx: Context, index: pd.Index) -> pd.Series:
        codes = ctx.frame(table)[column].reindex(index)
        c = ctx.lookup("countries", "country_code", codes, ["valid_from", "valid_until"])
        return "designates a state " + c["valid_from"].fillna("?") + " to " + c["valid_until"].fillna("…")

    return detail


data_rule(
    "host-country-period",
    "visits",
    "host_country",
    "The host country code does not designate a state on the visit's dates.",
    "Use the code valid at the time (e.g. SUN before 1992, RUS after); see valid_from/valid_until in countries.csv.",
    detail=_period_detail("visits", "host_country"),
)(_period_check("visits", "host_country", "start_date", "end_date"))

data_rule(
    "role-country-period",
    "roles",
    "country_code",
    "The country of an office does not designate a state during the spell.",
    "Use the code valid at the time, or split the spell where the state changed.",
    detail=_period_detail("roles", "country_code"),
)(_period_check("roles", "country_code", "start_date", "end_date"))


def data_rules(table: str) -> list[Rule]:
    """The data rules that blame a column of ``table``."""
    return [r for r in RULES.values() if r.table == table and r.check is not None]


def shared_joins() -> list[Callable[[Context], object]]:
    """The joins several data rules share, costliest first. Validation may compute them on
    another thread ahead of the checks (each lands in :meth:`Context.memo`, so the rules'
    checks, run by pandera, find them ready); which thread computes them changes nothing."""
    return [
        _pairs,
        _attendee_roles,
        _attendee_persons,
        _attendee_visits,
    ]


def _retired(ctx: Context) -> pd.DataFrame:
    return ctx.frame("retired_ids")


def _in_own_table(ctx: Context, column: str) -> pd.Series:
    """Whether each retired_ids row's ``column`` names a live id of the table it names."""
    retired = _retired(ctx)
    found = pd.Series(False, index=retired.index)
    for table, keyed in retired.groupby("table_name"):
        if table in ctx.schemas:
            key = ctx.schemas[str(table)].primary_key[0]
            known = pc.drop_null(ctx.arrow(str(table), key))
            values = _to_arrow(keyed[column])
            found[keyed.index] = np.asarray(
                pc.is_in(values, value_set=known.cast(values.type)).fill_null(False), dtype=bool
            )
    return found


@data_rule(
    "retired-id-reused",
    "retired_ids",
    "retired_id",
    "A retired id is in use again in its table.",
    "Never reuse a retired id: give the new record a new id, or remove the retired_ids row if the retirement was a mistake.",
)
def _retired_id_reused(ctx: Context) -> pd.Series:
    return ~_in_own_table(ctx, "retired_id")


@data_rule(
    "retired-replacement-missing",
    "retired_ids",
    "replaced_by",
    "The replacement of a retired id does not exist in its table.",
    "Name an id that exists in the same table, or leave replaced_by empty for a withdrawn record.",
)
def _retired_replacement_missing(ctx: Context) -> pd.Series:
    return _retired(ctx)["replaced_by"].isna() | _in_own_table(ctx, "replaced_by")


@data_rule(
    "review-merge-retired",
    "person_reviews",
    "other_person_id",
    "A merge decision whose other person is not retired into the kept person.",
    "Apply the merge (visitdata.personmerge.merge_person): retire other_person_id in retired_ids with replaced_by person_id.",
)
def _review_merge_retired(ctx: Context) -> pd.Series:
    reviews = ctx.frame("person_reviews")
    retired = _retired(ctx)
    merged = retired[retired["table_name"] == "persons"]
    done = set(zip(merged["retired_id"], merged["replaced_by"], strict=True))
    pairs = zip(reviews["other_person_id"], reviews["person_id"], strict=True)
    ok = [d != "merge" or p in done for d, p in zip(reviews["decision"], pairs, strict=True)]
    return pd.Series(ok, index=reviews.index, dtype=bool)


@data_rule(
    "review-person-unknown",
    "person_reviews",
    "person_id",
    "A decision names a person id that is neither in persons nor retired.",
    "Correct the id (ids are case-sensitive); a merged id stays in retired_ids.",
)
def _review_person_unknown(ctx: Context) -> pd.Series:
    reviews = ctx.frame("person_reviews")
    retired = _retired(ctx)
    known = set(ctx.frame("persons")["person_id"].dropna()) | set(
        retired.loc[retired["table_name"] == "persons", "retired_id"]
    )
    ok = reviews["person_id"].isin(known) & reviews["other_person_id"].isin(known)
    return ok.astype(bool)


# Rules on state-system numbers live in their own module; importing it registers them here.
# The coverage table's own rules live beside it; importing them registers them here.
from . import coverage_rules, rules_states  # noqa: E402, F401
