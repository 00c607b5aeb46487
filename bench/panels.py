"""Benchmark ``visitdata.dyad_years(system="cow")`` over 1816-2025 as a whole process.

    python bench/panels.py --visits 1e6 --repeat 3

Two tasks, each run ``--repeat`` times as a separate process (wall time and peak memory from
``wait4``, as in ``bench/run.py``):

* ``dyad-years-real`` — ``import visitdata; visitdata.dyad_years(system="cow", start=1816, end=2025)``
  on the installed release;
* ``dyad-years-synthetic`` — the same on ``--visits`` synthetic visits (generated once into
  ``--work`` as Parquet: visits between members of the COW system in their member years, a lead
  each, and coverage declaring every pair complete), read and passed as ``tables=``;
* ``import-floor`` — a process that only imports visitdata and reads the release's states.

Writes ``--out``/panels.md (the table) and ``--out``/panels.json, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import measure  # noqa: E402

REAL = "import visitdata; p = visitdata.dyad_years(system='cow', start=1816, end=2025); print(len(p), int(p.covered.sum()))"
SYNTHETIC = (
    "import sys; from pathlib import Path; import pandas as pd; import visitdata; "
    "t = {p.stem: pd.read_parquet(p) for p in Path(sys.argv[1]).glob('*.parquet')}; "
    "p = visitdata.dyad_years(system='cow', start=1816, end=2025, tables=t); print(len(p), int(p.visits.sum()))"
)
FLOOR = "import visitdata; visitdata.load('states')"


def generate(out: Path, visits: int, seed: int = 1) -> Path:
    """Synthetic panel inputs in the published shape, from the installed release's states and roles vocabulary."""
    import numpy as np
    import pandas as pd

    import visitdata
    from visitdata.panels import state_years

    rng = np.random.default_rng(seed)
    states, crosswalk = visitdata.load("states"), visitdata.load("state_crosswalk")
    sy = state_years(states, "cow", 1816, 2025)
    # A visit: a member state-year as host, another member of that year as visitor.
    pick = rng.integers(0, len(sy), size=visits)
    host, year = sy["code"].to_numpy()[pick], sy["year"].to_numpy()[pick]
    starts = np.searchsorted(sy["year"].to_numpy(), year, side="left")
    ends = np.searchsorted(sy["year"].to_numpy(), year, side="right")
    visitor = sy["code"].to_numpy()[starts + (rng.random(visits) * (ends - starts)).astype(np.int64)]
    visitor = np.where(visitor == host, sy["code"].to_numpy()[starts], visitor)
    day = pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(rng.integers(0, 365, size=visits), unit="D")
    ids = np.char.add("v", np.arange(visits).astype(str)).astype(object)
    roles = pd.DataFrame(
        {
            "role_id": ["r-hos", "r-hog", "r-fm"],
            "role_type": ["head_of_state", "head_of_government", "foreign_minister"],
        }
    )
    vis = pd.DataFrame(
        {
            "visit_id": ids,
            "status": rng.choice(["took_place", "cancelled", "announced"], size=visits, p=[0.95, 0.03, 0.02]),
            "visit_type": rng.choice(["state", "official", "working", "multilateral_meeting"], size=visits),
            "start_date_earliest": day,
            "visitor_cow": pd.array(visitor, dtype="Int64"),
            "host_cow": pd.array(host, dtype="Int64"),
        }
    )
    attendees = pd.DataFrame(
        {"visit_id": ids, "role_id": rng.choice(roles["role_id"].to_numpy(), size=visits), "participation": "lead"}
    )
    coverage = pd.DataFrame(
        {
            "coverage_id": ["all"],
            "visitor_country": [None],
            "host_country": [None],
            "role_types": ["head_of_state;head_of_government"],
            "start_date_earliest": [pd.Timestamp("1816-01-01")],
            "end_date_latest": [pd.Timestamp("2025-12-31")],
            "completeness": ["complete"],
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in {
        "visits": vis,
        "attendees": attendees,
        "roles": roles,
        "states": states,
        "state_crosswalk": crosswalk,
        "coverage": coverage,
    }.items():
        frame.to_parquet(out / f"{name}.parquet", index=False)
    return out


def _meta() -> dict:
    import datetime as dt
    import os
    import platform
    import subprocess

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": commit,
    }


def table(results: list[dict]) -> str:
    lines = ["| task | visits | runs | median s | peak MiB |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['task']} | {r['visits']} | {len(r['runs'])} | {r['median_seconds']:.2f} | {r['median_peak_mib']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--visits", type=float, default=1e6, help="synthetic visits (e.g. 1e6)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "visitdata-bench-panels")
    p.add_argument("--out", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    n = int(args.visits)
    data = args.work / f"synthetic-{n}"
    if not (data / "visits.parquet").exists():
        generate(data, n)
    import visitdata

    real_visits = len(visitdata.load("visits", columns=["visit_id"]))
    tasks = [
        ("dyad-years-real", real_visits, [sys.executable, "-c", REAL]),
        ("dyad-years-synthetic", n, [sys.executable, "-c", SYNTHETIC, str(data)]),
        ("import-floor", 0, [sys.executable, "-c", FLOOR]),
    ]
    results = []
    for task, visits, cmd in tasks:
        runs = [measure(cmd) for _ in range(args.repeat)]
        if any(r.exit_code for r in runs):
            print(f"{task} failed", file=sys.stderr)
            return 1
        results.append(
            {
                "task": task,
                "visits": visits,
                "runs": [vars(r) for r in runs],
                "median_seconds": statistics.median(r.seconds for r in runs),
                "median_peak_mib": statistics.median(r.peak_mib for r in runs),
            }
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "panels.json").write_text(
        json.dumps({"meta": _meta(), "results": results}, indent=2) + "\n", encoding="utf-8"
    )
    text = table(results)
    (args.out / "panels.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
