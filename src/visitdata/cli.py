"""The ``visitdata`` command: parses arguments, calls the library, maps errors to messages.

Exit codes: 0 success, 1 data errors (or stale files in check mode), 2 usage or I/O errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="visitdata", description="High-level official visits between states: validate, build and import the curated tables.")
    parser.add_argument("--version", action="version", version=f"visitdata {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def root_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--root", type=Path, default=Path("."), help="project folder holding data/, schemas/ and datapackage.json (default: current folder)")

    p = sub.add_parser("validate", help="check data/*.csv against schemas/ and every rule; report all failures",
                       description="Check data/*.csv against schemas/*.json and every validation rule, and report every failure at once.")
    root_arg(p)
    p.add_argument("--format", choices=["text", "json"], default="text", help="text for people (default), json for machines")
    p.add_argument("--limit", type=int, default=50, help="examples shown per rule in text output; 0 shows all (default 50)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="date to judge past and future against (YYYY-MM-DD; default: today)")

    p = sub.add_parser("build", help="validate, then write the Parquet release, datapackage.json and SHA256SUMS",
                       description="Validate, then write the release (Parquet, datapackage.json, SHA256SUMS) and sync the top-level datapackage.json and README. Writes nothing if validation fails.")
    root_arg(p)
    p.add_argument("--out", type=Path, default=None, help="release folder (default: src/visitdata/release under --root)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if datapackage.json, the README or the release is stale")

    p = sub.add_parser("import", help="import an upstream source into data/",
                       description="Import an upstream source into data/*.csv. Adds new rows; never overwrites rows a curator edited.")
    root_arg(p)
    p.add_argument("source", help="which importer (see `visitdata importers`)")
    p.add_argument("path", type=Path, nargs="?", default=None, help="the upstream files, where the importer reads files")

    sub.add_parser("importers", help="list the importers", description="List the importers of upstream sources.")
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_package

    report = validate_package(args.root, today=args.today)
    print(report.to_json() if args.format == "json" else report.to_text(limit=None if args.limit == 0 else args.limit))
    return EXIT_OK if report.ok else EXIT_DATA


def _build(args: argparse.Namespace) -> int:
    from . import build

    if args.check:
        stale = build.check(args.root, args.out)
        for line in stale:
            print(f"stale: {line}")
        if not stale:
            print("up to date: datapackage.json, README and release match data/ and schemas/")
        return EXIT_DATA if stale else EXIT_OK
    result = build.build(args.root, args.out)
    assert result.report is not None
    if result.report.warnings:
        print(result.report.to_text())
    for name, rows in result.rows.items():
        print(f"{name}: {rows} rows")
    print(f"built release {__version__} in {result.out}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .importers import get_importer

    importer = get_importer(args.source)
    summary = importer.run(args.root, args.path, progress=lambda message: print(message, file=sys.stderr))
    print(summary if isinstance(summary, str) else "\n".join(f"{k}: {v}" for k, v in dict(summary).items()))
    return EXIT_OK


def _importers(args: argparse.Namespace) -> int:
    from .importers import IMPORTERS

    for name, what in sorted(IMPORTERS.items()):
        print(f"{name}: {what}")
    return EXIT_OK


COMMANDS = {"validate": _validate, "build": _build, "import": _import, "importers": _importers}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ModuleNotFoundError as e:
        extra = {"pandera": "curate", "pycountry": "import"}.get((e.name or "").split(".")[0])
        hint = f": pip install 'visitdata[{extra}]'" if extra else ""
        print(f"error: this command needs {e.name}{hint}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # mapped to messages below; anything else is a bug and keeps its trace
        from .build import BuildError
        from .csvio import TableReadError

        if isinstance(e, BuildError):
            if e.report is not None:
                print(e.report.to_text())
            print(f"error: {e}", file=sys.stderr)
            return EXIT_DATA
        if isinstance(e, (TableReadError, OSError, KeyError, ValueError)):
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            print(f"error: {message}", file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    sys.exit(main())
