"""The name test: an indicator name without verbs, connectives, comparison or unit words.

Run where a claim's name is finalised (``assemble.make_claim``); the rules are
``rules/indicators.yaml`` ``name_test``.

    >>> clean_name("地区生产总值按"), clean_name("包括地区生产总值"), clean_name("分别高")
    ('地区生产总值', '地区生产总值', None)
"""

from __future__ import annotations

import functools

import regex

from ..ruleset.load import load_rules
from ..text.gate import may_match
from ..text.rx import HOLD
from .patterns import linking
from .phrases import clean_phrase, forgotten_with_phrases, phrase_rules, valid_phrase


@functools.cache
def _bare_heads() -> tuple[frozenset[str], regex.Pattern, regex.Pattern, frozenset[str]]:
    r = load_rules("indicators")["name_test"]
    return (frozenset(r["bare_heads"]), regex.compile(r["leans"]), regex.compile(r.get("lean_skip", "(?!)")),
            frozenset(r.get("lean_keep", ())))


def subject_head(name: str, text_before: str) -> str:
    """A bare head after its subject and a verb takes the subject: 202家规模以上工业企业实现
    总产值45.05亿元 is 规模以上工业企业总产值; a time or scope word is no subject (今年实现
    出口 stays 出口)."""
    if name not in _bare_heads()[0]:
        return name
    m = _subject_verb().search(text_before)
    subject = _not_subject().sub("", m.group("subject")) if m else ""
    return subject + name if len(subject) >= 2 else name


@functools.cache
def _budget_tail() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["name_test"].get("budget_tail", "(?!)"))


def without_budget(name: str) -> str:
    """一般公共预算收入年初预算 -> 一般公共预算收入: the measure a budget figure is set for."""
    return _budget_tail().sub("", name)


@functools.cache
def _subject_verb() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["name_test"]["subject_verb"])


@functools.cache
def _not_subject() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["name_test"]["not_subject"])


@functools.cache
def _industries() -> tuple[regex.Pattern, regex.Pattern]:
    r = load_rules("indicators")["name_test"]
    return regex.compile(r["industries_together"]), regex.compile(r["industry_without_di"])


def industry_of(name: str, before: tuple[str, ...]) -> str:
    """第一二三产业增加值分别增长…: the first figure is 第一产业增加值's, the next 第二…, 第三…;
    二产业增加值 (the 第 of 第一、二、三产业 not repeated) is 第二产业增加值."""
    together, without = _industries()
    m = together.fullmatch(name, None, None, HOLD) if may_match(together, name) else None
    if m:
        pre, post = m.group("pre"), m.group("post")
        k = sum(1 for b in before if b in {f"{pre}第{n}产业{post}" for n in "一二三"})
        return f"{pre}第{'一二三'[k]}产业{post}" if k < 3 else name
    return without.sub(r"\g<pre>第\g<n>产业", name, count=1) if may_match(without, name) else name


def industry_measure(name: str, before: tuple[str, ...]) -> str:
    """A bare industry takes the measure of the whole its sentence named before it (地区生产总值
    增长6%，其中第一产业增长3.6%: 第一产业增加值; 固定资产投资…，第二产业增长7%: 第二产业投资)."""
    bare, measures = _industry_measures()
    if not before or not bare.fullmatch(name):
        return name
    return next((name + measure for measure, whole in measures if whole.search(before[-1])), name)


@functools.cache
def _industry_measures() -> tuple[regex.Pattern, tuple[tuple[str, regex.Pattern], ...]]:
    r = load_rules("indicators")["name_test"]
    return (regex.compile(r.get("bare_industry", "(?!)")),
            tuple((m, regex.compile(w)) for m, w in r.get("industry_measures", {}).items()))


@functools.cache
def _lean_back() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["name_test"].get("lean_back", "(?!)"))


def final_name(name: str, text_before: str, before: tuple[str, ...], prior: tuple[str, ...] = ()) -> str | None:
    """The name a cleaned name becomes in its sentence (``text_before``: the text before it,
    ``before``: the names said before, ``prior``: the names of the sentence before, in its
    paragraph): its subject, its industry, its head, the name it leans on, the measure of its
    whole. None: no name (同口径完成3.67亿元)."""
    got = inherit_head(industry_of(subject_head(name, text_before), before), before,
                       prior if _DETAIL.match(text_before) else ())
    if got is None:
        got = _lean_back_name(name, text_before)
    return industry_measure(got, before) if got else got


def _lean_back_name(name: str, text_before: str) -> str | None:
    """A verb of setting alone names the clause before its comma when that clause names a
    measure: 一九五八年的基本建设总投资额，拟定为… is 基本建设总投资额 (the period and 的 cleaned
    off); 为了适应生产发展的需要，拟定为… keeps 拟定 (the figure is found, its name not)."""
    m = _lean_back().search(text_before + name)
    if not m:
        return None
    clause = clean_name(clean_phrase(m.group("clause")))
    named = clause and valid_phrase(clause) and linking("topic_name").match(clause)
    return clause if named else name


_DETAIL = regex.compile(r"^\W*其中\W")  # a sentence giving a detail of the one before (其中，3月份当月…)


def inherit_head(name: str, before: tuple[str, ...], prior: tuple[str, ...] = ()) -> str | None:
    """A bare head (增加值) takes the first name of its sentence that ends with it: in
    第一产业增加值26.4亿元，占GDP比重5.8%，增加值增长4.6%, the growth is 第一产业增加值's (and in
    固定资产投资320亿元，其中工业投资150亿元，投资增长8.2%, 固定资产投资's). A verb or a basis word
    read as a name (到达, 自然, 同口径) takes the sentence's latest name, or none."""
    heads, leans, skip, keep = _bare_heads()
    if name in heads:  # (else the sentence before's: …增加值15.04亿元。其中，3月份当月完成增加值5.61亿元)
        return next((b for b in (*before, *reversed(prior)) if b != name and b.endswith(name)), name)
    if leans.fullmatch(name, None, None, HOLD):
        usable = [_budget_tail().sub("", b) for b in before if not skip.search(b, None, None, HOLD)]
        if name in keep and len(set(usable)) != 1:
            return name  # 出口增长10.2%，进口下降5.1%，总额…: the sum of two, no one of them
        return usable[-1] if usable else (name if name in keep else None)
    return name


@functools.cache
def _rules() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern, int]:
    r = load_rules("indicators")["name_test"]
    return regex.compile(r["strip_head"]), regex.compile(r["strip_tail"]), regex.compile(r["reject"]), r["min_chars"]


@forgotten_with_phrases
@functools.lru_cache(maxsize=65536)
def clean_name(name: str) -> str | None:
    """The name with the words that are no part of it taken off (城镇新增就业不少于 -> 城镇新增
    就业), or None when nothing of a name is left (千分点). A verb inside a name stays as the
    source writes it (省重点项目完成投资), but between an industry and its measure it goes
    (一产完成投资: 一产投资). Memoised: a
    report names the same indicators claim after claim (dropped with the other rule tables
    when other rules come in force)."""
    head, tail, reject, min_chars = _rules()
    if _matches(reject, name):
        return None
    cleaned = _drop(_inner_verb(), _drop(tail, _drop(head, name)))
    if len(cleaned) < min_chars and cleaned not in phrase_rules()["single"] or _matches(reject, cleaned):
        return None
    return cleaned


@functools.cache
def _inner_verb() -> regex.Pattern:
    return regex.compile(load_rules("indicators")["name_test"].get("inner_verb", "(?!)"))


def _matches(p: regex.Pattern, s: str) -> bool:
    return may_match(p, s) and p.fullmatch(s, None, None, HOLD) is not None


def _drop(p: regex.Pattern, s: str) -> str:
    """``s`` without what ``p`` matches (searched only where it can match)."""
    return p.sub("", s, 0, None, None, HOLD) if may_match(p, s) else s
