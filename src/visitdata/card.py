"""The dataset card: one self-contained HTML page with SVG charts of what the release holds.

The charts are written as SVG by hand rather than with a plotting library, so the card needs
nothing beyond pandas, and the same release gives the same bytes on any machine and with
any library version (fixed sizes, fixed colours, numbers rounded, rows in a fixed order, no
dates or ids that change between runs).

What the charts count, and why (the card says so too):

- a *visit* is a row of ``visits`` with status ``took_place``; its year is the year of its
  ``start_date`` (every start date has at least a year);
- the *visiting country* is the country of the office the lead held at the visit
  (``attendees.role_id`` → ``roles.country_code``). In a dataset of many countries there is no
  single "inbound" or "outbound", so *direction* is shown per region: visits hosted in a region
  (inbound) and visits led from a region (outbound);
- *regions* are the UN M49 regions. The data do not (yet) record them, so they are read from the
  table of countries and territories that ships with ``hdx-python-country`` (MIT), via the
  ``card`` extra, or passed in; codes of former states, which M49 no longer lists, are counted
  as such, never guessed.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from .extras import missing_extra
from .vocabulary import ISO_FORMER, TOOK_PLACE, UNSPECIFIED

#: The extra that installs what the card needs beyond pandas (the M49 region table).
EXTRA = "card"
CARD_NAME = "index.html"
#: Chart files written beside the card; the first is the README's main chart.
CHARTS = ("visits-per-year.svg", "host-countries.svg", "who-visits-whom.svg", "visit-types.svg")
UNKNOWN = "unknown"
FORMER = "former state (no M49 region)"
NO_REGION = "no M49 region"
REGION_ORDER = ("Africa", "Americas", "Asia", "Europe", "Oceania", FORMER, NO_REGION, UNKNOWN)
#: Okabe–Ito colours (distinguishable with colour-blindness), then greys for the unknown.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#444444", "#BBBBBB")
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

_HDX_DIST = "hdx-python-country"
_HDX_FILE = "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"


@dataclass(frozen=True)
class RegionTable:
    """Country code → region, and where the mapping comes from (shown on the card)."""

    regions: Mapping[str, str]
    source: str


def m49_regions() -> RegionTable:
    """UN M49 region of each ISO alpha-3 code, from the table ``hdx-python-country`` ships.

    Reads the CSV file in place (the package is not imported), so only the file is needed.
    """
    try:
        dist = metadata.distribution(_HDX_DIST)
    except metadata.PackageNotFoundError as e:
        raise missing_extra("the dataset card needs the UN M49 region table", EXTRA) from e
    path = Path(str(dist.locate_file(_HDX_FILE)))
    regions: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = row.get("Region Name", "").strip()
            for code in (row.get("ISO 3166-1 Alpha 3-Codes", ""), row.get("x Alpha3 codes", "")):
                if code.strip() and region:
                    regions.setdefault(code.strip(), region)
    return RegionTable(regions, f"UN M49 regions, from the table in {_HDX_DIST} {dist.version} (MIT)")


# --- the numbers -------------------------------------------------------------------------------


def visit_frame(release_dir: Path, regions: Mapping[str, str]) -> pd.DataFrame:
    """One row per visit that took place: year, host, visiting country, type and both regions."""
    from .load import read_parquet

    release_dir = Path(release_dir)
    visits = read_parquet(
        release_dir / "visits.parquet",
        ["visit_id", "host_country", "visitor_country", "start_date", "visit_type", "status"],
    )
    countries = read_parquet(release_dir / "countries.parquet", ["country_code", "iso_status"])
    visits = visits[visits["status"].astype(str) == TOOK_PLACE].copy()
    visits["country_code"] = visits["visitor_country"]
    former = set(countries.loc[countries["iso_status"].astype(str) == ISO_FORMER, "country_code"])

    def region(code: object) -> str:
        if not isinstance(code, str):
            return UNKNOWN
        return regions.get(code) or (FORMER if code in former else NO_REGION)

    return (
        pd.DataFrame(
            {
                "visit_id": visits["visit_id"].astype(str),
                "year": visits["start_date"].astype(str).str[:4].astype(int),
                "host": visits["host_country"].astype(str),
                "visitor": visits["country_code"].where(visits["country_code"].notna(), UNKNOWN).astype(str),
                "visit_type": visits["visit_type"].astype(str),
                "host_region": visits["host_country"].map(region),
                "visitor_region": visits["country_code"].map(region),
            }
        )
        .sort_values("visit_id", kind="stable")
        .reset_index(drop=True)
    )


# --- SVG ---------------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate with at most one decimal, written the same way everywhere."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="11" role="img" aria-label="{_e(title)}">\n<title>{_e(title)}</title>\n'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f'<text x="10" y="20" font-size="14" font-weight="bold">{_e(title)}</text>\n' + "\n".join(body) + "\n</svg>\n"
    )


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Colour keys laid out in rows from (x, y); returns the elements and the height used."""
    out, cx, cy = [], x, y
    for label, colour in items:
        w = 18 + 6.5 * len(label) + 14
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 16
        out.append(
            f'<rect x="{_n(cx)}" y="{_n(cy - 9)}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{_n(cx + 14)}" y="{_n(cy)}">{_e(label)}</text>'
        )
        cx += w
    return out, cy - y + 16


def _nice_max(value: float) -> tuple[float, float]:
    """An axis maximum and tick step that are round numbers."""
    if value <= 0:
        return 1, 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if value / step <= 6:
            return step * -(-value // step), step
    return value, value


def stacked_bars(
    counts: pd.DataFrame,
    colours: Mapping[str, str],
    title: str,
    *,
    width: int = 900,
    height: int = 300,
    share: bool = False,
    x_label_every: int = 10,
) -> str:
    """Vertical stacked bars: rows of ``counts`` are the bars (sorted index), columns the stack."""
    body: list[str] = []
    legend, legend_h = _legend([(c, colours[c]) for c in counts.columns], 60, 42, width - 70)
    body += legend
    top, left, right, bottom = 42 + legend_h + 6, 60, width - 15, height - 30
    totals = counts.sum(axis=1)
    ymax, step = (1.0, 0.25) if share else _nice_max(float(totals.max()) if len(totals) else 0)
    plot_h = bottom - top
    tick = 0.0
    while tick <= ymax + 1e-9:
        y = bottom - plot_h * tick / ymax
        label = f"{round(tick * 100)}%" if share else f"{int(tick)}"
        body.append(
            f'<line x1="{left}" x2="{right}" y1="{_n(y)}" y2="{_n(y)}" stroke="#dddddd"/>'
            f'<text x="{left - 5}" y="{_n(y + 4)}" text-anchor="end">{label}</text>'
        )
        tick += step
    n = max(len(counts), 1)
    slot = (right - left) / n
    bar = max(slot * 0.85, 0.5)
    for i, (key, row) in enumerate(counts.iterrows()):
        x = left + i * slot + (slot - bar) / 2
        base, total = 0.0, float(row.sum())
        for col in counts.columns:
            value = float(row[col]) / (total if share and total else 1)
            if value <= 0:
                continue
            h = plot_h * value / ymax
            y = bottom - plot_h * base / ymax - h
            shown = f"{row[col]:.0f} ({value:.0%})" if share else f"{row[col]:.0f}"
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar)}" height="{_n(h)}" fill="{colours[col]}">'
                f"<title>{_e(key)} · {_e(col)}: {shown}</title></rect>"
            )
            base += value
        if isinstance(key, int | str) and (len(counts) <= 25 or (isinstance(key, int) and key % x_label_every == 0)):
            body.append(f'<text x="{_n(x + bar / 2)}" y="{bottom + 14}" text-anchor="middle">{_e(key)}</text>')
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#333333"/>')
    return _svg(width, height, title, body)


def horizontal_bars(values: pd.Series, title: str, *, width: int = 900, colour: str = "#0072B2") -> str:
    """Horizontal bars, one per item of ``values`` (already ordered), labelled with the value."""
    row_h, top, left = 18, 40, 230
    height = top + row_h * len(values) + 15
    vmax = float(values.max()) if len(values) else 1.0
    body = []
    for i, (label, value) in enumerate(values.items()):
        y = top + i * row_h
        w = (width - left - 60) * float(value) / vmax
        body.append(
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{_n(w)}" height="{row_h - 5}" fill="{colour}"/>'
            f'<text x="{_n(left + w + 4)}" y="{y + 12}">{int(value)}</text>'
        )
    return _svg(width, height, title, body)


def matrix(table: pd.DataFrame, title: str, names: Mapping[str, str], *, cell: int = 34) -> str:
    """A heat matrix: rows are visiting countries, columns host countries, cells counts."""
    left, top = 200, 110
    width = left + cell * len(table.columns) + 20
    height = top + cell * len(table.index) + 20
    vmax = float(table.to_numpy().max()) if table.size else 1.0
    body = [
        f'<text x="{left}" y="38" fill="#555555">rows: visiting country (the lead\'s office) · columns: host country</text>'
    ]
    for j, host in enumerate(table.columns):
        x = left + j * cell + cell / 2
        body.append(
            f'<text transform="translate({_n(x + 4)},{top - 6}) rotate(-60)">{_e(host)}'
            f"<title>{_e(names.get(host, host))}</title></text>"
        )
    for i, visitor in enumerate(table.index):
        y = top + i * cell
        body.append(
            f'<text x="{left - 6}" y="{_n(y + cell / 2 + 4)}" text-anchor="end">{_e(names.get(visitor, visitor))} ({_e(visitor)})</text>'
        )
        for j, host in enumerate(table.columns):
            value = int(table.loc[visitor, host])
            x = left + j * cell
            level = value / vmax if vmax else 0
            fill = "#f2f2f2" if value == 0 else _blend(level)
            ink = "#ffffff" if level > 0.55 else "#222222"
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{_e(names.get(visitor, visitor))} → {_e(names.get(host, host))}: {value}</title></rect>"
            )
            if value:
                body.append(
                    f'<text x="{_n(x + cell / 2 - 1)}" y="{_n(y + cell / 2 + 3)}" text-anchor="middle" font-size="10" fill="{ink}">{value}</text>'
                )
    return _svg(width, height, title, body)


def _blend(level: float) -> str:
    """White to dark blue, by the square root of the share of the maximum (small counts stay visible)."""
    level = max(0.0, min(1.0, level)) ** 0.5
    low, high = (222, 235, 247), (8, 48, 107)
    rgb = (round(a + (b - a) * level) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


# --- the card ----------------------------------------------------------------------------------


def charts(
    frame: pd.DataFrame, names: Mapping[str, str], visit_types: Sequence[str], *, top: int = 15
) -> dict[str, str]:
    """The four charts as SVG text, by file name."""
    region_colours = dict(zip(REGION_ORDER, PALETTE[:5] + ("#999999", "#444444", "#BBBBBB"), strict=False))
    years = range(int(frame["year"].min()), int(frame["year"].max()) + 1) if len(frame) else range(0)

    def per_year(column: str) -> pd.DataFrame:
        counts = frame.groupby(["year", column]).size().unstack(fill_value=0).reindex(years, fill_value=0)
        return counts[[r for r in REGION_ORDER if r in counts.columns]]

    inbound = stacked_bars(per_year("host_region"), region_colours, "Visits per year, by the host's region (inbound)")
    outbound = stacked_bars(
        per_year("visitor_region"), region_colours, "Visits per year, by the visitor's region (outbound)"
    )
    per_year_svg = _stack_svgs([inbound, outbound])

    hosts = frame.groupby("host").size()
    hosts = hosts.loc[_by_count(hosts)].head(top)
    hosts.index = [f"{names.get(c, c)} ({c})" for c in hosts.index]
    host_svg = horizontal_bars(hosts, f"The {len(hosts)} most-visited host countries (visits that took place)")

    pairs = frame[frame["visitor"] != UNKNOWN].groupby(["visitor", "host"]).size().reset_index(name="n")
    pairs = pairs.sort_values(["n", "visitor", "host"], ascending=[False, True, True], kind="stable").head(20)
    rows = _by_count(pairs.groupby("visitor")["n"].sum())
    cols = _by_count(pairs.groupby("host")["n"].sum())
    all_pairs = frame.groupby(["visitor", "host"]).size()
    table = pd.DataFrame([[int(all_pairs.get((r, c), 0)) for c in cols] for r in rows], index=rows, columns=cols)
    matrix_svg = matrix(table, f"Who visits whom: the countries of the {len(pairs)} most active pairs", names)

    decades = frame.assign(decade=frame["year"] // 10 * 10)
    types = decades.groupby(["decade", "visit_type"]).size().unstack(fill_value=0)
    types = types.reindex(columns=[t for t in visit_types if t in types.columns])
    types.index = [f"{d}s" for d in types.index]
    type_colours = dict(zip(visit_types, PALETTE[:7] + ("#444444", "#BBBBBB"), strict=False))
    if UNSPECIFIED in type_colours:
        type_colours[UNSPECIFIED] = "#BBBBBB"
    type_svg = stacked_bars(types, type_colours, "Share of visits by type, per decade", share=True)
    return dict(zip(CHARTS, (per_year_svg, host_svg, matrix_svg, type_svg), strict=True))


def _by_count(counts: pd.Series) -> list:
    """Labels by count, largest first; ties by label, so the order never depends on chance."""
    return list(counts.sort_index().sort_values(ascending=False, kind="stable").index)


def _stack_svgs(parts: Sequence[str]) -> str:
    """Several SVG charts one above the other, as one SVG."""
    import re

    sizes = [tuple(int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', p).groups()) for p in parts]  # type: ignore[union-attr]
    width, height = max(w for w, _ in sizes), sum(h for _, h in sizes)
    inner, y = [], 0
    for part, (_w, h) in zip(parts, sizes, strict=True):
        inner.append(f'<g transform="translate(0,{y})">' + part.split("\n", 1)[1].rsplit("</svg>", 1)[0] + "</g>")
        y += h
    title = "Visits per year, by direction and region"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="11" role="img" aria-label="{title}">\n<title>{title}</title>\n'
        + "\n".join(inner)
        + "\n</svg>\n"
    )


def write_card(release_dir: Path, out_dir: Path, regions: RegionTable | None = None) -> Path:
    """Write the card (``index.html``) and its charts (``*.svg``) to ``out_dir``; return the card's path.

    ``regions`` defaults to :func:`m49_regions`.
    """
    from .load import read_parquet

    release_dir, out_dir = Path(release_dir), Path(out_dir)
    regions = regions if regions is not None else m49_regions()
    with open(release_dir / "datapackage.json", encoding="utf-8") as f:
        descriptor = json.load(f)
    countries = read_parquet(release_dir / "countries.parquet", ["country_code", "name"])
    names = dict(zip(countries["country_code"].astype(str), countries["name"].astype(str), strict=True))
    visits_schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "visits")
    visit_types = next(f["constraints"]["enum"] for f in visits_schema["fields"] if f["name"] == "visit_type")
    frame = visit_frame(release_dir, regions.regions)
    svgs = charts(frame, names, visit_types)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, svg in svgs.items():
        (out_dir / name).write_text(svg, encoding="utf-8", newline="\n")
    card = out_dir / CARD_NAME
    card.write_text(_html(descriptor, frame, svgs, regions), encoding="utf-8", newline="\n")
    return card


def _html(descriptor: dict, frame: pd.DataFrame, svgs: Mapping[str, str], regions: RegionTable) -> str:
    rows = "".join(
        f"<tr><td><code>{_e(r['name'])}</code></td><td>{r.get('x-rows', '')}</td><td>{_e(r['schema'].get('description', ''))}</td></tr>"
        for r in descriptor["resources"]
    )
    licences = ", ".join(
        f'<a href="{_e(lic.get("path", ""))}">{_e(lic.get("title") or lic.get("name", ""))}</a>'
        for lic in descriptor.get("licenses", [])
    )
    unknown = int((frame["visitor"] == UNKNOWN).sum())
    span = f"{frame['year'].min()}–{frame['year'].max()}" if len(frame) else "none"
    figures = "".join(f'<figure id="{_e(n[:-4])}">{svg}</figure>' for n, svg in svgs.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(descriptor.get("title", "visitdata"))} {_e(descriptor.get("version", ""))}: dataset card</title>
<style>
body {{ font-family: {FONT}; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }}
figure {{ margin: 2em 0; overflow-x: auto; }} svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }}
code {{ background: #f4f4f4; padding: 0 .2em; }}
</style>
</head>
<body>
<h1>{_e(descriptor.get("title", "visitdata"))}</h1>
<p>Release <strong>{_e(descriptor.get("version", ""))}</strong> of {_e(descriptor.get("created", "")[:10])}. Licence: {licences}.</p>
<p>{_e(descriptor.get("description", ""))}</p>
<h2>Tables</h2>
<table><tr><th>table</th><th>rows</th><th>what a row is</th></tr>{rows}</table>
<h2>Charts</h2>
<p>{len(frame)} visits that took place, {span}. A visit counts in the year its <code>start_date</code> names.
The visiting country is the country of the office its lead held at the visit; for {unknown} visits no office
of the lead is recorded, and they count as <em>{UNKNOWN}</em>. In a dataset of many countries there is no single
inbound or outbound: each region is shown as a host (inbound) and as the home of the visitors (outbound).
Regions: {_e(regions.source)}; codes of former states (e.g. SUN, YUG) are not in M49 and count as
<em>{FORMER}</em>. The data grow source by source, so the counts show what the sources cover, not all the
visits that took place.</p>
{figures}
</body>
</html>
"""
