"""The package version (one place: the package, the batch key and models read it)."""

__version__ = "0.1.0"
