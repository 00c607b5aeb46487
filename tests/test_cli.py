import json
import re

from conftest import REPO, TODAY, set_cell
from visitdata.cli import COMMANDS, _parser, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_exit_codes_and_formats(project, capsys):
    code, out, _ = run(capsys, "validate", "--root", str(project), "--today", TODAY.isoformat())
    assert code == 0 and out.startswith("valid")
    set_cell(project, "visits", {"visit_id": "v1"}, "end_date", "2019-06-19")
    code, out, _ = run(capsys, "validate", "--root", str(project), "--format", "json", "--today", TODAY.isoformat())
    assert code == 1
    assert json.loads(out)["findings"][0]["rule"] == "visit-date-order"


def test_io_problems_exit_2_without_a_trace(project, capsys):
    (project / "data" / "visits.csv").unlink()
    code, _, err = run(capsys, "validate", "--root", str(project))
    assert code == 2 and "visits.csv: file not found" in err and "Traceback" not in err


def test_not_utf8_exits_2(project, capsys):
    (project / "data" / "persons.csv").write_bytes("person_id,name\np,Jos\xe9\n".encode("latin-1"))
    code, _, err = run(capsys, "validate", "--root", str(project))
    assert code == 2 and "not UTF-8" in err


def test_build_refuses_invalid_data_with_the_report(project, capsys):
    set_cell(project, "persons", {"person_id": "p-a"}, "name", "@someone")
    code, out, err = run(capsys, "build", "--root", str(project), "--out", str(project / "release"))
    assert code == 1 and "text-formula" in out and "nothing was written" in err
    assert not (project / "release").exists()


def test_build_and_check(project, capsys):
    out_dir = project / "release"
    assert run(capsys, "build", "--root", str(project), "--out", str(out_dir))[0] == 0
    assert run(capsys, "build", "--root", str(project), "--out", str(out_dir), "--check")[0] == 0
    set_cell(project, "persons", {"person_id": "p-a"}, "name", "Person Alpha")
    code, out, _ = run(capsys, "build", "--root", str(project), "--out", str(out_dir), "--check")
    assert code == 1 and "stale" in out


def test_unknown_importer_names_the_valid_ones(project, capsys):
    code, _, err = run(capsys, "import", "nope", "--root", str(project))
    assert code == 2 and "valid importers:" in err


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    assert set(subparsers.choices) == set(COMMANDS)
    for name in COMMANDS:
        assert re.search(rf"visitdata {name}\b", readme), f"`visitdata {name}` is not in the README"


def test_a_closed_pipe_ends_quietly(project):
    import subprocess
    import sys

    from conftest import append_rows

    # Enough findings to overflow the pipe after the reader has gone.
    append_rows(
        project,
        "sources",
        [{"source_id": f"x{i}", "source_type": "blog", "publisher": "P", "title": "T"} for i in range(3000)],
    )
    script = "import sys; from visitdata.cli import main; sys.exit(main(sys.argv[1:]))"
    run = subprocess.run(
        f"{sys.executable} -c '{script}' validate --root {project} --limit 0 --format json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Broken pipe" not in run.stderr and "Traceback" not in run.stderr


def test_the_command_flushes_everything_and_exits_with_mains_code(project):
    """``visitdata`` (``cli.run``) leaves through ``os._exit``: nothing written may be lost."""
    import os
    import subprocess
    import sys

    from conftest import append_rows

    command = [
        sys.executable,
        "-c",
        "from visitdata.cli import run; run()",
        "validate",
        "--root",
        str(project),
        "--today",
        TODAY.isoformat(),
        "--format",
        "json",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    clean = subprocess.run(command, capture_output=True, text=True, env=env)
    assert clean.returncode == 0 and json.loads(clean.stdout)["valid"] is True
    append_rows(
        project,
        "sources",
        [{"source_id": f"x{i}", "source_type": "blog", "publisher": "P", "title": "T"} for i in range(3000)],
    )
    broken = subprocess.run(command, capture_output=True, text=True, env=env)
    assert broken.returncode == 1 and broken.stderr == ""
    report = json.loads(broken.stdout)  # the whole report arrived: it parses
    assert len(report["findings"]) == report["errors"] + report["warnings"] >= 3000
    piped = subprocess.run(
        " ".join(command).replace("from visitdata.cli import run; run()", "'from visitdata.cli import run; run()'")
        + " | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "Broken pipe" not in piped.stderr and "Traceback" not in piped.stderr
