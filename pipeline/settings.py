"""How documents are extracted: one frozen object an ``Extractor`` is built from, not module
globals. Hashable and picklable: a worker process or a Dask worker receives it.

    >>> Settings(use_model=False, disabled_rules=frozenset({"link.pairs"})).use_model
    False
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 300.0  # seconds per document (per chunk when streamed)


@dataclass(frozen=True)
class Settings:
    """``use_model``: None runs the shipped model where it is present, False the rules alone.
    ``timeout``: seconds before a document is given up with a ``timeout`` error. ``date``:
    the date every document speaks from (else each document's own, see context.dates).
    ``scorer``/``min_confidence``: see ``scorer.model``. ``segmenter``: ``jieba`` or
    ``pkuseg``. ``rules_dir``: a folder of rule files (else the shipped ones);
    ``disabled_rules``: rule ids switched off (None: those of ``ZHIBIAO_DISABLE_RULES``).
    ``max_bytes``: a file larger than this is refused (None: ``text.ingest.DEFAULT_MAX_BYTES``).
    ``keep_figures``: keep each sentence's figures, mentions and clauses on the document
    (``doc.parts``, which NER training reads); else they are dropped as its claims are made."""

    use_model: bool | None = None
    timeout: float | None = None
    date: str | None = None  # --date: YYYY, YYYY-MM or YYYY-MM-DD, for every document
    model_dir: str | None = None  # --model: a trained model folder (else the shipped one)
    scorer: str = "on"  # on: confidence from the claim scorer; off: the rules' own; collect: also features
    min_confidence: float | None = None  # claims below it are dropped (None: keep all)
    segmenter: str = "jieba"
    rules_dir: str | None = None
    disabled_rules: frozenset[str] | None = None
    max_bytes: int | None = None
    keep_figures: bool = False
