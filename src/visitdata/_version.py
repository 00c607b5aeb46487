"""The one place the version of the package and of its data is defined."""

__version__ = "0.8.1"

#: Date the version was released, written into the release's ``created`` field so that a
#: build is byte-for-byte reproducible (overridden by ``SOURCE_DATE_EPOCH`` when set).
RELEASE_DATE = "2026-12-02"
