"""Benchmark validation, build and loading at several sizes, against frictionless as the reference.

    python bench/run.py --sizes 1e4 1e5 1e6 --repeat 3 --frictionless-max 1e5

For each size it generates a synthetic project (:mod:`synth`, cached in ``--work``) and a copy
with ``--broken`` of its rows broken, then runs each command ``--repeat`` times as a separate
process and records whole-process wall time and peak memory (max RSS, from ``wait4``):

* ``validate`` — ``visitdata validate`` (every rule) on the clean project;
* ``validate-broken`` — the same on the broken copy (text report), and ``validate-broken-json``;
* ``build`` — ``visitdata build --out …`` (validates, then writes the Parquet release);
* ``load_all`` — ``import visitdata; load_all()`` reading that release;
* ``parquet-direct`` — ``import pandas, pyarrow.parquet`` and reading the same files directly;
* ``frictionless`` — ``frictionless validate`` of the same package (the reference), for
  sizes up to ``--frictionless-max`` (it needs minutes at 1e6 visits);
* ``import-floor`` — a process that only imports what ``validate`` imports before it can read
  a byte (pandas, pyarrow, pandera): no validation run can be faster, and frictionless's time
  divided by it is the largest ratio any run could reach at that size.

It prints a Markdown table (medians, ratios, scaling exponents between consecutive sizes) and
writes it to ``--out``/latest.md and the raw numbers to ``--out``/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The day the synthetic data are judged against (``synth.TODAY``).
TODAY = "2026-11-28"
TASKS = (
    "validate",
    "validate-broken",
    "validate-broken-json",
    "build",
    "load_all",
    "parquet-direct",
    "frictionless",
    "import-floor",
)
IMPORT_FLOOR = "import visitdata.cli, visitdata.validate, visitdata.pandera_schema"
TABLES = ("sources", "countries", "states", "state_crosswalk", "persons", "roles", "visits", "attendees", "retired_ids")


@dataclass
class Run:
    """One process: wall seconds, peak resident memory (MiB) and exit code."""

    seconds: float
    peak_mib: float
    exit_code: int


@dataclass
class Measure:
    task: str
    size: int
    rows: int
    runs: list[Run] = field(default_factory=list)
    findings: int | None = None

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)


def measure(
    cmd: list[str], cwd: Path | None = None, stdout: int | None = subprocess.DEVNULL, timeout: float = 600
) -> Run:
    """Run ``cmd`` once; ``wait4`` gives this child's own peak RSS (not the benchmark's)."""
    with tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=err_file)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(cmd[:4])}… exited {proc.returncode}: {err[-2000:]}", file=sys.stderr)
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(round(seconds, 3), round(peak, 1), proc.returncode)


def count_findings(report: Path) -> int:
    """The number of findings a JSON report lists, counted in a child process: parsing 800,000
    findings here would grow the runner by a gigabyte, and a child inherits its parent's peak
    RSS at fork (see :func:`measure`)."""
    code = "import json, sys; print(len(json.load(open(sys.argv[1], encoding='utf-8'))['findings']))"
    return int(
        subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True, check=True).stdout
    )


def _visitdata() -> list[str]:
    script = Path(sys.executable).parent / "visitdata"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from visitdata.cli import run; run()"]


def _frictionless() -> list[str] | None:
    script = Path(sys.executable).parent / "frictionless"
    found = str(script) if script.exists() else shutil.which("frictionless")
    return [found] if found else None


LOAD_ALL = (
    "import sys, importlib; from pathlib import Path; import visitdata; "
    "importlib.import_module('visitdata.load').release_dir = lambda: Path(sys.argv[1]); "
    "t = visitdata.load_all(); assert sum(len(f) for f in t.values()) > 0"
)
DIRECT = (
    "import sys; from pathlib import Path; import pandas, pyarrow.parquet as pq; "
    "t = {p.stem: pq.read_table(p).to_pandas() for p in sorted(Path(sys.argv[1]).glob('*.parquet'))}; "
    "assert sum(len(f) for f in t.values()) > 0"
)


def project(work: Path, size: int, broken: float) -> Path:
    """The synthetic project for ``size`` visits (generated once, then reused).

    Generated in a child process: a child's peak RSS counts the memory of the process it was
    forked from, so the runner itself must stay small (it imports neither numpy nor pandas).
    """
    name = f"visits-{size}" + (f"-broken-{broken:g}" if broken else "")
    path = work / name
    if not (path / ".complete").exists():
        cmd = [sys.executable, str(HERE / "synth.py"), str(path), "--visits", str(size), "--broken", str(broken)]
        subprocess.run(cmd, check=True)
        (path / ".complete").write_text("", encoding="utf-8")
    return path


def row_count(path: Path) -> int:
    total = 0
    for name in TABLES:
        with open(path / "data" / f"{name}.csv", "rb") as f:
            total += sum(block.count(b"\n") for block in iter(lambda f=f: f.read(1 << 24), b"")) - 1
    return total


def bench_size(size: int, args: argparse.Namespace, log=print) -> list[Measure]:
    clean = project(args.work, size, 0.0)
    broken = project(args.work, size, args.broken) if args.broken else None
    rows = row_count(clean)
    release = clean / "release"
    vd = _visitdata()
    tasks: list[tuple[str, list[str], Path]] = [
        ("validate", [*vd, "validate", "--root", str(clean), "--today", TODAY], clean),
    ]
    if broken is not None:
        tasks += [
            ("validate-broken", [*vd, "validate", "--root", str(broken), "--today", TODAY], broken),
            (
                "validate-broken-json",
                [*vd, "validate", "--root", str(broken), "--today", TODAY, "--format", "json"],
                broken,
            ),
        ]
    tasks += [
        ("build", [*vd, "build", "--root", str(clean), "--out", str(release)], clean),
        ("load_all", [sys.executable, "-c", LOAD_ALL, str(release)], clean),
        ("parquet-direct", [sys.executable, "-c", DIRECT, str(release)], clean),
    ]
    fl = _frictionless()
    if fl and size <= args.frictionless_max:
        tasks.append(("frictionless", [*fl, "validate", "datapackage.json"], clean))
    tasks.append(("import-floor", [sys.executable, "-c", IMPORT_FLOOR], clean))
    if args.tasks:
        tasks = [t for t in tasks if t[0] in args.tasks]
    out: list[Measure] = []
    for task, cmd, cwd in tasks:
        m = Measure(task, size, rows)
        repeat = args.build_repeat if task == "build" and args.build_repeat else args.repeat
        for i in range(repeat):
            m.runs.append(measure(cmd, cwd=cwd, timeout=args.timeout))
            log(f"  {task} @ {size:g}: run {i + 1}/{repeat} {m.runs[-1].seconds:.2f} s, {m.runs[-1].peak_mib:.0f} MiB")
        if task == "validate-broken-json":
            with open(args.work / "findings.json", "wb") as f:
                subprocess.run(cmd, cwd=cwd, stdout=f, check=False)
            m.findings = count_findings(args.work / "findings.json")
        out.append(m)
    return out


def _get(ms: list[Measure], task: str, size: int) -> Measure | None:
    return next((m for m in ms if m.task == task and m.size == size), None)


def _exponent(a: Measure | None, b: Measure | None) -> float | None:
    if a is None or b is None or a.seconds <= 0 or b.size == a.size:
        return None
    return math.log(b.seconds / a.seconds) / math.log(b.size / a.size)


def summarise(ms: list[Measure]) -> dict:
    """Ratios per size and scaling exponents between consecutive sizes."""
    sizes = sorted({m.size for m in ms})
    per_size = {}
    for n in sizes:
        v, f, b = _get(ms, "validate", n), _get(ms, "frictionless", n), _get(ms, "validate-broken", n)
        la, d, floor = _get(ms, "load_all", n), _get(ms, "parquet-direct", n), _get(ms, "import-floor", n)
        estimate = None
        if f is None and v is not None:
            # Not run at this size (minutes at 1e6): its rate at the largest size measured.
            measured = [m for m in ms if m.task == "frictionless"]
            if measured:
                ref = max(measured, key=lambda m: m.size)
                estimate = round(v.rows / (ref.rows / ref.seconds) / v.seconds, 1)
        per_size[str(n)] = {
            "frictionless_over_validate": round(f.seconds / v.seconds, 1) if f and v else None,
            "frictionless_over_validate_estimated": estimate,
            "frictionless_over_import_floor": round(f.seconds / floor.seconds, 1) if f and floor else None,
            "broken_over_clean": round(b.seconds / v.seconds, 2) if b and v else None,
            "load_all_over_direct": round(la.seconds / d.seconds, 2) if la and d else None,
        }
    exponents = {}
    for task in dict.fromkeys(m.task for m in ms):
        for lo, hi in zip(sizes, sizes[1:], strict=False):
            e = _exponent(_get(ms, task, lo), _get(ms, task, hi))
            if e is not None:
                exponents.setdefault(task, {})[f"{lo:g}→{hi:g}"] = round(e, 2)
    return {"per_size": per_size, "exponents": exponents}


def markdown(ms: list[Measure], summary: dict, meta: dict) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']} ({meta['cpus']} CPUs), Python {meta['python']}, "
        f"{', '.join(f'{k} {v}' for k, v in meta['versions'].items())}; median of the runs shown, "
        f"whole process (start-up included).",
        "",
        "| visits | rows | task | runs | wall s | peak MiB | rows/s | findings |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for m in ms:
        rate = f"{m.rows / m.seconds:,.0f}" if m.seconds else ""
        found = f"{m.findings:,}" if m.findings is not None else ""
        lines.append(
            f"| {m.size:,} | {m.rows:,} | {m.task} | {len(m.runs)} | {m.seconds:.2f} | {m.peak_mib:,.0f} | {rate} | {found} |"
        )
    lines += [
        "",
        "| visits | frictionless ÷ validate | frictionless ÷ import floor | broken ÷ clean validate | load_all ÷ direct Parquet |",
        "|---:|---:|---:|---:|---:|",
    ]
    # An estimate uses frictionless's rows/s at the largest size where it ran.
    for n, r in summary["per_size"].items():
        keys = (
            "frictionless_over_validate",
            "frictionless_over_import_floor",
            "broken_over_clean",
            "load_all_over_direct",
        )
        cells = [f"{r[k]}×" if r.get(k) is not None else "–" for k in keys]
        if r.get("frictionless_over_validate_estimated") is not None:
            cells[0] = f"≈{r['frictionless_over_validate_estimated']}× (estimated)"
        lines.append(f"| {int(n):,} | " + " | ".join(cells) + " |")
    if summary["exponents"]:
        spans = sorted({s for e in summary["exponents"].values() for s in e}, key=lambda s: float(s.split("→")[0]))
        lines += [
            "",
            "Scaling exponent k in time ∝ nᵏ between sizes:",
            "",
            "| task | " + " | ".join(spans) + " |",
            "|---|" + "---:|" * len(spans),
        ]
        for task, e in summary["exponents"].items():
            lines.append(f"| {task} | " + " | ".join(str(e.get(s, "–")) for s in spans) + " |")
    return "\n".join(lines) + "\n"


def _meta(args: argparse.Namespace) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for pkg in ("visitdata", "pandas", "pyarrow", "pandera", "frictionless"):
        with contextlib.suppress(PackageNotFoundError):
            versions[pkg] = version(pkg)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit,
        "repeat": args.repeat,
        "broken": args.broken,
        "frictionless_max": args.frictionless_max,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5], help="numbers of visits (e.g. 1e4 1e5 1e6)")
    p.add_argument("--repeat", type=int, default=3, help="runs per command; the median is reported")
    p.add_argument(
        "--build-repeat",
        type=int,
        default=0,
        help="runs of build (default: --repeat); build also writes Parquet, SQLite and cards, and is slow",
    )
    p.add_argument("--broken", type=float, default=0.1, help="share of rows broken in the broken copy (0: none)")
    p.add_argument(
        "--frictionless-max", type=float, default=1e5, help="run frictionless only up to this size (0: never)"
    )
    p.add_argument(
        "--work",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")) / "visitdata-bench",
        help="where generated projects are cached",
    )
    p.add_argument("--out", type=Path, default=HERE / "results", help="folder for latest.json and latest.md")
    p.add_argument("--timeout", type=float, default=600, help="seconds before a single run is killed")
    p.add_argument("--tasks", nargs="+", choices=TASKS, default=None, help="run only these tasks (default: all)")
    p.add_argument("--table-only", action="store_true", help="run nothing: rebuild the table from --out/latest.json")
    p.add_argument(
        "--merge",
        action="store_true",
        help="keep the other measurements already in --out/latest.json (to run large sizes as separate commands)",
    )
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    measures: list[Measure] = []
    if args.table_only:
        args.merge, args.sizes = True, []
    for size in sorted(int(s) for s in args.sizes):
        print(f"{size:,} visits", file=sys.stderr)
        measures += bench_size(size, args, log=lambda s: print(s, file=sys.stderr))
    previous = args.out / "latest.json"
    if args.merge and previous.exists():
        ran = {(m.task, m.size) for m in measures}
        kept = [
            Measure(m["task"], m["size"], m["rows"], [Run(**r) for r in m["runs"]], m.get("findings"))
            for m in json.loads(previous.read_text(encoding="utf-8"))["measures"]
            if (m["task"], m["size"]) not in ran
        ]
        order = {t: i for i, t in enumerate(TASKS)}
        measures = sorted(kept + measures, key=lambda m: (m.size, order.get(m.task, len(order))))
    summary = summarise(measures)
    meta = json.loads(previous.read_text(encoding="utf-8"))["meta"] if args.table_only else _meta(args)
    table = markdown(measures, summary, meta)
    print(table)
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    result = {
        "meta": meta,
        "summary": summary,
        "measures": [{**asdict(m), "median_seconds": m.seconds, "median_peak_mib": m.peak_mib} for m in measures],
    }
    (args.out / "latest.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [
        m
        for m in measures
        if m.task in ("validate", "build", "load_all", "parquet-direct") and any(r.exit_code != 0 for r in m.runs)
    ]
    for m in failed:
        print(f"error: {m.task} at {m.size:,} visits exited {[r.exit_code for r in m.runs]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
