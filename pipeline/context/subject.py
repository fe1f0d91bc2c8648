"""Whose figures: the speaker's own level (区, 市, 省…), found in the whole text.

    >>> speaker_level("我区经济平稳运行，全区生产总值增长5%，全市增长4%。")
    '区'
"""

from __future__ import annotations

from ..ruleset.load import pattern


def speaker_level(text: str) -> str | None:
    """区, 市, 省…: the level the speaker talks about as 我区/全区 most often (我 counts 3)."""
    counts: dict[str, int] = {}
    for m in pattern("cues", "subject", "speaker_level").finditer(text):
        w = 3 if m.group("mine") else 1
        counts[m.group("level")] = counts.get(m.group("level"), 0) + w
    return max(counts, key=counts.get) if counts else None
