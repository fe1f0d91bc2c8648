"""Indicator phrases: the words before a figure cleaned into a name, and what a name is.

    >>> clean_phrase("其中规上工业增加值同比")
    '规上工业增加值'
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import regex

from ..grammar import numbers
from ..grammar.figures import HAN
from ..grammar.numbers import list_mark
from ..ruleset.load import load_rules, pattern
from ..text.rx import HOLD
from ..text.segment import clear_cuts, segmenter_name, tokenizer

_DIGIT_OR_MASK = regex.compile(r"\d|[*X×]")


@functools.lru_cache(maxsize=1)
def phrase_rules() -> dict:
    c = load_rules("cues")
    p = c["indicator_phrase"]
    return {
        # longest word first: a match is the longest head (tail) word the phrase has
        "head": regex.compile(numbers.word_alternation(p["strip_head"])),
        "tail": regex.compile("(?:" + numbers.word_alternation(p["strip_tail"]) + ")$"),
        "inside": regex.compile("|".join(p["drop_inside"])),
        "min": int(p["min_chars"]),
        "single": frozenset(p.get("single_products", [])),
        "max": int(p["max_chars"]),
        "stop": frozenset(p["stop"]),
        "lead": regex.compile("^(?:" + c["period"]["pattern"] + "|" + p.get("enumerator_head", "(?!)")
                              + "|" + p.get("venue_head", "(?!)") + "|" + p.get("basis_head", "(?!)")
                              + r"|[，、：；“”（）\s●○■□◆◇▲△★☆•·])+"),  # (a bullet: ●全年粮食产量)
        "refers_back": regex.compile(p["refers_back"]),
        "period_inside": pattern("linking", "patterns", "period_inside"),
        "period_word": pattern("linking", "patterns", "period_word_inside"),
        "duration": regex.compile(p.get("duration_tail", "(?!)")),
        "count_verbs": frozenset(p["count_verbs"]),
        "locatives": frozenset(p.get("locatives", [])),
        "parallel_words": frozenset(p.get("parallel_words", [])),
        # longest first: 产量占比 is cut as 产量 + 占比, 营业收入 before 收入
        "list_heads": tuple(sorted(p.get("list_heads", []), key=len, reverse=True)),
        "whole_ends": frozenset(p.get("list_whole_ends", [])),
    }


def clean_phrase(s: str) -> str:
    """Strip subject, period, conjunction and verb words around an indicator phrase
    (memoised per segmenter: the cut depends on the words)."""
    return _clean_phrase(s, segmenter_name())


@functools.lru_cache(maxsize=65536)
def _clean_phrase(s: str, segmenter: str) -> str:
    """Strip subject, period, conjunction and verb words around an indicator phrase.

    Words of two or more characters are stripped wherever the phrase starts or ends
    with them; a one-character word only when jieba cuts it off as a word of its own.
    (A function of the phrase, the rules and the segmenter.)
    """
    pr = phrase_rules()
    cut = tokenizer(segmenter)
    for _ in range(12):
        before = s
        m = pr["lead"].match(s, None, None, HOLD)
        if m and m.end():
            s = s[m.end():]
        m = pr["head"].match(s, None, None, HOLD)
        if m and (m.end() > 1 or cut(s)[0] == m.group(0)):
            s = s[m.end():]
        m = pr["tail"].search(s, None, None, HOLD)
        # a one-character word goes when jieba cuts it off, or after a measure word (占比|达)
        if m and (len(m.group(0)) > 1 or cut(s)[-1] == m.group(0) or s.endswith(pr["list_heads"], 0, m.start())):
            s = s[: m.start()]
        m = pr["duration"].search(s, None, None, HOLD)
        if m:
            s = s[: m.start()]
        s = s.strip("，、：；“”（）")
        # 非常规天然气产量2030年达到 -> 非常规天然气产量; 比重较2020年 -> 比重 (the 较 goes next)
        s = pr["period_word"].sub("", pr["period_inside"].sub("", s, 0, None, None, HOLD), 0, None, None, HOLD)
        if s == before or not s:
            break
    return pr["inside"].sub("", s, 0, None, None, HOLD)


PASS_MEMOS: list = []  # the memos of the modules above this one that ``clear_memo`` empties too


def forgotten_with_phrases(memo: Callable) -> Callable:
    """Register ``memo`` (an lru_cache) to be emptied by ``clear_memo`` with the phrases'."""
    PASS_MEMOS.append(memo)
    return memo


def clear_memo() -> None:
    """Forget the memos of phrases and names (benchmarks: no pass reuses the one before)."""
    _clean_phrase.cache_clear()
    _ends_with_count_verb.cache_clear()
    valid_phrase.cache_clear()
    numbers.parse_number.cache_clear()
    for memo in PASS_MEMOS:
        memo.cache_clear()
    clear_cuts()


@functools.lru_cache(maxsize=65536)
def valid_phrase(s: str) -> bool:
    """A name: a few Han characters, no figure in it but a threshold or a per-capita base.
    Memoised: the strategies ask it of the same phrase in turn (phrase_list, then phrase)."""
    pr = phrase_rules()
    if len(s) > pr["max"] or s in pr["stop"]:
        return False
    han = len(HAN.findall(s, None, None, False, HOLD))
    return (pr["min"] <= han or s in pr["single"]) \
        and not _DIGIT_OR_MASK.search(figure_in_name().sub("", s, 0, None, None, HOLD), None, None, HOLD) \
        and not pr["refers_back"].match(s, None, None, HOLD)


def ends_with_count_verb(s: str) -> bool:
    """实施, 确定…: the count that follows counts the noun after it. The last word is the
    end of ``s``, so a phrase that does not end with a count verb is never cut."""
    t = s.rstrip()
    if t.endswith("了"):  # 创建了5个国家先进制造业集群
        s = t = t[:-1]
    if not t.endswith(_count_verb_ends()):
        return False
    return _ends_with_count_verb(s, segmenter_name())


@functools.lru_cache(maxsize=1)
def _count_verb_ends() -> tuple[str, ...]:
    return tuple(phrase_rules()["count_verbs"])


@functools.lru_cache(maxsize=65536)
def _ends_with_count_verb(s: str, segmenter: str) -> bool:
    words = tokenizer(segmenter)(s)
    return bool(words) and words[-1] in phrase_rules()["count_verbs"]


def split_conj(s: str) -> list[str]:
    return [p for p in list_mark().split(s, 0, HOLD) if p]


@functools.lru_cache(maxsize=1)
def figure_in_name() -> regex.Pattern:
    """Figures that belong inside a name: a class threshold in any amount or measure unit of
    rules/figures.yaml (10亿元以上项目), a per-capita base (每10万人口), a league label
    (世界500强企业), 5G, a top share (ESI全球前1%学科)."""
    units = numbers.grammar().units
    alt = numbers.word_alternation(u for u in units if units[u][2] in ("money", "measure"))
    return regex.compile(load_rules("linking")["patterns"]["figure_in_name"].replace("<units>", alt))


@functools.cache  # dropped with the module's other tables when the rules in force change
def word(name: str) -> str:
    """A single word of rules/linking.yaml ``words`` (``word("respectively")`` is 分别)."""
    return load_rules("linking")["words"][name]
