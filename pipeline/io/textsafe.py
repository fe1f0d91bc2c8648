"""Text from speeches and file names made safe to print on a terminal.

A shared JSONL or claims.db can carry escape sequences (ESC, CSI, OSC, bidi overrides) that
would retitle, clear or recolour the reader's terminal. They are shown escaped instead.
"""

from __future__ import annotations

import re

# C0 controls (tab, CR, ESC, BEL...), DEL, C1 controls (U+0080-009F, 0x9B is a one-byte CSI)
# and the bidirectional overrides that reorder what is displayed.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_NL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def for_terminal(text: object, keep_newlines: bool = False) -> str:
    """``text`` with every control character written as a visible ``\\xNN`` escape."""
    return (_UNSAFE_KEEP_NL if keep_newlines else _UNSAFE).sub(_escape, str(text))


def json_for_terminal(line: str) -> str:
    """A JSON text with the control characters ``json.dumps(ensure_ascii=False)`` leaves raw
    (DEL, C1, bidi) written as ``\\uNNNN``: still the same JSON value."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
