"""A working string that remembers, for every character, where it came from.

``starts[i]`` is the original index of working character ``i`` and ``ends[i]`` the
original index just past it. A 1:1 edit keeps both; a replacement of a different
length maps every new character to the whole replaced span. A working span
``[a, b)`` is therefore the original span ``[starts[a], ends[b - 1])``.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

Edit = tuple[int, int, str]  # (start, end, replacement) on the current working text

INDEX = "i"  # 4-byte offsets: files are refused long before 2**31 characters
_IDENTITY_CAP = 1 << 17  # the identity map kept for reuse: 512 KB, a report of 130,000 characters
_IDENTITY = array(INDEX)


def _identity(n: int) -> array:
    """``array(INDEX, range(n))``; up to ``_IDENTITY_CAP`` a copy of one kept (a slice is a
    copy in C; counting a range out fills it ten times slower)."""
    if n > _IDENTITY_CAP:
        return array(INDEX, range(n))
    if len(_IDENTITY) < n:
        _IDENTITY.extend(range(len(_IDENTITY), min(_IDENTITY_CAP, max(n, 2 * len(_IDENTITY)))))
    return _IDENTITY[:n]


class OffsetText:
    """Working text plus the map back to the original."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: array | None = None, ends: array | None = None):
        self.text = text
        n = len(text)
        self.starts = starts if starts is not None else _identity(n)
        if ends is None:  # the identity shifted by one: copied in C, not counted out again
            ends = self.starts[1:]
            if n:
                ends.append(n)
        self.ends = ends

    def __len__(self) -> int:
        return len(self.text)

    def original_span(self, a: int, b: int) -> tuple[int, int]:
        """Map a working span to the original span it came from."""
        if b <= a:
            pos = self.starts[a] if a < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[a], self.ends[b - 1]

    def apply(self, edits: Iterable[Edit]) -> OffsetText:
        """Apply sorted, non-overlapping edits; return a new OffsetText."""
        text, starts, ends = self.text, self.starts, self.ends
        out: list[str] = []
        ns: array = array(INDEX)
        ne: array = array(INDEX)
        pos = 0
        for a, b, rep in edits:
            if a < pos:
                continue  # overlapping edit: keep the first
            out.append(text[pos:a])
            ns.extend(starts[pos:a])
            ne.extend(ends[pos:a])
            if rep:
                if len(rep) == b - a:
                    ns.extend(starts[a:b])
                    ne.extend(ends[a:b])
                else:
                    s0 = starts[a] if a < len(starts) else (ends[-1] if ends else 0)
                    e0 = ends[b - 1] if b > a else s0
                    ns.extend([s0] * len(rep))
                    ne.extend([e0] * len(rep))
                out.append(rep)
            pos = b
        out.append(text[pos:])
        ns.extend(starts[pos:])
        ne.extend(ends[pos:])
        return OffsetText("".join(out), ns, ne)

    def sub(self, pattern, repl: str | Callable) -> OffsetText:
        """``re.sub`` that keeps the map: ``pattern`` is compiled (re or regex)."""
        edits: list[Edit] = []
        for m in pattern.finditer(self.text):
            rep = repl(m) if callable(repl) else m.expand(repl)
            if rep != m.group(0):
                edits.append((m.start(), m.end(), rep))
        return self.apply(edits) if edits else self

    def translate_1to1(self, converted: str) -> OffsetText:
        """Replace the text by a same-length conversion (e.g. OpenCC t2s)."""
        if len(converted) != len(self.text):
            raise ValueError("conversion is not length-preserving")
        return OffsetText(converted, self.starts, self.ends)
