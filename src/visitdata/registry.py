"""The release registry: every published release, its date, its commit and each asset's sha256.

It ships inside the package (``releases.json``) so that an installed version can verify the
files of any release it downloads, and it lives in the repository so that any release can be
rebuilt byte for byte from its commit. Git tags may not travel with a copy of the repository;
this file does.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

REGISTRY_FILE = "releases.json"
#: Environment variable overriding the address releases are downloaded from.
BASE_URL_ENV = "VISITDATA_BASE_URL"


class UnknownReleaseError(KeyError):
    """A version that is not in the registry."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str
    assets: dict[str, str]
    doi: str | None = None
    built_with: dict[str, str] = field(default_factory=dict)


@dataclass
class Registry:
    """All releases, oldest first, and the address their files are published at."""

    base_url: str = ""
    releases: list[Release] = field(default_factory=list)

    @property
    def versions(self) -> list[str]:
        return [r.version for r in self.releases]

    def get(self, version: str) -> Release:
        for release in self.releases:
            if release.version == version:
                return release
        known = ", ".join(self.versions) or "none yet"
        raise UnknownReleaseError(f"unknown release {version!r}; known releases: {known}")

    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def url(self, version: str, asset: str) -> str:
        """Address of one file of a release: ``base_url`` with ``{version}`` filled in, plus the name."""
        base = os.environ.get(BASE_URL_ENV) or self.base_url
        if not base:
            raise LookupError(
                f"no address is configured to download release {version} from: set {BASE_URL_ENV} "
                f"(e.g. https://host/visitdata/{{version}}/) or base_url in {REGISTRY_FILE}"
            )
        base = base.format(version=version)
        return base if base.endswith("/") and not asset else base.rstrip("/") + "/" + asset

    def with_release(self, release: Release) -> Registry:
        kept = [r for r in self.releases if r.version != release.version]
        return Registry(self.base_url, [*kept, release])

    def to_json(self) -> str:
        data: dict[str, Any] = {"base_url": self.base_url, "releases": [asdict(r) for r in self.releases]}
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def parse(text: str) -> Registry:
    data = json.loads(text)
    return Registry(data.get("base_url", ""), [Release(**r) for r in data.get("releases", [])])


def installed() -> Registry:
    """The registry shipped with this installation."""
    return parse((resources.files("visitdata") / REGISTRY_FILE).read_text(encoding="utf-8"))


def path_in(root: Path) -> Path:
    """Where the registry lives in a project checkout."""
    return Path(root) / "src" / "visitdata" / REGISTRY_FILE


def read(root: Path) -> Registry:
    path = path_in(root)
    return parse(path.read_text(encoding="utf-8")) if path.exists() else Registry()


def write(root: Path, registry: Registry) -> None:
    path_in(root).write_text(registry.to_json(), encoding="utf-8")
