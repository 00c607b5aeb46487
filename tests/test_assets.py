"""The release's assets: what the wheel leaves out and git ignores is one list (build.UNSHIPPED)."""

from __future__ import annotations

import pytest

from conftest import REPO
from visitdata.build import CHECKSUMS, DEFAULT_OUT, UNSHIPPED


def test_unshipped_assets_are_left_out_of_the_wheel_and_of_git() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    release = DEFAULT_OUT.as_posix()
    expected = {f"{release}/{name}" for name in UNSHIPPED}
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]
    assert set(wheel.get("exclude", [])) == expected
    ignored = {line.strip() for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()}
    assert expected <= ignored
    assert not any(line.startswith(release) for line in ignored - expected)  # nothing else of the release is ignored


def test_every_shipped_file_is_in_the_checksums(release) -> None:
    """The package's SHA256SUMS lists what the package ships: every built file but the unshipped."""
    listed = {line.split(maxsplit=1)[1] for line in (release / CHECKSUMS).read_text(encoding="utf-8").splitlines()}
    built = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {CHECKSUMS}
    assert listed == built - set(UNSHIPPED) and set(UNSHIPPED) <= built
