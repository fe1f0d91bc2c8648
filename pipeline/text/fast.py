"""Compiled helpers where they install, pure Python where they do not: same output.

``ahocorasick_rs`` (a wheel on PyPI for CPython 3.8+ on Linux, macOS and Windows) scans a
sentence for every lexicon name at once. Without it, or with ``ZHIBIAO_PURE_PYTHON=1`` in the
environment (the test suite runs both), one regex alternation of the names does the same
scan: leftmost match first, at each position the longest name, no overlaps.

    >>> Names(["生产总值", "地区生产总值", "投资"]).scan("地区生产总值和投资")
    [(0, 6, '地区生产总值'), (7, 9, '投资')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import regex

PURE_ENV = "ZHIBIAO_PURE_PYTHON"  # "1": the pure-Python paths only (tests compare the two)


def pure_python() -> bool:
    """The compiled helpers are switched off for this process."""
    return os.environ.get(PURE_ENV, "") not in ("", "0")


def _automaton(names: list[str]):
    """An Aho-Corasick automaton of ``names`` (leftmost-longest), or None without the wheel."""
    if pure_python() or not names:
        return None
    try:
        import ahocorasick_rs
    except ImportError:
        return None
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


class Names:
    """A fixed set of names, found in a text left to right, longest at each position."""

    def __init__(self, names: Iterable[str]):
        self.names = sorted(set(names), key=lambda n: (-len(n), n))  # the same order in every process
        self._ac = _automaton(self.names)
        # longest first: at a position the alternation takes the longest name that matches
        self._re = regex.compile("|".join(map(regex.escape, self.names)) or "(?!)")

    @property
    def compiled(self) -> bool:
        return self._ac is not None

    def __getstate__(self) -> list[str]:
        """Pickled as its names (the automaton does not pickle): a worker process or a Dask
        worker rebuilds it, compiled or not as its own environment allows."""
        return self.names

    def __setstate__(self, names: list[str]) -> None:
        self.__init__(names)

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of each name in ``text``, without overlaps."""
        if self._ac is None:
            return [(m.start(), m.end(), m.group(0)) for m in self._re.finditer(text)]
        names = self.names
        return [(a, b, names[i]) for i, a, b in self._ac.find_matches_as_indexes(text)]
