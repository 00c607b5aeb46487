"""The ``visitdata`` command: parses arguments, calls the library, maps errors to messages.

Exit codes: 0 success, 1 data errors (or stale files in check mode), 2 usage or I/O errors.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__
from .errors import ArtefactError, BuildError, MissingExtraError, ReleaseError, VisitdataError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="visitdata",
        description="High-level official visits between states: validate, build and import the curated tables.",
    )
    parser.add_argument("--version", action="version", version=f"visitdata {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def root_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--root",
            type=Path,
            default=Path("."),
            help="project folder holding data/, schemas/ and datapackage.json (default: current folder)",
        )

    p = sub.add_parser(
        "validate",
        help="check data/*.csv against schemas/ and every rule; report all failures",
        description="Check data/*.csv against schemas/*.json and every validation rule, and report every failure at once.",
    )
    root_arg(p)
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="text for people (default), json for machines"
    )
    p.add_argument(
        "--limit", type=int, default=50, help="examples shown per rule in text output; 0 shows all (default 50)"
    )
    p.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="date to judge past and future against (YYYY-MM-DD; default: today)",
    )

    p = sub.add_parser(
        "build",
        help="validate, then write the Parquet release, datapackage.json and SHA256SUMS",
        description="Validate, then write the release (Parquet, datapackage.json, SHA256SUMS) and sync the top-level datapackage.json and README. Writes nothing if validation fails.",
    )
    root_arg(p)
    p.add_argument(
        "--out", type=Path, default=None, help="release folder (default: src/visitdata/release under --root)"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if datapackage.json, the README or the release is stale",
    )

    p = sub.add_parser(
        "import",
        help="import an upstream source into data/",
        description="Import an upstream source into data/*.csv. Adds new rows; never overwrites rows a curator edited.",
    )
    root_arg(p)
    p.add_argument("source", help="which importer (see `visitdata importers`)")
    p.add_argument(
        "path", type=Path, nargs="?", default=None, help="the upstream files, where the importer reads files"
    )

    sub.add_parser("importers", help="list the importers", description="List the importers of upstream sources.")

    p = sub.add_parser(
        "diff",
        help="rows and schema changes between two releases or a release and the working tree",
        description="Compare two snapshots table by table: rows added, removed and changed (by primary key) and schema changes. "
        "OLD and NEW are each a release version (e.g. 0.1.0), a release folder, a project folder, or 'worktree'.",
    )
    root_arg(p)
    p.add_argument("old", help="version, release folder, project folder or 'worktree'")
    p.add_argument("new", nargs="?", default="worktree", help="as OLD (default: worktree)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        help="rows listed per table and kind, each changed row with its cells' old and new values "
        "(default: 20 in text, all in json; 0 lists all)",
    )

    p = sub.add_parser(
        "release",
        help="check the bump, build and record a new release",
        description="Prepare release X.Y.Z: refuse a bump smaller than the changes need or ids removed without a retired_ids row; "
        "then build, record the commit and sha256s in the registry, and update CITATION.cff and CHANGELOG.md.",
    )
    root_arg(p)
    p.add_argument("version", help="MAJOR.MINOR.PATCH")
    p.add_argument("--date", default=None, help="release date YYYY-MM-DD (default: today)")
    p.add_argument(
        "--no-artefacts",
        action="store_true",
        help="record the release without writing dist/ (see `visitdata artefacts`)",
    )

    p = sub.add_parser(
        "artefacts",
        help="write the files a recorded release publishes into dist/VERSION/",
        description="Write what release VERSION publishes into one folder: the wheel and sdist (python/), the reproducible "
        "data archive visitdata-data-VERSION.tar.gz, the release's top-level files (files/) and the release notes. "
        "Run it from the release's commit, after `visitdata build`: every file is checked against the registry first.",
    )
    root_arg(p)
    p.add_argument("version", help="a recorded version")
    p.add_argument("--out", type=Path, default=None, help="folder to write VERSION/ into (default: dist/ under --root)")
    p.add_argument("--no-python", action="store_true", help="skip the wheel and sdist (the data files only)")

    p = sub.add_parser(
        "record-address",
        help="record in the registry where a release's files are published",
        description="Record the repository a release was published from and the address of its files, so that "
        "every later version can download it. The publishing workflow runs this with the repository it runs in.",
    )
    root_arg(p)
    p.add_argument("version", help="a recorded version")
    p.add_argument(
        "--repository", required=True, help="the repository's address, e.g. https://forge.example/owner/visitdata"
    )
    p.add_argument("--url", default=None, help="the files' address (default: REPOSITORY/releases/download/vVERSION/)")

    p = sub.add_parser(
        "verify",
        help="rebuild a recorded release from its commit and compare sha256s",
        description="Rebuild a recorded release from its commit, with that commit's code, and compare every file's sha256 with the registry.",
    )
    root_arg(p)
    p.add_argument("version", help="a recorded version")

    p = sub.add_parser(
        "serve",
        help="browse the release in a web browser with Datasette (needs visitdata[explore])",
        description="Serve the release's visitdata.sqlite with Datasette on 127.0.0.1: tables and columns described "
        "from the schemas, facets, full-text search and canned queries.",
    )
    from .serve import add_arguments  # imports no Datasette

    add_arguments(p)

    p = sub.add_parser(
        "review",
        help="list candidate pairs of person records that may be one person, with the evidence",
        description="List pairs of persons that may be one person (names, states, years and offices compared), "
        "with each record's visits, offices and sources. Decided pairs (data/person_reviews.csv) are left out. "
        "Exit code 1 while an undecided pair scores at or above the threshold.",
    )
    root_arg(p)
    p.add_argument("what", choices=["persons"], help="what to review (persons)")
    p.add_argument(
        "--threshold", type=float, default=None, help="lowest score listed (default: the review's own threshold)"
    )
    p.add_argument("--decided", action="store_true", help="list decided pairs too, with their decision")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--limit", type=int, default=50, help="pairs shown in text output; 0 shows all (default 50)")
    p = sub.add_parser(
        "panel",
        help="write a dyad-year, country-year or leader-year panel (Parquet, CSV or Stata)",
        description="Compute a panel from the installed release and write it as Parquet, CSV or Stata (.dta), chosen by the "
        "suffix of --out. Visits are missing, not zero, where the coverage table does not declare them complete.",
    )
    p.add_argument("kind", choices=["dyad-years", "country-years", "leader-years"], help="which panel")
    p.add_argument("--out", type=Path, required=True, help="file to write: .parquet, .csv or .dta")
    p.add_argument(
        "--system",
        choices=["cow", "gw"],
        default="cow",
        help="state system of dyad-years and country-years (default cow)",
    )
    p.add_argument("--start", type=int, default=None, help="first year (default: the system's first)")
    p.add_argument("--end", type=int, default=None, help="last year (default: the last year complete coverage reaches)")
    p.add_argument(
        "--offices",
        default=None,
        help="role types whose visits count, separated by ',' (default: head_of_state,head_of_government)",
    )
    p.add_argument(
        "--status", default="took_place", help="visit statuses that count, separated by ',' (default took_place)"
    )
    p.add_argument("--undirected", action="store_true", help="dyad-years: unordered pairs, each visit counted once")
    p.add_argument(
        "--direction",
        choices=["out", "in"],
        default="out",
        help="country-years: visits made (out, default) or received (in)",
    )
    p.add_argument(
        "--no-multilateral",
        action="store_true",
        help="leave out stays at summits and conferences (counted for the host by default)",
    )

    p = sub.add_parser(
        "export",
        help="write every table as Stata .dta files with labels, or CSV with a codebook",
        description="Write every table of the installed release into DIR: Stata 118 .dta files with variable labels from the "
        "schemas' titles and value labels for every vocabulary, or CSV files with codebook.csv.",
    )
    p.add_argument("dir", type=Path, help="folder to write into (created if needed)")
    p.add_argument("--format", choices=["stata", "csv"], default="stata")
    p.add_argument("--release", type=Path, default=None, help="a release folder (default: the one installed)")

    p = sub.add_parser(
        "cite", help="print the citation of the installed release", description="Print how to cite a release."
    )
    p.add_argument("--format", choices=["bibtex", "apa", "cff"], default="bibtex")
    p.add_argument("--version", dest="release", default=None, help="another recorded release")
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_package

    report = validate_package(args.root, today=args.today)
    if args.format == "json":
        report.write_json(sys.stdout)
        print()
    else:
        print(report.to_text(limit=None if args.limit == 0 else args.limit))
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
    from .importers import importers

    for name, importer in sorted(importers().items()):
        print(f"{name}: {importer.description}")
    return EXIT_OK


def _snapshot(spec: str, root: Path):
    from . import diff

    path = Path(spec)
    if spec == "worktree":
        return diff.from_project(root)
    if path.is_dir() and (path / "data").is_dir() and (path / "schemas").is_dir():
        return diff.from_project(path)
    if path.is_dir() and (path / "datapackage.json").exists():
        return diff.from_release(path)
    return diff.from_version(root, spec)


def _diff(args: argparse.Namespace) -> int:
    from .diff import compare

    result = compare(_snapshot(args.old, args.root), _snapshot(args.new, args.root))
    limit = None if args.limit == 0 else args.limit
    if args.format == "json":
        print(result.to_json(limit=limit))
    else:
        print(result.to_text(limit=20 if args.limit is None else (limit or 10**9)))
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    from .releasing import prepare

    result = prepare(args.root, args.version, args.date)
    release = result.release
    print(f"release {release.version} of {release.date}, built from commit {release.commit}")
    for name, digest in release.assets.items():
        print(f"  {digest}  {name}")
    print(f"  {release.archive}  (data archive)")
    if not args.no_artefacts:
        _print_artefacts(args.root, release.version, None, python=True)
    print(
        "now commit: CHANGELOG.md, CITATION.cff, .zenodo.json, datapackage.json, src/visitdata/ (release, releases.json, _version.py)"
    )
    return EXIT_OK


def _print_artefacts(root: Path, version: str, out: Path | None, python: bool) -> None:
    from .artefacts import make

    made = make(root, version, out, python=python)
    print(f"wrote {made.folder}:")
    for path in [*made.python, made.archive, *made.files]:
        print(f"  {path.relative_to(made.folder)}")


def _artefacts(args: argparse.Namespace) -> int:
    _print_artefacts(args.root, args.version, args.out, python=not args.no_python)
    return EXIT_OK


def _record_address(args: argparse.Namespace) -> int:
    from . import registry

    reg = registry.read(args.root).with_address(args.version, args.repository, args.url)
    registry.write(args.root, reg)
    print(f"release {args.version}: files at {reg.get(args.version).url} (repository {reg.repository})")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from .releasing import verify

    differences = verify(args.root, args.version)
    for line in differences:
        print(f"differs: {line}")
    if not differences:
        print(f"release {args.version}: every file rebuilt byte for byte")
    return EXIT_DATA if differences else EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from . import review

    threshold = review.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    found = review.candidates(args.root, threshold=threshold, decided=args.decided)
    print(review.to_json(found) if args.format == "json" else review.to_text(found, limit=args.limit or None))
    return EXIT_DATA if any(not c.decision for c in found) else EXIT_OK


def _cite(args: argparse.Namespace) -> int:
    from .cite import cite

    print(cite(args.format, args.release), end="")
    return EXIT_OK


def _panel(args: argparse.Namespace) -> int:
    from . import panels
    from .export import format_of, write_frame

    format_of(args.out)  # refuse an unknown suffix before computing
    options = {
        "start": args.start,
        "end": args.end,
        "status": args.status.split(","),
        "multilateral": not args.no_multilateral,
        "offices": args.offices.split(",") if args.offices else None,
    }
    if args.kind == "dyad-years":
        frame = panels.dyad_years(args.system, directed=not args.undirected, **options)
    elif args.kind == "country-years":
        frame = panels.country_years(args.system, direction=args.direction, **options)
    else:
        frame = panels.leader_years(**options)
    write_frame(
        frame, args.out, panels.panel_fields(frame.columns, args.system), label=f"visitdata {__version__}: {args.kind}"
    )
    print(
        f"{args.kind}: {len(frame)} rows, {int(frame.filter(like='covered').all(axis=1).sum())} covered, written to {args.out}"
    )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .export import export

    for path in export(args.dir, args.format, release=args.release):
        print(path)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import run

    return run(args)


COMMANDS = {
    "validate": _validate,
    "build": _build,
    "import": _import,
    "importers": _importers,
    "diff": _diff,
    "release": _release,
    "verify": _verify,
    "serve": _serve,
    "cite": _cite,
    "artefacts": _artefacts,
    "record-address": _record_address,
    "review": _review,
    "panel": _panel,
    "export": _export,
}


#: Commands that read every table: the ``visitdata`` entry point tunes the allocators for them.
LARGE_TABLE_COMMANDS = frozenset({"validate", "build", "release", "import"})


def main(argv: Sequence[str] | None = None, *, entry_point: bool = False) -> int:
    """Run one command; ``entry_point`` (only :func:`run`) may change process-wide settings."""
    args = _parser().parse_args(argv)
    if entry_point and args.command in LARGE_TABLE_COMMANDS:
        _tune_allocators()
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        # The reader went away (`visitdata diff ... | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_DATA
    except ModuleNotFoundError as e:
        from .extras import extra_for_module, install_hint

        if isinstance(e, MissingExtraError):
            print(f"error: {e}", file=sys.stderr)
            return EXIT_USAGE
        extra = extra_for_module(e.name)
        hint = f": {install_hint(extra)}" if extra else ""
        print(f"error: this command needs {e.name}{hint}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as e:
        if e.report is not None:
            print(e.report.to_text())
        print(f"error: {e}", file=sys.stderr)
        return EXIT_DATA
    except ReleaseError as e:
        print(f"error: release refused: {e}", file=sys.stderr)
        return EXIT_DATA
    except ArtefactError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_DATA
    except (VisitdataError, OSError) as e:  # the project's own errors and files; anything else is a bug
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE


def _tune_allocators() -> None:
    """Keep freed memory for reuse: for the ``visitdata`` process only, never in a library call.

    A validation at a million visits allocates and frees thousands of arrays of tens of
    megabytes. With Arrow's default allocator (mimalloc) and glibc's default thresholds each
    is mapped and unmapped afresh, and the page faults cost as much system time as the checks
    take user time; jemalloc for Arrow, and glibc keeping large blocks on its heap, halve that
    (docs/performance.md, "Allocation"). The process ends right after the command, so nothing
    is restored.
    """
    import pyarrow

    with contextlib.suppress(NotImplementedError, AttributeError):
        pyarrow.set_memory_pool(pyarrow.jemalloc_memory_pool())
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(_M_MMAP_THRESHOLD, 1 << 28)
            libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
        except (OSError, AttributeError):  # not glibc (musl has no mallopt)
            pass


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def run() -> None:
    """The ``visitdata`` command: :func:`main`, then exit without tearing the interpreter down.

    A validation of a million visits leaves millions of objects (frames, findings) that Python
    would free one by one at exit: a third of a second at 1e5 visits, seconds at 1e6, spent
    after the report is out. The output is flushed first; nothing here registers exit handlers.
    Only this entry point does so (and tunes the allocators): :func:`main` and the library
    leave the caller's process as they found it.
    """
    code = main(entry_point=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or EXIT_DATA
    os._exit(code)


if __name__ == "__main__":
    run()
