"""How documents are extracted: one object passed down the stages, not module globals."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 300.0  # seconds per document (per chunk when streamed)


@dataclass(frozen=True)
class Settings:
    """``use_model``: None runs the shipped model where it is present, False the rules alone.
    ``timeout``: seconds before a document is given up with a ``timeout`` error."""

    use_model: bool | None = None
    timeout: float | None = None
