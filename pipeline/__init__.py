"""zhibiao: quantitative claims from Chinese government speeches.

    >>> from pipeline import extract_text
    >>> doc = extract_text("上半年实现地区生产总值42亿元，增长9.1%。", doc_id="x")
    >>> doc.claims[0].value.amount
    42.0

An ``Extractor`` is built once from ``Settings`` and called on texts (docs/architecture.md).
"""

from .api import Extractor, extract_text
from .document import SCHEMA_VERSION, Claim, Document
from .panel import panel
from .run.files import extract_file
from .settings import Settings
from .version import __version__

__all__ = ["Extractor", "Settings", "extract_text", "extract_file", "panel", "Document", "Claim", "SCHEMA_VERSION", "__version__"]
