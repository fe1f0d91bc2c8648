"""Sentences (on the working text, mapped back) and words (jieba or pkuseg)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar

import regex

from ..document import Sentence
from ..ruleset.load import load_rules
from . import jieba_dict as jieba_loader
from .offsets import OffsetText

_BOUNDARY = regex.compile(r"[。！？；!?;\n]|[（(“‘《「【]|[）)”’》」】]")
_OPEN = "（(“‘《「【"
_CLOSE = "）)”’》」】"
_TRAIL = "”’）)」】"
_MAX_SENTENCE = 2000  # a run with no punctuation is cut so that no sentence grows without bound
# a 分别 list (k names, then k figures) is one sentence up to this length: cut, its names
# and figures would part; longer, it is cut like any run
_MAX_LIST = 6000
_RESPECTIVELY = "分别"
# a run longer than that is cut into pieces of at most _PIECE, after a space, a semicolon or
# a growth figure (which ends a value-growth pair: 131亿元，增长9.1%) where one is near: the work per figure grows with its sentence, so a line of figures with no
# full stop (a flattened table, a scraped blob) stays linear at a sentence's usual size
_PIECE = 500
_SOFT_CUT = regex.compile(r"[；;\s]|(?<=\d\s*(?:%|％|个百分点|倍))(?!\d)")  # after a growth: a pair's end
_NUMBERISH = regex.compile(r"[\d.．%％万亿千百十零一二三四五六七八九两]")


def _piece_end(text: str, a: int) -> int:
    """Where the piece of an overlong run that starts at ``a`` ends: after the last space,
    semicolon or growth figure in its second half, else not inside a figure."""
    stop = a + _PIECE
    cut = -1
    for m in _SOFT_CUT.finditer(text, a + _PIECE // 2, stop):
        cut = m.end()
    if cut > 0:
        return cut
    while stop > a + _PIECE // 2 and (_NUMBERISH.match(text[stop - 1]) or _NUMBERISH.match(text[stop])):
        stop -= 1  # never inside a figure (12.5%, 131亿)
    return stop if stop > a + _PIECE // 2 else a + _PIECE


def _emit(ot: OffsetText, out: list[Sentence], a: int, b: int, paragraph: int) -> None:
    """Add text[a:b], trimmed of spaces, as one sentence, or as pieces of at most ``_PIECE``
    when it is longer than ``_MAX_SENTENCE``."""
    text = ot.text
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    listed = b - a <= _MAX_LIST and _RESPECTIVELY in text[a:b]  # a 分别 list stays whole
    if b - a > _MAX_SENTENCE and not listed:
        while b - a > _PIECE:
            end = _piece_end(text, a)
            _emit(ot, out, a, end, paragraph)
            a = end
    if b > a:
        o0, o1 = ot.original_span(a, b)
        out.append(Sentence(len(out), o0, o1, a, b, paragraph))


def _closes(text: str, i: int) -> bool:
    """The opener at ``i`` is closed soon (an unclosed one, scraping damage, holds nothing open)."""
    return any(c in text[i + 1:i + 150] for c in _CLOSE)


def _end_after(text: str, i: int) -> int:
    """The sentence ending at ``i`` takes the closing quotes and brackets after it."""
    end = i + 1
    while end < len(text) and text[end] in _TRAIL:
        end += 1
    return end


def split_sentences(ot: OffsetText) -> list[Sentence]:
    """Sentences end at 。！？；, line breaks, never inside brackets or quotes."""
    text = ot.text
    out: list[Sentence] = []
    depth = start = paragraph = 0
    for m in _BOUNDARY.finditer(text):
        ch, i = m.group(0), m.start()
        if ch in _OPEN:
            depth += _closes(text, i)
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == "\n":
            _emit(ot, out, start, i, paragraph)
            start, depth, paragraph = i + 1, 0, paragraph + 1
        elif not depth:
            end = _end_after(text, i)
            _emit(ot, out, start, end, paragraph)
            start = end
    _emit(ot, out, start, len(text), paragraph)
    return out


@functools.lru_cache(maxsize=1)
def lexicon_jieba():
    """jieba with the indicator lexicon added (one per process)."""
    tk = jieba_loader.tokenizer()
    for name in load_rules("indicators")["lexicon"]:
        tk.add_word(name, freq=2000000)
    return tk


@functools.lru_cache(maxsize=1)
def _pkuseg():
    try:
        import pkuseg  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - optional extra
        raise RuntimeError("pkuseg is not installed: pip install 'zhibiao[pkuseg]' "
                           "(needs --no-build-isolation, see README)") from exc
    words = list(load_rules("indicators")["lexicon"])
    return pkuseg.pkuseg(user_dict=words)


_SEGMENTER: ContextVar[str] = ContextVar("zhibiao_segmenter", default="jieba")


@contextlib.contextmanager
def using_segmenter(name: str) -> Iterator[None]:
    """Cut words with ``name`` (``jieba`` or ``pkuseg``) in this block (an Extractor's
    setting, in this thread or task); checks it loads."""
    tokenizer(name)("")
    token = _SEGMENTER.set(name)
    try:
        yield
    finally:
        _SEGMENTER.reset(token)


def segmenter_name() -> str:
    """The segmenter in use (memos of word-dependent results are keyed by it)."""
    return _SEGMENTER.get()


def tokenizer(name: str | None = None) -> Callable[[str], list[str]]:
    """A word segmenter: ``jieba`` (default, with the indicator lexicon) or ``pkuseg``."""
    name = name or _SEGMENTER.get()
    if name == "pkuseg":
        seg = _pkuseg()
        return seg.cut
    if name != "jieba":
        raise ValueError(f"unknown segmenter {name!r}: use jieba or pkuseg")
    return _memo_cut(lexicon_jieba())


@functools.lru_cache(maxsize=1)
def _jieba_base():
    return jieba_loader.tokenizer()


def base_words(text: str) -> list[str]:
    """jieba's words without the indicator lexicon: how a lexicon name is built
    (高技术制造业增加值 -> 高技术, 制造业, 增加值)."""
    return _memo_cut(_jieba_base())(text)


_MEMO_CAP = 8192  # phrases cut and kept per tokenizer (a few MB); past that the memo starts again


def _memo_cut(tk) -> Callable[[str], list[str]]:
    """``tk.lcut(text, HMM=False)``, memoised per tokenizer: a third of the phrases the rules
    cut in a report are cut again (list items, line joins, phrases before figures), and a
    cut is a function of the text and the tokenizer's words (its dictionary fills, but with
    what the text itself needs). Each call returns a list of its own."""
    cut = tk.__dict__.get("zhibiao_cut")
    if cut is None:
        memo: dict[str, tuple[str, ...]] = {}
        lcut = tk.lcut

        def cut(text: str) -> list[str]:
            got = memo.get(text)
            if got is None:
                if len(memo) >= _MEMO_CAP:
                    memo.clear()
                got = memo[text] = tuple(lcut(text, HMM=False))
            return list(got)

        cut.memo = memo  # type: ignore[attr-defined]
        tk.zhibiao_cut = cut
    return cut


def clear_cuts() -> None:
    """Forget the cuts kept (benchmarks: no pass reuses the one before)."""
    for make in (lexicon_jieba, _jieba_base):  # the tokenizers in use (each keeps its memo)
        cut = make().__dict__.get("zhibiao_cut") if make.cache_info().currsize else None
        if cut is not None:
            cut.memo.clear()


def is_word(w: str) -> bool:
    """``w`` is a word of jieba's dictionary (or the indicator lexicon)."""
    return bool(lexicon_jieba().word_count(w))
