"""Calls of the ``regex`` module that keep the GIL (``HOLD``, its ``concurrent=False``).

By default ``regex`` lets the GIL go while it matches a ``str`` and takes it back for each
block of memory the match needs: on the short sentences and windows zhibiao searches, the
hand-over costs more than the match (a `callgrind` pass spent 4.5% of its instructions
taking and dropping the GIL, 2.6 million times). The standard ``re`` never lets it go. The
hot calls pass ``HOLD`` in its place, positionally (as a keyword, parsing the argument costs
as much again); only ``regex`` patterns take it (``re.Pattern.search`` takes no 4th one):

    p.search(text, pos, endpos, HOLD)        # search, match, fullmatch
    p.finditer(text, pos, endpos, False, HOLD)   # finditer, findall (``overlapped`` first)
    p.sub(repl, text, 0, None, None, HOLD)       # sub: count, pos, endpos first

    >>> import regex
    >>> regex.compile(r"\\d+").search("增长5.5%", None, None, HOLD).group()
    '5'

The output is the same: only which thread may run while a match is under way changes, and
a match on a sentence is a few microseconds.
"""

from __future__ import annotations

HOLD = False  # regex's ``concurrent``: False keeps the GIL for the whole match
