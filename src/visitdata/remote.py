"""Download the files of an older release, verified against the sha256 the package keeps.

Files are fetched with pooch into a user cache folder (``VISITDATA_CACHE`` overrides it) from
the release address (``VISITDATA_BASE_URL`` overrides ``base_url`` in the registry). A file
already in the cache with the right hash is used without touching the network, so a release
once fetched works offline. A file whose hash does not match is rejected and never cached.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import registry
from .errors import UnknownNameError, VisitdataError
from .extras import missing_extra

CACHE_ENV = "VISITDATA_CACHE"


class ReleaseDownloadError(VisitdataError, OSError):
    """A release file could not be fetched, or did not match its recorded sha256."""


def _pooch():
    """pooch, or the install hint: it is an optional dependency (``visitdata[releases]``)."""
    try:
        import pooch
    except ModuleNotFoundError as e:
        raise missing_extra("loading an older release needs pooch", "releases") from e
    return pooch


def cache_dir() -> Path:
    """The folder releases are cached in: ``VISITDATA_CACHE`` or the user cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    return Path(_pooch().os_cache("visitdata"))


def fetch(version: str, asset: str, reg: registry.Registry | None = None) -> Path:
    """Local path of one file of a release, downloading and verifying it if needed.

    The download goes to a temporary file beside the cache; its sha256 is compared with the
    registry's here (not by pooch), and only a matching file is moved into the cache.
    """
    reg = reg or registry.installed()
    release = reg.get(version)
    if asset not in release.assets:
        raise UnknownNameError(
            f"release {version} has no file {asset!r}; its files: {', '.join(sorted(release.assets))}"
        )
    pooch = _pooch()
    expected = release.assets[asset]
    cached = cache_dir() / version / asset
    if cached.exists() and pooch.file_hash(str(cached)) == expected:
        return cached
    url = reg.url(version, asset)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cached.parent, prefix=".download-") as tmp:
        download = Path(tmp) / cached.name
        try:
            pooch.HTTPDownloader(progressbar=False)(url, str(download), None)
        except Exception as e:  # network errors come from requests; name what failed and how to fix it
            raise ReleaseDownloadError(
                f"could not download {asset} of release {version} from {url}: {e}. "
                f"Check the connection, or set {registry.BASE_URL_ENV} to a mirror"
            ) from e
        if pooch.file_hash(str(download)) != expected:
            raise ReleaseDownloadError(
                f"{asset} of release {version} from {url} does not match its recorded sha256 "
                f"({expected}): the file was not cached; the server copy is damaged or altered"
            )
        os.replace(download, cached)
    return cached


def fetch_release(version: str, reg: registry.Registry | None = None) -> Path:
    """A local folder holding the tables of a release (verified), for loading or diffing.

    Only what reading needs is fetched: ``datapackage.json`` and the Parquet files, each a
    top-level file of the release as its release page publishes them. The database and the
    card are in the data archive (``visitdata-data-X.Y.Z.tar.gz``) for those who want them.
    """
    reg = reg or registry.installed()
    release = reg.get(version)
    for asset in sorted(release.assets):
        if asset == "datapackage.json" or (asset.endswith(".parquet") and "/" not in asset):
            fetch(version, asset, reg)
    return cache_dir() / version
