"""The sources rows the importer cites: one per history.state.gov page and per repository."""

from __future__ import annotations

from ...vocabulary import DATASET

PUBLISHER = "U.S. Department of State, Office of the Historian"
SITE = "https://history.state.gov/departmenthistory"


def page_source(kind: str, key: str, label: str) -> dict[str, str]:
    """The sources row of one history.state.gov page listing records."""
    if kind == "visits":
        url, title = f"{SITE}/visits/{key}", f"Visits by Foreign Leaders: {key}"
        sid = f"hsg-visits-{key}"
    else:
        url = f"{SITE}/travels/{kind}/{key}"
        title = f"Travels of the {'President' if kind == 'president' else 'Secretary of State'}: {label}"
        sid = f"hsg-travels-{kind}-{key}"
    return {
        "source_id": sid,
        "source_type": DATASET,
        "publisher": PUBLISHER,
        "title": title,
        "url": url,
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Page of the Office of the Historian listing these records; title composed by the importer.",
    }


REPO_SOURCES = {
    "hsg-presidents": {
        "source_id": "hsg-presidents",
        "source_type": DATASET,
        "publisher": PUBLISHER,
        "title": "HistoryAtState travels: list of presidents",
        "url": "https://github.com/HistoryAtState/travels",
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Presidents with birth and death years and dates of taking and leaving office.",
    },
    "hsg-pocom": {
        "source_id": "hsg-pocom",
        "source_type": DATASET,
        "publisher": PUBLISHER,
        "title": "HistoryAtState pocom: Principal Officers and Chiefs of Mission",
        "url": "https://github.com/HistoryAtState/pocom",
        "published": "",
        "language": "en",
        "licence": "CC0-1.0",
        "notes": "Secretaries of State with dates of appointment, start and end, and birth and death years.",
    },
}
