"""A throw-away git repository holding a copy of the project, for release tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import REPO, make_project


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def make_repo(dest: Path) -> Path:
    """The tiny fixture data with this checkout's code, schemas and metadata, committed."""
    root = make_project(dest)
    ignore = shutil.ignore_patterns("__pycache__", "release", "*.pyc")
    shutil.copytree(REPO / "src", root / "src", ignore=ignore)
    (root / "src" / "visitdata" / "releases.json").write_text('{\n  "base_url": "",\n  "releases": []\n}\n')
    for name in ("README.md", "pyproject.toml", "LICENSE", "LICENSE-DATA"):
        shutil.copy(REPO / name, root / name)
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n- First rows.\n")
    (root / "CITATION.cff").write_text("cff-version: 1.2.0\n")
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    commit(root, "start")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)
