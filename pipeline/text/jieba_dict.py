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


def _group(lines: list[str]) -> dict[str, int]:
    """The entries of lines sharing their first two characters (a line ``word count tag``),
    with every prefix of two or more characters that is no word at 0, as jieba's
    ``gen_pfdict`` fills them (a later line of the same word wins)."""
    freq: dict[str, int] = {}
    for line in lines:
        word, count = line.split(" ")[:2]
        freq[word] = int(count)
    for word in list(freq):
        for i in range(2, len(word)):
            freq.setdefault(word[:i], 0)
    return freq


LINE_BITS = 20  # a line's number below its pair's number in one sort key: 2**20 lines at most


def _index(text: str) -> tuple[dict[str, int], array.array, array.array, int]:
    """The single characters with their counts; each longer word's line as (start, end) and
    its sort key (pair number, then line number); and the total count."""
    singles: dict[str, int] = {}
    bounds, keys = array.array("i"), _array()
    total = pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if line:
            word, count = line.split(" ")[:2]
            total += int(count)
            if len(word) == 1:
                singles[word] = int(count)
            else:
                keys.append(_pair(word) << LINE_BITS | len(bounds) // 2)
                bounds.extend((pos, end))
        pos = end + 1
    if len(bounds) // 2 >= 1 << LINE_BITS:
        raise ValueError("too many dictionary lines to pack")
    return singles, bounds, keys, total


def _pack_file(path: str) -> bytes:
    """jieba's prefix dictionary (``gen_pfdict``) packed for ``_Blocks``: single characters;
    then longer entries grouped by their first two characters, each group found by the pair's
    number (sorted) and sliced out of one UTF-8 string. Built without jieba's whole dict (half
    a million strings, 150 MB at the peak of a process building the cache): the lines are
    sorted by their pair and each group completed with its own prefixes (a prefix of two or
    more characters starts with its word's pair)."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    singles, bounds, keys, total = _index(text)
    order = _array(sorted(keys))  # 8 bytes a line, not a list of int objects (40)
    del keys
    pairs, first, starts, counts = _array(), _array(), _array(), _array()
    words = bytearray()
    i = 0
    while i < len(order):
        j, pair = i + 1, order[i] >> LINE_BITS
        while j < len(order) and order[j] >> LINE_BITS == pair:
            j += 1
        lines = [text[bounds[2 * n]:bounds[2 * n + 1]].strip() for n in (k & ((1 << LINE_BITS) - 1) for k in order[i:j])]
        freq = _group(lines)
        singles.setdefault(lines[0][0], 0)
        pairs.append(pair)
        first.append(len(counts))
        starts.append(len(words))
        for w in sorted(freq):
            words += w.encode("utf-8") + b"\n"
            counts.append(freq[w])
        i = j
    first.append(len(counts))
    starts.append(len(words))
    del text, order, bounds
    joined = bytes(memoryview(words)[:-1])
    del words
    return marshal.dumps((FORMAT, _join(list(singles)), _array(singles.values()).tobytes(), pairs.tobytes(),
                          first.tobytes(), starts.tobytes(), joined, counts.tobytes(), total))


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
        return _pack_file(path)

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
