"""The one place the version of the package and of its data is defined."""

__version__ = "0.1.0"
