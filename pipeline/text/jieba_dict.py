"""jieba, started in a fraction of its own start-up time, with the same segmentation.

jieba's own start-up costs 1.5-2 s on this kind of machine, most of the serial start-up of
a batch: importing it pulls in ``pkg_resources`` (0.2-0.3 s), and its dictionary cache is a
marshalled dict of half a million entries (1.1-1.4 s to load). Here jieba is imported
without ``pkg_resources`` (jieba then opens its files by path, its documented fallback) and
the same prefix dictionary is kept in the zhibiao cache in sorted blocks that fill
``FREQ`` on demand: the single characters at once, and the longer entries by their first
two characters, the first time a text holding those two characters is cut. jieba only
ever looks up substrings of the text it cuts, and each of them starts with a single
character or a pair of the text, so every lookup finds what the whole dictionary would
give: every cut is the same as jieba's. A batch of reports needs about a fifth of the
entries, and start-up drops from 0.3 s to a few hundredths.
"""

from __future__ import annotations

import array
import bisect
import logging
import marshal
import os
import sys
from types import ModuleType

from ..cache import cached_bytes, file_stamp

FORMAT = "pairs-2"  # the layout of the cache entry below


def import_jieba() -> ModuleType:
    """``import jieba`` without importing ``pkg_resources`` for it."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError for jieba
    try:
        import jieba
    finally:
        if block:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _dict_path(jieba: ModuleType) -> str:
    return os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)


def _join(words: list[str]) -> str:
    if any("\n" in w for w in words):  # pragma: no cover - jieba's words never hold a newline
        raise ValueError("a dictionary word holds a newline")
    return "\n".join(words)


def _array(values=()) -> array.array:
    return array.array("q", values)


def _pair(text: str) -> int:
    """Two characters as one number (code points take 21 bits)."""
    return ord(text[0]) << 21 | ord(text[1])


def _pack(freq: dict[str, int], total: int) -> bytes:
    """Single characters; then longer entries grouped by their first two characters, each
    group found by the pair's number (sorted) and sliced out of one UTF-8 string."""
    singles = [w for w in freq if len(w) == 1]
    longer = sorted((w for w in freq if len(w) > 1), key=lambda w: (_pair(w), w))
    pairs, first, starts = _array(), _array(), _array()
    pos = 0
    for i, w in enumerate(longer):
        if not pairs or _pair(w) != pairs[-1]:
            pairs.append(_pair(w))
            first.append(i)  # entry index where the group starts
            starts.append(pos)  # and its byte offset in the joined words
        pos += len(w.encode("utf-8")) + 1
    first.append(len(longer))
    starts.append(pos)
    return marshal.dumps((FORMAT, _join(singles), _array(freq[w] for w in singles).tobytes(),
                          pairs.tobytes(), first.tobytes(), starts.tobytes(),
                          _join(longer).encode("utf-8"), _array(freq[w] for w in longer).tobytes(),
                          total))


def _frombytes(data: bytes) -> array.array:
    arr = _array()
    arr.frombytes(data)
    return arr


class _Blocks:
    """The longer dictionary entries, filled into a ``FREQ`` dict pair by pair."""

    def __init__(self, data: bytes) -> None:
        fmt, singles, single_counts, pairs, first, starts, words, counts, total = marshal.loads(data)
        if fmt != FORMAT:
            raise ValueError("cache entry has another layout")
        self.total = total
        self.singles = dict(zip(singles.split("\n"), _frombytes(single_counts), strict=True))
        self.pairs, self.first, self.starts = _frombytes(pairs), _frombytes(first), _frombytes(starts)
        self.words, self.counts = words, _frombytes(counts)
        if not (len(self.first) == len(self.starts) == len(self.pairs) + 1
                and self.first[-1] == len(self.counts) and self.starts[-1] == len(words) + 1):
            raise ValueError("cache entry does not match")

    def fill(self, freq: dict[str, int], loaded: set[str], text: str) -> None:
        """Put into ``freq`` every entry that starts with a pair of characters of ``text``
        (``loaded``: the pairs whose entries ``freq`` holds already)."""
        need = {text[i:i + 2] for i in range(len(text) - 1)}
        need -= loaded
        if not need:
            return
        loaded |= need
        pairs, first, starts = self.pairs, self.first, self.starts
        for pair in need:
            key = _pair(pair)
            g = bisect.bisect_left(pairs, key)
            if g == len(pairs) or pairs[g] != key:
                continue
            keys = self.words[starts[g]:starts[g + 1] - 1].decode("utf-8").split("\n")
            for w, n in zip(keys, self.counts[first[g]:first[g + 1]], strict=True):
                freq.setdefault(w, n)  # a word added by add_word keeps its count


_BLOCKS: dict[str, _Blocks] = {}  # by cache key: tokenizers of one process share the data


def tokenizer():
    """A new ``jieba.Tokenizer`` with jieba's default dictionary, loaded from the cache."""
    jieba = import_jieba()

    class Tokenizer(jieba.Tokenizer):
        """jieba's tokenizer whose ``FREQ`` holds the entries for the texts it has seen."""

        blocks: _Blocks | None = None
        pairs_seen: set[str]

        def get_DAG(self, sentence):  # noqa: N802 - jieba's name
            if self.blocks is not None:
                self.blocks.fill(self.FREQ, self.pairs_seen, sentence)
            return super().get_DAG(sentence)

        def add_word(self, word, freq=None, tag=None):
            if self.blocks is not None:
                self.blocks.fill(self.FREQ, self.pairs_seen, word)
            super().add_word(word, freq, tag)

        def word_count(self, word: str) -> int:
            """The dictionary count of ``word`` (0 when it is only a prefix or absent)."""
            if self.blocks is not None:
                self.blocks.fill(self.FREQ, self.pairs_seen, word)
            return self.FREQ.get(word) or 0

    tk = Tokenizer()
    path = _dict_path(jieba)

    def build() -> bytes:
        with open(path, "rb") as fh:  # gen_pfdict closes it
            return _pack(*jieba.Tokenizer.gen_pfdict(fh))

    key = f"jieba {jieba.__version__} {FORMAT} {path} {file_stamp(path)}"
    try:
        blocks = _BLOCKS.get(key) or _Blocks(cached_bytes("jieba-dict", key, build))
    except (ValueError, TypeError, EOFError):  # a damaged cache entry: jieba's own way
        tk.initialize()
        return tk
    _BLOCKS[key] = blocks
    tk.FREQ, tk.total, tk.blocks, tk.pairs_seen = dict(blocks.singles), blocks.total, blocks, set()
    tk.initialized = True
    return tk
