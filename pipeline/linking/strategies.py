"""Linking strategies: small named units that name the indicator of a figure group.

The linker tries them in the order of ``STRATEGIES`` (as Duckling lists its ``rules``); the
first that names something wins, and its name goes into the claim's ``rule``
(``value.unit+link.phrase``). A strategy answers with

- a list of indicators: those are the new names (an empty list names nothing, so the
  figures get no claim);
- ``KEEP``: stop here and keep the indicators already current in the sentence;
- ``None``: not mine, try the next.

When no strategy answers, the current indicators are kept. Each strategy's examples and
near-miss negatives are in ``rules/linking.yaml`` under its name. A strategy reads the
sentence through a frozen ``view.SentenceView`` (its text, figures, mentions, clauses and
the indicators named before), never the linker that assembles the claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import regex

from ..grammar.figures import Fig, cues
from ..ruleset.load import load_rules, pattern
from ..text.rx import HOLD
from ..text.segment import base_words
from .drafts import Ind
from .names import clean_name, without_budget
from .phrases import clean_phrase, ends_with_count_verb, phrase_rules, split_conj, valid_phrase, word
from .view import SentenceView

KEEP: Final = "keep"  # a strategy's answer: stop and keep the current indicators

Choice = list[Ind] | str | None


class Attempt:
    """What every strategy looks at for the figure group starting with ``f`` (``k`` figures).
    The region cleaned into a name (``phrase``) and whether it ends with a verb that counts
    (``count_verb``) are read when a strategy first asks: the ones tried first (a comparison,
    a list, a lexicon name: 地区生产总值增长5%) decide a third of the groups without them."""

    __slots__ = ("f", "k", "prev_end", "clause_start", "lo", "hi", "region", "_phrase", "_count_verb")

    def __init__(self, f: Fig, k: int, prev_end: int, clause_start: int, lo: int, hi: int, region: str):
        self.f, self.k, self.prev_end, self.clause_start = f, k, prev_end, clause_start
        self.lo = lo  # where this group's indicator may begin
        self.hi = hi  # where it must end (the growth verb or rank cue)
        self.region = region
        self._phrase: str | None = None
        self._count_verb: bool | None = None

    @property
    def phrase(self) -> str:
        """The region cleaned into a name ("" when it names nothing)."""
        if self._phrase is None:
            base = pattern("linking", "patterns", "comparison_base").search(self.region)
            self._phrase = clean_phrase(self.region[:base.start()] if base else self.region)
        return self._phrase

    @phrase.setter
    def phrase(self, value: str) -> None:
        self._phrase = value

    @property
    def count_verb(self) -> bool:
        """The region ends with a verb that counts (建成, 引进…)."""
        if self._count_verb is None:
            self._count_verb = self.count_value and ends_with_count_verb(self.region)
        return self._count_verb

    @property
    def count_value(self) -> bool:
        return self.f.unit_kind == "count" and self.f.type == "value"


def attempt(v: SentenceView, f: Fig, k: int, prev_end: int) -> Attempt:
    cs = v.clause_start(f.start)
    lo = max(prev_end, cs)
    hi = v.region(f, lo)
    return Attempt(f, k, prev_end, cs, lo, hi, v.text[lo:hi])


@dataclass(frozen=True, slots=True)
class Strategy:
    name: str
    run: Callable[[SentenceView, Attempt], Choice]


def own_rate(v: SentenceView, a: Attempt) -> Choice:
    """一产增加值增幅高于全国0.7个百分点: a gap or comparison names its own rate, else keeps."""
    if not (a.f.comparison or a.f.inherit):
        return None
    return v.own_rate_name(a.f, a.lo) or KEEP


def benchmarks(v: SentenceView, a: Attempt) -> Choice:
    """分别高于全省、全国平均水平1.2、2.5个百分点: gaps against benchmarks (which are no
    indicators) keep the indicator named before, and so does a rank after its league."""
    if v.current and (pattern("linking", "patterns", "benchmarks").search(a.region, None, None, HOLD)
                 or pattern("linking", "patterns", "bracket_gaps").search(a.region, None, None, HOLD)):
        return KEEP
    if v.current and a.f.type == "rank" and pattern("linking", "patterns", "league").search(a.region):
        return KEEP  # 在全县14个乡镇中列第4位: the league names nothing
    return None


def _derived(v: SentenceView, a: Attempt, which: str) -> regex.Match | None:
    """The clause up to the figure, read by pattern ``which`` of rules/linking.yaml, when an
    indicator is current to derive the name from."""
    if len(v.current) != 1 or a.f.type != "value":
        return None
    return pattern("linking", "patterns", which).search(v.text[a.clause_start:a.f.start], None, None, HOLD)


def _base(v: SentenceView) -> str:
    """The current indicator's name as a claim will carry it (工商税收到 -> 工商税), to derive
    a measure's name from."""
    name = v.current[0].name
    return without_budget(clean_name(name) or name)


def _side(v: SentenceView, a: Attempt, name: str) -> list[Ind]:
    ind = Ind(name, name, cues().canon.get(name), a.clause_start, a.f.start)
    ind.side_of = v.current[0]
    return [ind]


def completion(v: SentenceView, a: Attempt) -> Choice:
    """占年度计划的24.1%, 完成年初预算207380万元的54.22%: the completion rate of the indicator
    named before, which stays current; the budget's own amount is 税收收入年初预算."""
    m = _derived(v, a, "completion")
    if not m:
        return _completion_inline(v, a)
    if a.f.unit == "%":
        names = load_rules("linking")["derived_names"]["completion"]
        return _side(v, a, _base(v) + names[m.group("what")])
    if a.f.unit_kind == "money" and not m.group("amount"):
        return _side(v, a, _base(v) + m.group("base"))
    return None


def _completion_inline(v: SentenceView, a: Attempt) -> Choice:
    """全年固定资产投资完成年度计划的96.4%: the completion rate of the name just before the
    verb, in the figure's own clause (固定资产投资年度计划完成率); a list before 分别 gives
    one each (城镇新增就业、新增发放创业担保贷款分别完成年计划的118.2%、248.57%)."""
    if a.f.unit != "%" or a.f.type != "value":
        return None
    m = pattern("linking", "patterns", "completion_inline").search(a.region)
    if not m:
        return None
    return _derived_inline(v, a, m.start("verb"), load_rules("linking")["derived_names"]["completion"][m.group("what")])


def _derived_inline(v: SentenceView, a: Attempt, at: int, what: str) -> Choice:
    """The names before ``at`` (in the region) with ``what`` after each, figures derived from
    them that leave them current (see ``_completion_inline``, ``change_of``)."""
    got = _names_before(v, a, a.lo + at)
    if not got or len(got) not in (1, a.k):
        return None
    out = []
    for base in got:
        name = without_budget(clean_name(base.name) or base.name) + what
        ind = Ind(name, name, cues().canon.get(name), base.start, a.f.start)
        ind.side_of = base  # the indicator stays current: ，同比增长8.1% is its own
        out.append(ind)
    return out


def _names_before(v: SentenceView, a: Attempt, end: int) -> list[Ind] | None:
    """The names between the group's start and ``end``: lexicon names, else the phrase or
    its parts joined by 、 (each a valid phrase)."""
    text = v.text[a.lo:end].removesuffix(word("respectively"))
    end = a.lo + len(text)
    ms = [x for x in v.mentions if x.start >= a.lo and x.end <= end]
    got = v.from_mentions(ms, a.lo, end) if ms else None
    if got and (len(got) == a.k or "、" not in text):
        return got
    parts = split_conj(clean_phrase(text))
    if not parts or not all(valid_phrase(p) for p in parts):
        return None
    return [Ind(p, p, cues().canon.get(p), a.lo, end) for p in parts]


def change_of(v: SentenceView, a: Attempt) -> Choice:
    """比上年同期144987万元增收1858万元: an absolute change of the indicator named before."""
    if a.f.unit_kind == "rate" or not pattern("linking", "patterns", "change_end").match(v.text, a.f.end):
        return None  # 新增9家智能工厂: a count of what follows
    names = load_rules("linking")["derived_names"]["change_of"]
    m = _derived(v, a, "change_of")
    if m:
        return _side(v, a, _base(v) + names[m.group("verb")])
    m = pattern("linking", "patterns", "change_inline").search(a.region) if a.f.unit_kind == "money" else None
    return _derived_inline(v, a, m.start("verb"), names[m.group("verb")]) if m else None  # 一般公共服务支出调减185万元


def total_of(v: SentenceView, a: Attempt) -> Choice:
    """新增规上企业31家，总数达到212家: the stock the flow named before adds to (规上企业)."""
    m = pattern("linking", "patterns", "total_of").match(a.region) if a.count_value and len(v.current) == 1 else None
    if m is None or m.group("sum") and "人" in (a.f.unit or ""):
        return None  # 新增城镇就业1.2万人，累计达到8.6万人: the flow summed
    name = pattern("linking", "patterns", "flow_head").sub("", v.current[0].name)
    if name == v.current[0].name or len(name) < 2:
        return None
    return [Ind(name, name, cues().canon.get(name), a.lo, a.hi)]


def counterpart(v: SentenceView, a: Attempt) -> Choice:
    """国有资本经营预算收入0.86亿元，支出0.72亿元: a counterpart word alone (支出, 支出总计) after
    the name of its pair takes that name's modifier (国有资本经营预算支出)."""
    if len(v.current) != 1 or not a.phrase:
        return None
    word = load_rules("linking").get("counterparts", {})
    m = pattern("linking", "patterns", "counterpart_alone").fullmatch(a.phrase)
    if m is None or m.group("word") not in word:
        return None
    own, head = word[m.group("word")], clean_name(v.current[0].name) or v.current[0].name
    at = head.rfind(own)
    if at < 2:
        return None
    name = head[:at] + m.group("word")
    if name not in cues().canon and not pattern("linking", "patterns", "counterpart_of").search(head[:at]):
        return None  # 人均可支配收入…，支出…: no measure of that name
    return [Ind(name, name, cues().canon.get(name), a.lo, a.hi)]


def _whole(base: str) -> str:
    """The whole a share or a contribution is of, without the subject opening it."""
    return pattern("linking", "patterns", "whole_subject").sub("", base.strip())


def share_of(v: SentenceView, a: Attempt) -> Choice:
    """…321.96亿元，占GDP的22.9%: the share of the indicator named before in a whole
    (占全区工业总产值的 -> 占工业总产值比重; 占全国份额 keeps 全国 and 份额)."""
    m = _derived(v, a, "share_of") if a.f.unit == "%" else None
    if m is None:
        return None  # most figures: no whole to be a share of
    base = m.group("base").strip()
    base = clean_phrase(base) if len(clean_phrase(base)) >= 2 else base  # 全国 is the whole
    whole = _whole(base)
    whole = whole if len(whole) >= 2 else base
    if len(whole) < 2:
        return None
    pre, post = load_rules("linking")["derived_names"]["share_of"]
    return _side(v, a, v.current[0].name + pre + whole + (m.group("word") or post))


def contribution_to(v: SentenceView, a: Attempt) -> Choice:
    """…增长3.2%，对GDP增长的贡献率为0.7%: the contribution of the indicator named before."""
    m = _derived(v, a, "contribution_to")
    whole = _whole(m.group("base")) if m and a.f.unit == "%" else ""
    if not whole:
        return None
    pre, post = load_rules("linking")["derived_names"]["contribution_to"]
    own = pattern("linking", "patterns", "contributor_tail").sub("", v.current[0].name) or v.current[0].name
    return _side(v, a, own + pre + whole + post)


def listed(v: SentenceView, a: Attempt) -> Choice:
    """X、Y分别增长a%、b%; 水稻、油茶产量位居全国第1: one name per figure, or all share one."""
    return v.listed(a.lo, a.hi, a.k, a.f.type == "rank")


def lexicon(v: SentenceView, a: Attempt) -> Choice:
    """地区生产总值42亿元: a lexicon name in front of the figure (with its modifiers; not the
    base it is compared with: 工业总产值比2019年增长45%)."""
    base = pattern("linking", "patterns", "comparison_base").search(a.region)
    hi = a.lo + base.start() if base else a.hi
    ms = [m for m in v.mentions if m.start >= a.lo and m.end <= hi]
    return v.from_mentions(ms, a.lo, hi) if ms else None


def locative(v: SentenceView, a: Attempt) -> Choice:
    """省外12所高水平大学: a place word is no name; a count counts what follows it."""
    if a.phrase not in phrase_rules()["locatives"]:
        return None
    if a.count_value:
        return v.post_noun(a.f)  # what follows is counted, or nothing is named
    a.phrase = ""
    return None


def counted_after_list(v: SentenceView, a: Attempt) -> Choice:
    """西湖龙井茶3个历史经典产业, …工程的285个项目: after a list or 的, the noun after a count."""
    t, f = v.text, a.f
    if a.count_value and ("、" in a.phrase or word("etc") in a.phrase or t[f.start - 1:f.start] == word("of")):
        return v.post_noun(f) or None
    return None


def owner_count(v: SentenceView, a: Attempt) -> Choice:
    """中资环5家二级公司: a short owner before a count, and what it has so many of."""
    p = a.phrase
    if not (a.count_value and p and len(p) <= 4 and not a.count_verb and valid_phrase(p)
            and p not in cues().canon and v.last_in_clause(a.f)):
        return None
    post = v.post_noun(a.f)
    if not post:
        return None
    if pattern("linking", "patterns", "owner_not").match(p):
        return post  # 完善提升20个县乡村三级养老服务网络: a task's verb owns nothing; the noun is counted
    name = p + post[0].name
    return [Ind(name, name, None, a.lo, post[0].end)]


def phrase_list(v: SentenceView, a: Attempt) -> Choice:
    """出口、进口分别增长5%、8%: a phrase of k joined names before k figures with 分别."""
    if not (a.phrase and valid_phrase(a.phrase) and not a.count_verb):
        return None
    parts = split_conj(a.phrase)
    if len(parts) > 1 and len(parts) == a.k and word("respectively") in v.text[a.lo:a.f.end]:
        return [Ind(p, p, cues().canon.get(p), a.lo, a.hi) for p in parts]
    return None


def phrase(v: SentenceView, a: Attempt) -> Choice:
    """完成财政总收入131.2亿元: the cleaned phrase before the figure (开工X，竣工X: 竣工 borrows
    the head of the name before it)."""
    if not (a.phrase and valid_phrase(a.phrase) and not a.count_verb):
        return None
    name = v.ellipsis(a.phrase)
    return [Ind(name, name, cues().canon.get(name), a.lo, a.hi)]


def measure_noun(v: SentenceView, a: Attempt) -> Choice:
    """建成3.5万公里农村公路, 完成46.1万亩高标准农田建设: a measure after a verb alone names
    the noun after it."""
    f = a.f
    if not (f.unit_kind == "measure" and f.type == "value" and a.region and ends_with_count_verb(a.region)
            and len(a.phrase) <= 4):
        return None
    return v.post_noun(f) or None


def counted_noun(v: SentenceView, a: Attempt) -> Choice:
    """其中***个新建项目: a count names the noun after it."""
    return (v.post_noun(a.f) or None) if a.count_value else None


def count_verb(v: SentenceView, a: Attempt) -> Choice:
    """引进项目12个 / 新建项目仅开工**个: a count ending its clause names the verb phrase."""
    if not (a.count_value and a.count_verb):
        return None
    p = a.phrase
    if p and len(v.current) == 1 and len(p) <= 3:
        p = v.current[0].name + p  # of those, how many started
    return [Ind(p, p, cues().canon.get(p), a.lo, a.hi)] if valid_phrase(p) else None


def scale_noun(v: SentenceView, a: Attempt) -> Choice:
    """，71.3万监测对象…: a bare scale counts the noun after it."""
    if a.f.unit_kind == "scale" and a.f.type == "value" and not a.phrase:
        return v.post_noun(a.f) or None
    return None


def bracketed(v: SentenceView, a: Attempt) -> Choice:
    """工业增加值（规上）增长8%: the lexicon name before a bracket just before the figure."""
    t, lo = v.text, a.lo
    if lo <= 0 or t[lo - 1] != "）":
        return None
    q = t.rfind("（", 0, lo - 1)
    if q <= 0:
        return None
    qlo = v.clause_start(q - 1)
    ms = [m for m in v.mentions if m.start >= qlo and m.end <= q]
    return v.from_mentions(ms, qlo, q) if ms else None


def lexicon_before(v: SentenceView, a: Attempt) -> Choice:
    """地区生产总值增长较快，全年达到42亿元: a lexicon name earlier in the sentence, whole
    when it starts inside a word (轻工业总产值，一九八一年…增长百分之十四点一: 轻工业总产值)."""
    ms = [m for m in v.mentions if m.start >= a.prev_end and m.end <= a.lo]
    if not ms:
        return None
    last = ms[-1]
    cs = max(a.prev_end, v.clause_start(last.start))
    whole = v.named_topic(v.text[cs:v.clause_end(last.end)].rstrip("，,；;：:"), cs)
    if whole and whole[0].start <= last.start:  # 生产资料工业所占的比重，一九五二年为…: the clause names it whole
        return whole
    got = v.from_mentions(ms, -1, -1)
    if len(got) == 1 and (lo := _word_start(v, ms[-1].start, max(a.prev_end, v.clause_start(ms[-1].start)))) < got[0].start:
        name = v.text[lo:got[0].end]
        return [Ind(name, name, cues().canon.get(name), lo, got[0].end)]
    return got


def _word_start(v: SentenceView, at: int, lo: int) -> int:
    """Where the word that ``at`` falls inside begins (不包括手工业产值: 工业产值 starts inside
    手工业), cut without the lexicon; ``at`` itself when it starts a word (国家/财政收入)."""
    lo = max(lo, at - 4)
    pos = lo
    for w in base_words(v.text[lo:at + 2]):
        if pos < at < pos + len(w):
            return pos
        pos += len(w)
    return at


def topic(v: SentenceView, a: Attempt) -> Choice:
    """工业低速增长，仅增长1.6%: the subject of the figureless clause just before (not when a
    figure before in the clause named its own: 城乡融合发展取得新进步，常住人口城镇化率61.61%、
    提高5.1个百分点 keeps 常住人口城镇化率)."""
    first = not any(a.clause_start <= g.start < a.f.start for g in v.figs)
    if not first and v.current:
        return None
    return v.topic(a.clause_start, a.k, first) or None


STRATEGIES: tuple[Strategy, ...] = tuple(Strategy(f"link.{fn.__name__}", fn) for fn in (
    own_rate, benchmarks, completion, change_of, total_of, counterpart, share_of, contribution_to, listed, lexicon, locative, counted_after_list,
    owner_count, phrase_list,
    measure_noun, phrase,
    counted_noun, count_verb, scale_noun, bracketed, lexicon_before, topic,
))
NAMES = frozenset(s.name for s in STRATEGIES)


def choose(v: SentenceView, f: Fig, k: int, prev_end: int,
           disabled: frozenset[str] = frozenset()) -> list[Ind] | None:
    """The first strategy's answer for the group at ``f``: new indicators, or None to keep."""
    a = attempt(v, f, k, prev_end)
    for s in STRATEGIES:
        if s.name in disabled:
            continue
        got = s.run(v, a)
        if got is None:
            continue
        if got == KEEP:
            return None
        for ind in got:
            ind.strategy = ind.strategy or s.name
        return got
    return None
