"""The release registry: every published release, its date, its commit and each asset's sha256.

It ships inside the package (``releases.json``) so that an installed version can verify the
files of any release it downloads, and it lives in the repository so that any release can be
rebuilt byte for byte from its commit. Git tags may not travel with a copy of the repository;
this file does.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import NotConfiguredError, UnknownNameError

REGISTRY_FILE = "releases.json"
#: Environment variable overriding the address releases are downloaded from.
BASE_URL_ENV = "VISITDATA_BASE_URL"


class NoAddressError(NotConfiguredError):
    """No download address is known for a release: it was not published, and no mirror is set."""


class UnknownReleaseError(UnknownNameError):
    """A version that is not in the registry."""


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str
    assets: dict[str, str]
    doi: str | None = None
    built_with: dict[str, str] = field(default_factory=dict)
    #: sha256 of the reproducible data archive (``visitdata-data-X.Y.Z.tar.gz``); releases cut
    #: before archives existed have none.
    archive: str | None = None
    #: Address the release's files were published at (recorded by the publishing workflow).
    url: str | None = None


@dataclass
class Registry:
    """All releases, oldest first, and the address their files are published at."""

    base_url: str = ""
    releases: list[Release] = field(default_factory=list)
    #: The repository the releases are published from, once the publishing workflow recorded it.
    repository: str = ""

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
        """Address of one file of a release, plus the name.

        The first of: ``VISITDATA_BASE_URL`` (a mirror), the address recorded for that release
        when it was published, ``base_url`` with ``{version}`` filled in.
        """
        base = os.environ.get(BASE_URL_ENV) or self.get(version).url or self.base_url
        if not base:
            raise NoAddressError(
                f"no address is recorded to download release {version} from (it has not been published "
                f"yet): set {BASE_URL_ENV} to a mirror (e.g. https://host/visitdata/{{version}}/)"
            )
        base = base.format(version=version)
        return base if base.endswith("/") and not asset else base.rstrip("/") + "/" + asset

    def with_release(self, release: Release) -> Registry:
        """This registry with ``release`` added, or replacing the record of the same version."""
        releases = [r for r in self.releases if r.version != release.version]
        releases.append(release)
        releases.sort(key=lambda r: tuple(int(p) for p in r.version.split(".")))
        return Registry(self.base_url, releases, self.repository)

    def with_address(self, version: str, repository: str, url: str | None = None) -> Registry:
        """Record where ``version`` was published: the repository and its files' address.

        ``url`` defaults to the repository's release-download address for tag ``vX.Y.Z``
        (``{repository}/releases/download/vX.Y.Z/``), as forges of the GitHub kind serve them.
        """
        repository = repository.rstrip("/")
        if not repository.startswith(("https://", "http://")):
            raise ValueError(f"repository {repository!r} is not an http(s) address")
        release = replace(self.get(version), url=url or f"{repository}/releases/download/v{version}/")
        return replace(self.with_release(release), repository=repository)

    def to_json(self) -> str:
        data: dict[str, Any] = {"base_url": self.base_url}
        if self.repository:
            data["repository"] = self.repository
        data["releases"] = [{k: v for k, v in asdict(r).items() if v is not None or k == "doi"} for r in self.releases]
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def parse(text: str) -> Registry:
    data = json.loads(text)
    return Registry(
        data.get("base_url", ""), [Release(**r) for r in data.get("releases", [])], data.get("repository", "")
    )


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
