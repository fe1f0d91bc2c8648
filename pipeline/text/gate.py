"""Cheap gates before costly patterns: the characters every match of a pattern must hold.

A pattern of the rules (the period words, the kind cues…) is searched in every sentence or
before every figure, and mostly finds nothing. When each of its matches must consume one
character of a small set (预计|预测|有望: 预 or 有), a text without any of them cannot match,
and one scan of that set in C says so first:

    >>> sorted(required_chars(r"(?<!比)预计(?!数)|预测|有望"))
    ['有', '预']
    >>> may_match(regex.compile(r"(?<!比)预计(?!数)|预测|有望"), "工业增加值增长5%")
    False

The set is read from the pattern's parse by the standard library's own parser (``re``);
``\\p{Han}`` is read as one character of a class too wide to gate on. Whatever else ``re``
cannot read as ``regex`` reads it (an unknown escape, a nested set, flags that change what a
character matches, a literal brace that ``regex`` may take for a fuzzy constraint) gets no
gate: the pattern is then always searched. A gate only skips searches that find nothing, so
the output is the same with or without it.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import regex

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_PROPERTY = regex.compile(r"(?<!\\)((?:\\\\)*)\\[pP]\{[^}]*\}")  # \p{Han}: one character of a class
_MAX_RANGE = 64  # a class range wider than this ([一-龥]) gives no useful gate
_UNSAFE_FLAGS = regex.IGNORECASE | regex.VERBOSE | regex.FULLCASE | regex.VERSION1


def _seq(items: Any) -> frozenset[str] | None:
    """The smallest set one of the sequence's items requires (None: no item requires one)."""
    best: frozenset[str] | None = None
    for op, av in items:
        got = _item(op, av)
        if got is not None and (best is None or len(got) < len(best)):
            best = got
    return best


def _chars_of_class(av: Any) -> frozenset[str] | None:
    out: set[str] = set()
    for op, a in av:
        if op is _c.LITERAL:
            out.add(chr(a))
        elif op is _c.RANGE and a[1] - a[0] < _MAX_RANGE:
            out.update(map(chr, range(a[0], a[1] + 1)))
        else:  # a negated class, a category (\d, \w), a wide range
            return None
    return frozenset(out)


def _branch(av: Any) -> frozenset[str] | None:
    out: set[str] = set()
    for alt in av[1]:
        got = _seq(alt)
        if got is None:
            return None  # one alternative needs nothing: the whole needs nothing
        out |= got
    return frozenset(out)


def _item(op: Any, av: Any) -> frozenset[str] | None:
    """What one parsed item requires a match to consume (None: nothing, or unknown)."""
    if op is _c.LITERAL:
        return None if chr(av) in "{}" else frozenset(chr(av))  # regex reads {e<=1} otherwise
    if op is _c.IN:
        return _chars_of_class(av)
    if op is _c.BRANCH:
        return _branch(av)
    if op is _c.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _seq(av[3])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return _seq(av[2]) if av[0] >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av)
    return None  # lookarounds and anchors consume nothing; ., \d, backreferences: any


def _has_brace(items: Any) -> bool:
    """A literal { or } anywhere in the parse (regex may read it as a fuzzy constraint)."""
    for op, av in items:
        if op is _c.LITERAL and chr(av) in "{}":
            return True
        subs = av[1] if op is _c.BRANCH else [av[3]] if op is _c.SUBPATTERN else \
            [av[2]] if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None) else \
            [av] if op is getattr(_c, "ATOMIC_GROUP", None) else [av[1]] if op in (_c.ASSERT, _c.ASSERT_NOT) else []
        if any(_has_brace(s) for s in subs):
            return True
    return False


def required_chars(source: str, flags: int = 0) -> frozenset[str] | None:
    """A set of characters of which every match of ``source`` consumes at least one, or None
    when there is none (a match may be empty, or any character) or the pattern is not read.

    >>> sorted(required_chars(r"(?:截至)?\\d{4}年|今年|[一二三四]季度"))
    ['今', '季', '年']
    """
    if flags & _UNSAFE_FLAGS:
        return None
    source = _PROPERTY.sub(r"\1\\w", source)  # read as \w: any one character, no gate from it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a nested set or set operation: regex reads it otherwise
            parsed = _p.parse(source, 0)
    except Exception:  # noqa: BLE001 - any pattern re cannot read gets no gate
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or _has_brace(parsed):
        return None
    return _seq(parsed)


_GATES: dict[Any, re.Pattern | None] = {}  # by pattern (equal patterns share a gate)


def gate_of(p: Any) -> re.Pattern | None:
    """A compiled class of the characters ``p`` requires (None: no gate); one per pattern."""
    try:
        return _GATES[p]
    except KeyError:
        chars = required_chars(p.pattern, p.flags) if isinstance(p.pattern, str) else None
        g = _GATES[p] = re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else None
        return g


def may_match(p: Any, text: str, pos: int = 0, endpos: int | None = None) -> bool:
    """False only when ``p`` cannot match in ``text[pos:endpos]``: none of the characters
    every match consumes is there (lookbehinds may still read before ``pos``)."""
    g = gate_of(p)
    if g is None:
        return True
    return g.search(text, pos, len(text) if endpos is None else endpos) is not None
