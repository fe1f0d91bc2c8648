"""Sections and paragraphs: headings, and what a heading or a lead sets for what follows.

    >>> is_heading("一、2025年工作回顾"), is_top_heading("（三）持续扩大有效投资")
    (True, False)
"""

from __future__ import annotations

import functools

import regex

from ..ruleset.load import load_rules, pattern
from ..text.rx import HOLD


@functools.cache
def _short_line() -> int:
    return int(load_rules("cues")["sections"]["short_line"])


@functools.cache  # dropped with the module's other tables when the rules in force change
def _heading() -> regex.Pattern:
    return pattern("cues", "sections", "heading")


def is_heading(text: str) -> bool:
    """A numbered heading (一、 （三） 2. 第二部分), or a short line not ending a sentence."""
    return bool(_heading().match(text, None, None, HOLD)) or \
        (len(text) <= _short_line() and not text.endswith(("。", "；", "，", ";", ",", "！", "？", "!", "?")))


def is_top_heading(text: str) -> bool:
    """一、… or 第一部分…: a heading that opens a part of the speech."""
    return bool(pattern("cues", "sections", "top_heading").match(text))
