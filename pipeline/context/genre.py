"""What kind of document it is: work report, budget, plan, communiqué, release, speech, news.

The cues are rules/document.yaml ``genre``: each adds its weight to its genre where it
matches (the title, the first lines, the opening text); the highest score wins.

    >>> genre_of("2022年某县国民经济和社会发展统计公报", ["2022年某县国民经济和社会发展统计公报"], "")
    'statistical_communique'
"""

from __future__ import annotations

import functools

import regex

from ..ruleset.load import load_rules

HEAD_LINES = 15
BODY_CHARS = 3000
BODY_MAX_HITS = 5
SHORT_LINE = 40  # a line this short that ends no sentence may be a title
TITLE_LINES = 4  # among the first lines
_HEADING = regex.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])")
_SENTENCE = regex.compile(r"[。，；！？]")
_YEAR = regex.compile(r"\d{4}|[〇○零一二三四五六七八九]{4}")
_DATE = regex.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


@functools.cache
def _cues() -> tuple[int, tuple[tuple[str, str, int, regex.Pattern], ...]]:
    g = load_rules("document")["genre"]
    return int(g["min_score"]), tuple((c["genre"], c["where"], int(c["weight"]), regex.compile(c["pattern"],
                                                                                             regex.M))
                                      for c in g["cues"])


def genre_scores(title: str | None, lines: list[str], text: str) -> dict[str, int]:
    """Each genre's score from the cues that match in their place."""
    short = [ln for ln in lines[:TITLE_LINES] if len(ln) <= SHORT_LINE and not _SENTENCE.search(ln)
             and not _HEADING.match(ln)]
    places = {"title": "\n".join([title or "", *short]), "head": "\n".join(lines[:HEAD_LINES]),
              "body": text[:BODY_CHARS]}
    scores: dict[str, int] = {}
    for genre, where, weight, pat in _cues()[1]:
        hits = len(pat.findall(places[where])[:BODY_MAX_HITS]) if where == "body" else bool(pat.search(places[where]))
        if hits:
            scores[genre] = scores.get(genre, 0) + weight * hits
    return scores


def genre_of(title: str | None, lines: list[str], text: str) -> str | None:
    """The genre with the highest score (the first listed on a tie), None below ``min_score``."""
    scores = genre_scores(title, lines, text)
    if not scores:
        return None
    order = list(dict.fromkeys(c[0] for c in _cues()[1]))
    best = max(scores, key=lambda g: (scores[g], -order.index(g)))
    return best if scores[best] >= _cues()[0] else None


OWN_PERIOD_GENRES = ("statistical_communique", "statistics_release")
_PART_OF_YEAR = regex.compile(r"季度|半年|\d{1,2}\s*[-—~至]\s*\d{1,2}月|首季")


def document_period(genre: str | None, title: str | None, lines: list[str]) -> str | None:
    """The period a communiqué or a release is about, from its title or first lines (a 2022
    communiqué: 2022年; a release titled 2016年1-6月经济运行简况: 2016年1-6月), or the part of a
    year a news title names (上半年); None for other genres, whose figures take their periods
    from their sentences and sections.

    >>> document_period("statistics_release", "2016年1-6月全市经济运行简况", [])
    '2016年1-6月'
    """
    from ..grammar.figures import cues

    if genre == "news" and title:  # 听取上半年计划执行情况报告, 前三季度全县经济稳中有进: the title's part of a year
        found = [m.group(0) for m in cues().period.finditer(title) if _PART_OF_YEAR.search(m.group(0))]
        return found[0] if found else None
    if genre not in OWN_PERIOD_GENRES:
        return None
    for text in ([title] if title else []) + lines[:5]:
        if _DATE.search(text):
            continue  # 2012年3月19日: the day it was issued, not what it is about
        found = [(m.start(), m.end(), m.group(0)) for m in cues().period.finditer(text)]
        if genre == "statistical_communique":  # a communiqué is about a year
            found = [f for f in found if _YEAR.search(f[2])]
        if found:
            a, b, words = found[0]
            for s, e, w in found[1:]:
                if s != b:
                    break
                b, words = e, words + w
            return words
    return None
