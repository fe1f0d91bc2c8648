"""Attach figures to indicators and build claims, one sentence at a time."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from ..grammar import numbers
from ..grammar.figures import HAN, LIST_MARK, Fig, Mention, SentenceParts, cues
from ..ruleset.load import load_rules
from ..text.segment import base_words, is_word, tokenizer

_CONJ = regex.compile(r"^(?:、|和|及|与|以及)$")
_SUBJECT_LIST = regex.compile(
    r"(?P<list>(?:(?:中央|全国|国家|全?省|全?市|全?区|全?县)、)+(?:中央|全国|国家|全?省|全?市|全?区|全?县))的?$")
_SUBJECT_HEAD = regex.compile(
    r"^(?:(?:中央|全国|国家|全?省|全?市|全?区|全?县)、)+(?:中央|全国|国家|全?省|全?市|全?区|全?县)的?")
_DIGIT_OR_MASK = regex.compile(r"\d|[*X×]")
_TOPIC_CUT = regex.compile(r"增长|增幅|增速|降幅|下降|下滑|回落|低速|较快|快速|平稳|稳步|明显|乏力|发展|持续|呈|偏低|较低|偏高|较高|低$|高$|不足")
_ALL_CUT = regex.compile(r"(?<![人年平])均(?=\p{Han})")  # 粮食、棉花产量均创历史新高
_POST_CUT = regex.compile(r"仅|只|已|没有|正在|均|全部|都|被|要|将|处于|中$|等|有序|顺利|稳步|加快|全面|实现|取得"
                          r"|、(?=位列|位居|居|排名|排|列|占|增长|同比|比上年)")  # 48枚金牌、位列全国第3
_FENBIE = "分别"
# 11个行业呈负增长, 6个镇街实现正增长: a count of units in a state of growth
_COUNT_STATE = regex.compile(r"^(?P<noun>\p{Han}{1,6}?)(?:均|也|仍)?(?:呈|为|出现|实现|保持)?"
                             r"(?P<state>负增长|正增长)$")


@functools.lru_cache(maxsize=1)
def _period_any() -> regex.Pattern:  # noqa: N802 - a compiled constant, built lazily
    return regex.compile(load_rules("cues")["period"]["pattern"])
_NOT_INDICATOR = regex.compile(r"^(?:第|使|将|把|对|在|从|与|和)|(?:同志|时间|方面)$")


@dataclass
class Ind:
    text: str
    name: str
    canonical: str | None
    start: int
    end: int
    method: str = "rule"


@dataclass
class Draft:
    ind: Ind
    value: Fig | None = None
    growth: Fig | None = None
    ranks: list[Fig] = field(default_factory=list)
    subject: str | None = None
    method: str = "rule"
    rules: list[str] = field(default_factory=list)
    side: bool = False  # a benchmark or gap claim beside the indicator's own figures

    @property
    def figs(self) -> list[Fig]:
        return [f for f in (self.value, self.growth) if f] + self.ranks

    def accepts(self, f: Fig, subject: str | None) -> bool:
        if self.figs and subject != self.subject:
            return False
        if f.type == "value":
            return self.value is None and self.growth is None and not self.ranks
        if f.type == "growth":
            return self.growth is None and not self.ranks
        return True

    def add(self, f: Fig, subject: str | None) -> None:
        self.subject = subject
        if f.type == "value":
            self.value = f
        elif f.type == "growth":
            self.growth = f
        else:
            self.ranks.append(f)
        self.rules.append(f.rule)


@functools.lru_cache(maxsize=1)
def _phrase_rules() -> dict:
    c = load_rules("cues")
    p = c["indicator_phrase"]
    return {
        # longest word first: a match is the longest head (tail) word the phrase has
        "head": regex.compile("|".join(map(regex.escape, sorted(p["strip_head"], key=len, reverse=True)))),
        "tail": regex.compile("(?:" + "|".join(map(regex.escape, sorted(p["strip_tail"], key=len, reverse=True)))
                              + ")$"),
        "inside": regex.compile("|".join(p["drop_inside"])),
        "min": int(p["min_chars"]),
        "max": int(p["max_chars"]),
        "stop": frozenset(p["stop"]),
        "lead": regex.compile("^(?:" + c["period"]["pattern"] + "|" + p.get("enumerator_head", "(?!)")
                              + "|" + p.get("venue_head", "(?!)")
                              + r"|[，、：；“”（）\s])+"),
        "refers_back": regex.compile(p["refers_back"]),
        "period_inside": regex.compile(r"(?:\d{4}|[二〇一九零]{4})年(?:底|末|度)?"),
        "duration": regex.compile(p.get("duration_tail", "(?!)")),
        "count_verbs": frozenset(p["count_verbs"]),
        "locatives": frozenset(p.get("locatives", [])),
        "parallel_words": frozenset(p.get("parallel_words", [])),
        # longest first: 产量占比 is cut as 产量 + 占比, 营业收入 before 收入
        "list_heads": tuple(sorted(p.get("list_heads", []), key=len, reverse=True)),
        "whole_ends": frozenset(p.get("list_whole_ends", [])),
    }


@functools.lru_cache(maxsize=65536)
def clean_phrase(s: str) -> str:
    """Strip subject, period, conjunction and verb words around an indicator phrase.

    Words of two or more characters are stripped wherever the phrase starts or ends
    with them; a one-character word only when jieba cuts it off as a word of its own.
    (Memoised: a function of the phrase and the rules; ``use_segmenter`` clears it.)
    """
    pr = _phrase_rules()
    cut = tokenizer()
    for _ in range(12):
        before = s
        m = pr["lead"].match(s)
        if m and m.end():
            s = s[m.end():]
        m = pr["head"].match(s)
        if m and (m.end() > 1 or cut(s)[0] == m.group(0)):
            s = s[m.end():]
        m = pr["tail"].search(s)
        # a one-character word goes when jieba cuts it off, or after a measure word (占比|达)
        if m and (len(m.group(0)) > 1 or cut(s)[-1] == m.group(0) or s.endswith(pr["list_heads"], 0, m.start())):
            s = s[: m.start()]
        m = pr["duration"].search(s)
        if m:
            s = s[: m.start()]
        s = s.strip("，、：；“”（）")
        # 非常规天然气产量2030年达到 -> 非常规天然气产量; 比重较2020年 -> 比重 (the 较 goes next)
        s = pr["period_inside"].sub("", s)
        if s == before or not s:
            break
    return pr["inside"].sub("", s)


def valid_phrase(s: str) -> bool:
    """A name: a few Han characters, no figure in it but a threshold or a per-capita base."""
    pr = _phrase_rules()
    han = len(HAN.findall(s))
    return pr["min"] <= han and len(s) <= pr["max"] and s not in pr["stop"] \
        and not _DIGIT_OR_MASK.search(_figure_in_name().sub("", s)) and not pr["refers_back"].match(s)


def ends_with_count_verb(s: str) -> bool:
    """实施, 确定…: the count that follows counts the noun after it."""
    words = tokenizer()(s)
    return bool(words) and words[-1] in _phrase_rules()["count_verbs"]


def _split_conj(s: str) -> list[str]:
    return [p for p in LIST_MARK.split(s) if p]


_SHORT_HEAD = 5  # a longer tail is more than a head: 规上制造业、工业战略性新兴产业增加值


def _bounds(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word in the text the words join into."""
    out, at = [], 0
    for w in words:
        out.append((at, at + len(w)))
        at += len(w)
    return out


def _cuts(spans: list[tuple[int, int]], text: str, i: int, left: int = 2) -> bool:
    """``text`` may be cut at ``i``: between two of its words, or inside one that is two
    words itself (出口|总额, 第三|产业; not 天然|气), the left one at least ``left`` long."""
    for a, b in spans:
        if a == i:
            return True
        if a < i < b:
            return i - a >= left and b - i >= 2 and is_word(text[a:i]) and is_word(text[i:b])
    return False


def _measure_tail(last: str, spans: list[tuple[int, int]]) -> str:
    """The measure words that end ``last`` (产量, 增加值, 产量占比…), cut at a word boundary;
    none in a share of something (…增加值占规模以上工业增加值比重)."""
    if "占" in last:
        return ""
    heads = _phrase_rules()["list_heads"]
    i = len(last)
    while True:
        h = next((h for h in heads if last.endswith(h, 0, i) and i - len(h) > 0), None)
        if h is None or not _cuts(spans, last, i - len(h)):
            break
        i -= len(h)
    return last[i:] if i < len(last) else ""


def _head_for(p: str, last: str, spans: list[tuple[int, int]], short_items: bool) -> str:
    """The head that item ``p`` of a list shares with the list's last name ``last``;
    ``short_items``: every item of the list is a short noun (a measure word may be shared)."""
    pr = _phrase_rules()
    w, tail = last[:len(p)], last[len(p):]
    # w a word, or a name jieba does not know (北|交|所): 科创板、北交所上市公司数量
    known = is_word(w) or all(b - a == 1 for a, b in spans if b <= len(p))
    if len(p) <= 5 and known and len(HAN.findall(tail)) >= 2 \
            and not is_word(p + tail[:1]) and _cuts(spans, last, len(p), min(2, len(p))):
        return tail  # items of one length: 城镇、农村居民人均可支配收入; 进口、出口总额
    if len(p) <= 8 and p[0] == w[0] and p[-1] == w[-1] and 2 <= len(HAN.findall(tail)) <= _SHORT_HEAD:
        return tail  # 基本养老保险、基本医疗保险参保率
    if p[-1] in pr["whole_ends"] or any(p.endswith(h) for h in pr["list_heads"]):
        return ""  # a whole name already: 一般公共预算收入、税收收入; 事故起数、死亡人数
    share = last.find("占")
    for _, i in spans[:-1]:  # items ending alike: 装备制造业、高技术制造业增加值
        tail = last[i:]
        if last[i - 1] != p[-1] or last[:i] == p:
            continue
        if 0 < i <= share:  # a share: the whole of it (先进制造业、高技术制造业增加值占…比重)
            return tail
        if share < 0 and 2 <= len(HAN.findall(tail)) <= _SHORT_HEAD:
            return tail
    tail = _measure_tail(last, spans) if short_items else ""
    if len(HAN.findall(tail)) >= 2:
        return tail  # a measure word: 原油、天然气产量; 集成电路、工业机器人产量
    return ""


def _share_head(parts: list[str]) -> list[str]:
    """Parallel modifiers share the last name's head: 城镇和农村居民人均可支配收入 ->
    城镇居民人均可支配收入, 农村…; 食品、石化等产业增加值 -> 食品产业增加值, 石化产业增加值;
    原油、天然气产量 -> 原油产量, 天然气产量 (see ``_head_for``). An item that is a name of
    the lexicon takes the head only when that makes another lexicon name: 工业、服务业增加值
    -> 工业增加值, but GDP、一般公共预算收入 stays."""
    words = tokenizer()(parts[-1])
    last = "".join(w for w in words if w != "等") if "等" in words[1:-1] else parts[-1]
    spans = _bounds(base_words(last))
    short_items = all(len(p) <= 6 for p in parts[:-1])  # a long item is a name of its own
    out = []
    for p in parts[:-1]:
        name = p + _head_for(p, last, spans, short_items)
        out.append(p if p in cues().canon and name not in cues().canon else name)
    return out + [last]


def _split_items(head: str, k: int) -> list[str]:
    """The names of a list of ``k``: split at 、和及与, or at 、 alone when that gives k
    (金融业、软件和信息服务业增加值)."""
    parts = _split_conj(head)
    if len(parts) != k and "、" in head:
        alone = [p for p in head.split("、") if p]
        if len(alone) == k:
            return alone
    return parts


def _share_both(parts: list[str]) -> list[str]:
    """Two names that share the first one's modifier and the last one's head:
    非化石能源发电量、用电量占比 -> 非化石能源发电量占比, 非化石能源用电量占比. The last name
    opens with a word as long as the first name's last word and ending in the same character
    (发电量 / 用电量); otherwise the parts go to ``_share_head``."""
    if len(parts) != 2:
        return _share_head(parts)
    a, b = parts
    words = tokenizer()(b)
    item = words[0] if len(words) >= 2 else ""
    head = b[len(item):]
    mine = a[-len(item):] if item else ""
    if len(item) < 2 or len(a) < len(item) + 2 or mine == item or mine[-1] != item[-1] \
            or not is_word(mine) or len(HAN.findall(head)) < 2:
        return _share_head(parts)
    return [a + head, a[:-len(item)] + b]


@functools.lru_cache(maxsize=1)
def _figure_in_name() -> regex.Pattern:
    """Figures that belong inside a name: a class threshold in any amount or measure unit of
    rules/figures.yaml (10亿元以上项目), a per-capita base (每10万人口), a league label
    (世界500强企业), 5G, a top share (ESI全球前1%学科)."""
    units = numbers.grammar().units
    alt = "|".join(regex.escape(u) for u in sorted(units, key=len, reverse=True)
                   if units[u][2] in ("money", "measure"))
    return regex.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?:{alt})(?:以上|以下)(?=\p{{Han}})"
                         r"|每\d+(?:\.\d+)?[万千百]?人口?(?=\p{Han})|(?:世界|中国|全国|全球)\d+强"
                         r"|(?<![\d.])\dG(?=\p{Han})|前\d+(?:\.\d+)?[%‰](?=的?\p{Han})")


@functools.lru_cache(maxsize=1)
def _own_rate() -> regex.Pattern:
    """A rate word, then (within the clause) a comparison cue of rules/cues.yaml or 比/较:
    增幅高于全国, 增速比全省平均水平高."""
    comp = "|".join(load_rules("cues")["comparison"]["cues"] + ["比", "较"])
    return regex.compile(rf"(?P<rate>增幅|增速|涨幅|降幅)(?=[^，,；;。]{{0,12}}?(?:{comp}))")


def _urban_rural(ind: Ind, before: str) -> list[Ind] | None:
    """城乡居民人均可支配收入分别增长4.4%、5.6%: one name for town and country, two figures."""
    if not ind.name.startswith("城乡") or _FENBIE not in before or len(ind.name) < 4 or LIST_MARK.search(ind.name):
        return None
    rest = ind.name[2:]
    names = ["城镇" + rest, "农村" + rest]
    return [Ind(n, n, cues().canon.get(n), ind.start, ind.end, ind.method) for n in names]


def _mention_groups(ms: list[Mention], text: str) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in ms:
        if groups and _CONJ.match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


class SentenceLinker:
    """Builds the claims of one sentence; ``level`` is the speaker's own level (区, 市…)."""

    def __init__(self, parts: SentenceParts, level: str | None):
        self.p = parts
        self.t = parts.text
        self.level = level
        self.G: list[Ind] = []
        self.drafts: list[Draft] = []
        self.current: dict[int, Draft] = {}
        self.main: dict[int, Draft] = {}

    # -- subjects ------------------------------------------------------------
    def subject_of(self, word: str | None) -> str | None:
        if not word:
            return None
        subj = cues().jur_map.get(word, word)
        own = {"全区": "区", "全县": "县", "全市": "市", "全省": "省"}.get(subj)
        if own and own == self.level:
            return None
        return subj

    # -- indicator choice ------------------------------------------------------
    def _from_mentions(self, ms: list[Mention], region_lo: int, hi: int) -> list[Ind]:
        group = _mention_groups(ms, self.t)[-1]
        if len(group) == 1 and region_lo >= 0:
            m = group[0]
            cleaned = clean_phrase(self.t[region_lo:hi])
            head = _SUBJECT_HEAD.match(cleaned)
            if head and cleaned[head.end():].startswith(m.name):
                cleaned = cleaned[head.end():]
            if m.name in cleaned and valid_phrase(cleaned):
                canon = m.canonical if cleaned.endswith(m.name) and len(cleaned) - len(m.name) <= 4 else None
                a = self.t.find(cleaned, region_lo, hi)
                return [Ind(cleaned, cleaned, canon, a if a >= 0 else m.start,
                            a + len(cleaned) if a >= 0 else m.end)]
        if len(group) == 1:
            m = group[0]
            return [Ind(m.name, m.name, m.canonical, m.start, m.end)]
        names = _share_head([m.name for m in group])  # 工业、服务业增加值
        return [Ind(n, n, cues().canon.get(n), m.start, m.end) for n, m in zip(names, group, strict=True)]

    def _own_rate_name(self, f: Fig, lo: int) -> list[Ind] | None:
        """A gap or comparison that names its own rate first (一产增加值增幅高于全国0.7个百分点)
        belongs to that indicator; without one (低于全省*个百分点) it stays with the last."""
        m = _own_rate().search(self.t, lo, f.start)
        if not m:
            return None
        ms = [x for x in self.p.mentions if x.start >= lo and x.end <= m.start("rate")]
        if ms:
            return self._from_mentions(ms, lo, m.start("rate"))
        phrase = clean_phrase(self.t[lo:m.start("rate")])
        if phrase and valid_phrase(phrase) and not _NOT_INDICATOR.search(phrase):
            return [Ind(phrase, phrase, cues().canon.get(phrase), lo, m.start("rate"))]
        return None

    def _topic(self, clause_lo: int, k: int = 1) -> list[Ind]:
        """The subject of a figureless clause just before: 工业低速增长，仅增长1.6%; a list
        of ``k`` when the figures' clause says 分别 (粮食、棉花产量均创历史新高，分别达到…)."""
        if clause_lo <= 0:
            return []
        prev_lo = self.p.clause_start(clause_lo - 1)
        if any(prev_lo <= f.start < clause_lo for f in self.p.figs):
            return []
        seg = self.t[prev_lo:clause_lo - 1]
        listed = k > 1 and self.t.find(_FENBIE, clause_lo, self.p.clause_end(clause_lo)) >= 0
        cuts = [c for c in (_TOPIC_CUT.search(seg), _ALL_CUT.search(seg) if listed else None) if c]
        cut = min(cuts, key=lambda c: c.start()) if cuts else None
        if not cut:
            return []
        name = clean_phrase(seg[: cut.start()].replace("特别是", "").replace("尤其是", ""))
        end = prev_lo + cut.start()
        if listed:
            parts = _split_items(name, k)
            if len(parts) == k:
                parts = _share_head(parts)
                if all(valid_phrase(p) for p in parts):
                    return [Ind(p, p, cues().canon.get(p), prev_lo, end) for p in parts]
        if valid_phrase(name) and len(name) <= 10:
            return [Ind(name, name, cues().canon.get(name), prev_lo, end)]
        return []

    def _last_in_clause(self, f: Fig) -> bool:
        """No other figure follows ``f`` in its clause (what follows it is not another's name)."""
        end = self.p.clause_end(f.end)
        return not any(f.end <= g.start < end for g in self.p.figs)

    def _post_noun(self, f: Fig) -> list[Ind]:
        """其中***个新建项目: the counted noun after a count figure."""
        end = self.p.clause_end(f.end)
        if self.t.startswith("（", end) and "）" in self.t[end:end + 5]:
            end = self.p.clause_end(self.t.index("）", end) + 1)
        nxt = [g.start for g in self.p.figs if g.start >= f.end]
        if nxt:
            end = min(end, nxt[0])
        seg = self.t[f.end:end]
        if not seg or not HAN.match(seg[0]):
            return []  # the count ends its clause: what it counts stands before it
        state = _COUNT_STATE.match(_period_any().sub("", seg))
        if state:  # 11个行业上半年呈负增长: the count of units in that state
            name = state.group("state") + state.group("noun")
            return [Ind(name, name, None, f.end, end)]
        cut = _POST_CUT.search(seg)
        if cut:
            seg = seg[: cut.start()]
        name = clean_phrase(seg)
        if valid_phrase(name) and len(name) <= 14:
            return [Ind(name, name, cues().canon.get(name), f.end, f.end + len(seg))]
        return []

    def _region(self, f: Fig, lo: int) -> int:
        """End of the indicator region before ``f``: cut at its growth verb or rank cue."""
        t, hi = self.t, f.start
        if f.type == "growth":
            cz = cues()
            for m in cz.growth_multi.finditer(t, lo, hi):
                if not cz.not_before.match(t, m.end()):
                    return m.start()
        if f.cue_start is not None and lo <= f.cue_start < hi:
            hi = f.cue_start
        if f.type == "rank":
            cue = cues().rank_cue.search(t, lo, hi)
            if cue:
                hi = cue.start()
        return hi

    def _ellipsis(self, phrase: str) -> str:
        """旧城棚户区改造开工X万平方米，竣工X万平方米: 竣工 stands for 旧城棚户区改造竣工."""
        if len(phrase) > 2 or not self.G or len(self.G) != 1:
            return phrase
        prev = self.G[0].name
        words = tokenizer()(prev)
        parallel = _phrase_rules()["parallel_words"]
        if len(words) >= 2 and len(words[-1]) == len(phrase) and words[-1] != phrase \
                and words[-1] in parallel and phrase in parallel:  # 开工 / 竣工, not 里程 / 高铁
            return "".join(words[:-1]) + phrase
        return phrase

    def choose(self, f: Fig, k: int, prev_end: int) -> list[Ind] | None:
        """New indicator group for the figure group starting with ``f``, or None to keep.

        The rules decide; a model span that agrees marks the choice ``rule+model``; where the
        rules find no indicator at all, a model span in front of the figure names it.
        """
        got = self._rule_choice(f, k, prev_end)
        if got is not None and len(got) == 1 and k == 1:
            got = self._both(got[0], f) or got
        if not self.p.model_spans or f.comparison or f.inherit:
            return got
        lo = max(prev_end, self.p.clause_start(f.start))
        hi = self._region(f, lo)
        spans = [s for s in self.p.model_spans if s.start >= lo and s.end <= f.end + 12]
        if got is not None:
            for ind in got:
                if any(s.start < ind.end and ind.start < s.end and
                       (s.text in ind.name or ind.name in s.text) for s in spans):
                    ind.method = "rule+model"
            return got
        if self.G:
            return None
        before = [s for s in spans if s.end <= hi]
        if before:
            name = clean_phrase(before[-1].text)
            if valid_phrase(name) and not _NOT_INDICATOR.search(name):
                sp = before[-1]
                return [Ind(name, name, cues().canon.get(name), sp.start, sp.end, "model")]
        return None

    def _both(self, ind: Ind, f: Fig) -> list[Ind] | None:
        """非化石能源发电量、用电量占比均超过30%: two names joined, one figure held by both (均)."""
        parts = _split_conj(ind.name)
        at = self.t.find(ind.name, ind.start, f.start)
        # 均 right after the names: the figure holds for each
        if len(parts) != 2 or at < 0 or not self.t.startswith("均", at + len(ind.name)) \
                or not all(valid_phrase(p) for p in parts):
            return None
        return [Ind(p, p, cues().canon.get(p), ind.start, ind.end, ind.method) for p in _share_both(parts)]

    def _rule_choice(self, f: Fig, k: int, prev_end: int) -> list[Ind] | None:
        """The rules' choice of indicator for figure group ``f``."""
        t = self.t
        cs = self.p.clause_start(f.start)
        lo = max(prev_end, cs)
        if f.comparison or f.inherit:
            return self._own_rate_name(f, lo)
        hi = self._region(f, lo)
        listed = self._listed(lo, hi, k, f.type == "rank")
        if listed:
            return listed
        ms = [m for m in self.p.mentions if m.start >= lo and m.end <= hi]
        if ms:
            return self._from_mentions(ms, lo, hi)
        region = t[lo:hi]
        phrase = clean_phrase(region)
        if phrase in _phrase_rules()["locatives"]:  # 省外12所高水平大学: a place, not a name
            if f.unit_kind == "count" and f.type == "value":
                return self._post_noun(f)  # what follows is counted, or nothing is named
            phrase = ""
        count_verb = f.unit_kind == "count" and f.type == "value" and ends_with_count_verb(region)
        if f.unit_kind == "count" and f.type == "value" and ("、" in phrase or "等" in phrase or t[f.start - 1:f.start] == "的"):
            post = self._post_noun(f)  # 西湖龙井茶3个历史经典产业, 生物医药等重点产业链36项卡点攻关,
            if post:  # …工程的285个项目: what follows is counted
                return post
        if f.unit_kind == "count" and f.type == "value" and phrase and len(phrase) <= 4 and not count_verb \
                and valid_phrase(phrase) and phrase not in cues().canon and self._last_in_clause(f):
            post = self._post_noun(f)  # 中资环5家二级公司: a short owner, and what it has so many of
            if post:
                name = phrase + post[0].name
                return [Ind(name, name, None, lo, post[0].end)]
        if phrase and valid_phrase(phrase) and not count_verb:
            parts = _split_conj(phrase)
            if len(parts) > 1 and len(parts) == k and _FENBIE in t[lo:f.end]:
                return [Ind(p, p, cues().canon.get(p), lo, hi) for p in parts]
            phrase = self._ellipsis(phrase)
            return [Ind(phrase, phrase, cues().canon.get(phrase), lo, hi)]
        if f.unit_kind == "count" and f.type == "value":
            post = self._post_noun(f)
            if post:
                return post
            if count_verb and phrase and len(self.G) == 1 and len(phrase) <= 3:
                phrase = self.G[0].name + phrase  # 新建项目仅开工**个: of those, how many started
            if count_verb and valid_phrase(phrase):  # the count ends its clause: no noun after it
                return [Ind(phrase, phrase, cues().canon.get(phrase), lo, hi)]
        if f.unit_kind == "scale" and f.type == "value" and not phrase:
            post = self._post_noun(f)  # ，71.3万监测对象…: a bare scale counts the noun after it
            if post:
                return post
        if lo > 0 and t[lo - 1] == "）":
            q = t.rfind("（", 0, lo - 1)
            if q > 0:
                qlo = self.p.clause_start(q - 1)
                ms = [m for m in self.p.mentions if m.start >= qlo and m.end <= q]
                if ms:
                    return self._from_mentions(ms, qlo, q)
        ms = [m for m in self.p.mentions if m.start >= prev_end and m.end <= lo]
        if ms:
            return self._from_mentions(ms, -1, -1)
        topic = self._topic(cs, k)
        if topic:
            return topic
        return None

    # -- assembly --------------------------------------------------------------
    def run(self) -> list[Draft]:
        figs = self.p.figs
        groups: list[list[Fig]] = []
        for f in figs:
            if groups and groups[-1][0].group == f.group:
                groups[-1].append(f)
            else:
                groups.append([f])
        prev_end = 0
        for grp in groups:
            first = grp[0]
            new = self.choose(first, len(grp), prev_end)
            if new is not None and len(new) == 1 and len(grp) == 2:
                new = _urban_rural(new[0], self.t[self.p.clause_start(first.start):first.start]) or new
            if new is not None:
                self.G = new
                self.current = {}
                self.main = {}
            prev_end = max([grp[-1].end] + [i.end for i in self.G if i.start >= first.end])
            if not self.G:
                continue
            if new is None and len(grp) > 1 and len(self.G) == 1:
                self._fenbie_back(grp)
            subjects = self._subject_list(len(grp))
            self._distribute(grp, subjects)
        return [d for d in self.drafts if d.figs]

    def _listed(self, lo: int, hi: int, k: int, rank: bool) -> list[Ind] | None:
        """X、Y分别增长a%、b% (k figures for k names), or A指标、B指标居全国首位 (one
        figure shared by names of four or more characters each)."""
        region = self.t[lo:hi]
        fb = region.find(_FENBIE)
        head = region[:fb] if fb >= 0 else region
        parts = [clean_phrase(p) for p in _split_items(clean_phrase(head), k)] if head else []
        if len(parts) < 2 or not all(parts):
            return None
        if fb >= 0 and len(parts) == k:
            parts = _share_head(parts)  # a part may be a name only with the head: 肉、奶产量
        elif rank and k == 1 and "、" in head:
            if len(parts) == 2:  # 水稻、油茶产量位居全国第1: each name holds the rank
                parts = _share_head(parts)
            if not all(len(p) >= 4 for p in parts):
                return None
        else:
            return None
        if not all(valid_phrase(p) for p in parts):
            return None
        return [Ind(p, p, cues().canon.get(p), lo, lo + len(head)) for p in parts]

    def _fenbie_back(self, grp: list[Fig]) -> None:
        """接待游客1200万人次，实现旅游总收入98亿元，分别增长15%和18%: a 分别 list of k
        figures goes back over the k indicators just named, one each."""
        cs = self.p.clause_start(grp[0].start)
        if _FENBIE not in self.t[cs:grp[0].start]:
            return
        inds: list[Ind] = []
        for d in reversed(self.drafts):
            if all(d.ind.name != i.name for i in inds):
                inds.insert(0, d.ind)
            if len(inds) == len(grp):
                break
        if len(inds) == len(grp):
            self.G = inds
            self.current = {i: d for i, ind in enumerate(inds) for d in self.drafts if d.ind is ind}

    def _subject_list(self, k: int) -> list[str | None] | None:
        if len(self.G) != 1 or k < 2:
            return None
        m = _SUBJECT_LIST.search(self.t, 0, self.G[0].start)
        if not m:
            return None
        words = m.group("list").split("、")
        if len(words) != k:
            return None
        return [self.subject_of(w if w in ("中央", "全国", "国家") or w.startswith("全") else "全" + w)
                for w in words]

    def _draft_for(self, i: int, f: Fig, subject: str | None) -> Draft:
        d = self.current.get(i)
        if f.type == "rank" and d is not None and d.side and self.main.get(i) is not None:
            d = self.main[i]  # 低于全省2个百分点，排全省第9位: the rank is the indicator's own
        if d is None or not d.accepts(f, subject):
            d = Draft(self.G[i], method=self.G[i].method, side=f.inherit or f.comparison)
            self.drafts.append(d)
            self.current[i] = d
            if not d.side:
                self.main[i] = d
        return d

    def _place(self, i: int, f: Fig, subject: str | None) -> None:
        d = self.current.get(i)
        if f.comparison and f.type == "value" and d and d.growth is not None:
            f.type, f.rule = "growth", "growth.comparison"
        self._draft_for(i, f, subject).add(f, subject)

    def _distribute(self, grp: list[Fig], subjects: list[str | None] | None) -> None:
        n, k = len(self.G), len(grp)
        for j, f in enumerate(grp):
            subj = subjects[j] if subjects else self.subject_of(f.subject)
            if n == 1:
                self._place(0, f, subj)
            elif k == 1:
                for i in range(n):
                    self._place(i, f, subj)
            else:
                self._place(min(j, n - 1), f, subj)
        if n > 1 and k > 1:
            for d in self.drafts[-max(n, k):]:
                if "link.fenbie" not in d.rules:
                    d.rules.append("link.fenbie")

