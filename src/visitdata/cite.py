"""How to cite a release: BibTeX, APA or Citation File Format, from one set of facts.

The facts come from the release descriptor (title, contributors, licence) and the release
registry (date, the repository once the publishing workflow recorded it, the DOI of that exact
version once one is minted); ``CITATION.cff`` and ``.zenodo.json`` in the repository are
written from the same facts, so they cannot disagree.

>>> import visitdata
>>> "version = {" + visitdata.__version__ + "}" in visitdata.cite("bibtex")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import UnknownNameError

FORMATS = ("bibtex", "apa", "cff")
#: Zenodo's metadata file: its GitHub integration reads it when it archives a release.
ZENODO_FILE = ".zenodo.json"


def _facts(version: str | None) -> dict[str, Any]:
    from . import registry
    from ._version import RELEASE_DATE, __version__
    from .load import datapackage

    version = version or __version__
    meta = datapackage(version if version != __version__ else None)
    reg = registry.installed()
    try:
        release = reg.get(version)
        date, doi = release.date, release.doi
    except registry.UnknownReleaseError:
        date, doi = RELEASE_DATE, None
    return citation_facts(meta, version, date, doi, reg.repository or None)


def citation_facts(
    meta: dict[str, Any], version: str, date: str, doi: str | None = None, repository: str | None = None
) -> dict[str, Any]:
    """The facts every citation format is written from."""
    authors = [c.get("title", "") for c in meta.get("contributors", []) if c.get("role", "author") == "author"]
    return {
        "title": meta.get("title", "visitdata"),
        "authors": authors or ["visitdata contributors"],
        "version": version,
        "date": date,
        "year": date[:4],
        "doi": doi,
        "licence": ", ".join(lic.get("name", "") for lic in meta.get("licenses", [])),
        "url": meta.get("homepage") or repository,
        "repository": repository,
        "keywords": meta.get("keywords", []),
        "description": meta.get("description", ""),
    }


def cff(facts: dict[str, Any]) -> str:
    """CITATION.cff text (CFF 1.2.0)."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these data, please cite the exact release you used."',
        f'title: "{facts["title"]}"',
        "type: dataset",
        "authors:",
        *[f'  - name: "{a}"' for a in facts["authors"]],
        f'version: "{facts["version"]}"',
        f'date-released: "{facts["date"]}"',
    ]
    if facts["licence"]:
        lines.append(f"license: {facts['licence']}")
    if facts["doi"]:
        lines.append(f'doi: "{facts["doi"]}"')
    if facts["url"]:
        lines.append(f'url: "{facts["url"]}"')
    if facts["repository"]:
        lines.append(f'repository-code: "{facts["repository"]}"')
    if facts["keywords"]:
        lines += ["keywords:", *[f"  - {k}" for k in facts["keywords"]]]
    return "\n".join(lines) + "\n"


def bibtex(facts: dict[str, Any]) -> str:
    key = "visitdata_" + facts["version"].replace(".", "_")
    fields = {
        "title": "{" + facts["title"] + "}",
        "author": "{" + " and ".join("{" + a + "}" for a in facts["authors"]) + "}",
        "year": "{" + facts["year"] + "}",
        "version": "{" + facts["version"] + "}",
        "note": "{Data set, release "
        + facts["version"]
        + " of "
        + facts["date"]
        + (", licence " + facts["licence"] if facts["licence"] else "")
        + "}",
    }
    if facts["doi"]:
        fields["doi"] = "{" + facts["doi"] + "}"
    if facts["url"]:
        fields["url"] = "{" + facts["url"] + "}"
    if facts["repository"] and facts["repository"] != facts["url"]:
        fields["howpublished"] = "{\\url{" + facts["repository"] + "}}"
    body = ",\n".join(f"  {k} = {v}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}\n"


def apa(facts: dict[str, Any]) -> str:
    authors = ", ".join(facts["authors"])
    tail = f" https://doi.org/{facts['doi']}" if facts["doi"] else (f" {facts['url']}" if facts["url"] else "")
    return f"{authors}. ({facts['year']}). {facts['title']} (Version {facts['version']}) [Data set].{tail}\n"


def zenodo(facts: dict[str, Any]) -> str:
    """``.zenodo.json``: what Zenodo records for each archived release (the version comes from the tag)."""
    import json

    licence = facts["licence"].split(",")[0].strip().lower()
    data: dict[str, Any] = {
        "title": facts["title"],
        "upload_type": "dataset",
        "description": facts["description"] or facts["title"],
        "creators": [{"name": a} for a in facts["authors"]],
        "license": licence,
        "keywords": facts["keywords"],
        "access_right": "open",
        "notes": "Cite the exact release you used; each release has its own DOI.",
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_citation_files(root: Path, facts: dict[str, Any]) -> None:
    """Write ``CITATION.cff`` and ``.zenodo.json`` of the project at ``root`` from one set of facts."""
    (Path(root) / "CITATION.cff").write_text(cff(facts), encoding="utf-8")
    (Path(root) / ZENODO_FILE).write_text(zenodo(facts), encoding="utf-8")


def cite(format: str = "bibtex", version: str | None = None) -> str:
    """The citation of a release (default: the installed one) as ``bibtex``, ``apa`` or ``cff``."""
    if format not in FORMATS:
        raise UnknownNameError(f"unknown citation format {format!r}; valid formats: {', '.join(FORMATS)}")
    facts = _facts(version)
    return {"bibtex": bibtex, "apa": apa, "cff": cff}[format](facts)
