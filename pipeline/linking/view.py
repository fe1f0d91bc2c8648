"""What a linking strategy sees of its sentence: a read-only view.

A strategy (``strategies.py``) reads the sentence's text and pieces (figures, lexicon
mentions, clauses, model spans) and the indicators current before the figure group; it
never reaches into the linker that assembles the claims. The view also holds the readers
that turn a stretch of the sentence into names (the phrase before a figure, the noun
after a count, the subject of the clause before…), none of which changes anything:

    >>> from zhibiao.grammar.figures import analyse
    >>> v = SentenceView("全市地区生产总值增长5.2%", analyse("全市地区生产总值增长5.2%"))
    >>> [i.name for i in v.from_mentions(v.mentions, 0, 10)]
    ['地区生产总值']
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..grammar.figures import HAN, Fig, Mention, SentenceParts, cues
from ..grammar.numbers import list_mark
from ..ruleset import divisions
from ..ruleset.load import pattern
from ..text.gate import may_match
from ..text.segment import tokenizer
from .drafts import Ind
from .lists import share_head, split_items
from .patterns import counterparts, linking, own_rate_pattern
from .phrases import clean_phrase, phrase_rules, split_conj, valid_phrase, word

LABEL_MAX = 10  # 黄麻、洋麻：达到七百三十万担 (a label before a colon)
POST_NOUN_MAX = 18  # 建成19个国家级绿色食品原料标准化生产基地 (16)


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One sentence as the strategies read it; ``current``: the indicators named before the
    figure group now being linked (empty at the sentence's start)."""

    text: str
    parts: SentenceParts
    current: tuple[Ind, ...] = ()

    @property
    def figs(self) -> list[Fig]:
        return self.parts.figs

    @property
    def mentions(self) -> list[Mention]:
        return self.parts.mentions

    def clause_start(self, pos: int) -> int:
        return self.parts.clause_start(pos)

    def clause_end(self, pos: int) -> int:
        return self.parts.clause_end(pos)

    def from_mentions(self, ms: list[Mention], region_lo: int, hi: int) -> list[Ind]:
        """The name of the last group of lexicon mentions (with its modifiers when alone)."""
        group = _mention_groups(ms, self.text)[-1]
        if len(group) == 1 and region_lo >= 0:
            m = group[0]
            cleaned = clean_phrase(self.text[region_lo:hi])
            head = linking("subject_head").match(cleaned)
            if head and cleaned[head.end():].startswith(m.name):
                cleaned = cleaned[head.end():]
            if m.name in cleaned and valid_phrase(cleaned):
                canon = m.canonical if cleaned.endswith(m.name) and len(cleaned) - len(m.name) <= 4 else None
                a = self.text.find(cleaned, region_lo, hi)
                return [Ind(cleaned, cleaned, canon, a if a >= 0 else m.start,
                            a + len(cleaned) if a >= 0 else m.end)]
        if len(group) == 1:
            m = group[0]
            return [Ind(m.name, m.name, m.canonical, m.start, m.end)]
        names = share_head([m.name for m in group])  # 工业、服务业增加值
        return [Ind(n, n, cues().canon.get(n), m.start, m.end) for n, m in zip(names, group, strict=True)]

    def own_rate_name(self, f: Fig, lo: int) -> list[Ind] | None:
        """A gap or comparison that names its own rate first (一产增加值增幅高于全国0.7个百分点)
        belongs to that indicator; without one (低于全省*个百分点) it stays with the last."""
        m = own_rate_pattern().search(self.text, lo, f.start)
        if not m:
            return None
        ms = [x for x in self.mentions if x.start >= lo and x.end <= m.start("rate")]
        if ms:
            return self.from_mentions(ms, lo, m.start("rate"))
        phrase = clean_phrase(self.text[lo:m.start("rate")])
        if linking("pointer").fullmatch(phrase):
            return None  # 这一增速: the indicator named before
        if phrase and valid_phrase(phrase) and not linking("not_indicator").search(phrase):
            return [Ind(phrase, phrase, cues().canon.get(phrase), lo, m.start("rate"))]
        return None

    def topic(self, clause_lo: int, k: int = 1, first: bool = False) -> list[Ind]:
        """The subject of a figureless clause just before: 工业低速增长，仅增长1.6%; a list
        of ``k`` when the figures' clause says 分别 (粮食、棉花产量均创历史新高，分别达到…); a
        measure's name alone for the ``first`` figure of its clause (钢的产量，一九五八年…增长…)."""
        if clause_lo <= 0:
            return []
        prev_lo = self.clause_start(clause_lo - 1)
        if any(prev_lo <= f.start < clause_lo for f in self.figs):
            return []
        seg = self.text[prev_lo:clause_lo - 1]
        label = self._label(seg, prev_lo) if first and not self.current and self.text[clause_lo - 1] in "：:" else None
        if label:
            return label
        listed = k > 1 and self.text.find(word("respectively"), clause_lo, self.clause_end(clause_lo)) >= 0
        cuts = [c for c in (linking("topic_cut").search(seg), linking("all_cut").search(seg) if listed else None) if c]
        cut = min(cuts, key=lambda c: c.start()) if cuts else None
        if not cut:
            return self.named_topic(seg.strip(), prev_lo) if first else []
        name = clean_phrase(linking("topic_drop").sub("", seg[: cut.start()]))
        end = prev_lo + cut.start()
        if listed:
            parts = split_items(name, k)
            if len(parts) == k:
                parts = share_head(parts)
                if all(valid_phrase(p) for p in parts):
                    return [Ind(p, p, cues().canon.get(p), prev_lo, end) for p in parts]
        if valid_phrase(name) and len(name) <= 10:
            return [Ind(name, name, cues().canon.get(name), prev_lo, end)]
        return []

    def _label(self, seg: str, at: int) -> list[Ind]:
        """钢：从一百三十五万吨增加到四百十二万吨: a short name before a colon labels the figures
        after it (a product alone too: 钢, 煤)."""
        name = clean_phrase(seg.strip())
        if not (name and len(name) <= LABEL_MAX and (valid_phrase(name) or name in phrase_rules()["single_products"])) \
                or linking("label_not").search(seg.strip()):
            return []
        lo = at + len(seg) - len(seg.lstrip())  # the label as the source writes it (粮食全年总产量)
        return [Ind(name, name, cues().canon.get(name), lo, lo + len(seg.strip()))]

    def named_topic(self, seg: str, at: int) -> list[Ind]:
        """钢的产量，一九五八年比…增长: a clause that is a measure's name alone."""
        share = linking("share_in").match(seg)
        name = share["part"] + "占" + share["whole"] + share["m"] if share \
            else linking("topic_of").sub(r"\g<owner>", clean_phrase(seg), count=1)
        if not share and (seg.startswith("在") or linking("topic_not").match(name)) \
                or not (linking("topic_name").match(name) and valid_phrase(name)) \
                or len(split_conj(name)) > 1 and word("respectively") in self.text[at:]:  # …收入以及…收入，分别: two names
            return []
        lo = max(at, self.text.find(seg.strip(), at))
        return [Ind(name, name, cues().canon.get(name), lo, lo + len(seg.strip()))]

    def last_in_clause(self, f: Fig) -> bool:
        """No other figure follows ``f`` in its clause (what follows it is not another's name)."""
        end = self.clause_end(f.end)
        return not any(f.end <= g.start < end for g in self.figs)

    def post_noun(self, f: Fig) -> list[Ind]:
        """其中***个新建项目: the counted noun after a count figure."""
        t = self.text
        end = self.clause_end(f.end)
        if t.startswith("（", end) and "）" in t[end:end + 5]:
            end = self.clause_end(t.index("）", end) + 1)
        nxt = [g.start for g in self.figs if g.start >= f.end]
        if nxt and nxt[0] < end:
            end = nxt[0]
            mark = t.rfind("、", f.end, end)
            # 新增1个产业集群、新入规企业20家: the item after the mark is the next figure's (not in
            # 43所高校、职业院校和538所中小学, where the list runs on to the next figure)
            if mark > f.end and t[end - 1] not in "和及与":
                end = mark
        seg = t[f.end:end]
        if not seg or not HAN.match(seg.lstrip(_OPEN_QUOTES)[:1]):
            return []  # the count ends its clause: what it counts stands before it (新增7名“两院”院士: 两院院士)
        state = linking("count_state").match(pattern("cues", "period", "pattern").sub("", seg))
        if state:  # 11个行业上半年呈负增长: the count of units in that state
            name = state.group("state") + state.group("noun")
            return [Ind(name, name, None, f.end, end)]
        cut = linking("post_cut").search(seg)
        if cut:
            seg = seg[: cut.start()]
        seg = seg.rstrip("和及与、")  # 4个国家区域医疗中心和4个…: the 和 joins the next
        name = clean_phrase(seg)
        if valid_phrase(name) and len(name) <= POST_NOUN_MAX:
            return [Ind(name, name, cues().canon.get(name), f.end, f.end + len(seg))]
        return []

    def region(self, f: Fig, lo: int) -> int:
        """End of the indicator region before ``f``: cut at its growth verb or rank cue."""
        t, hi = self.text, f.start
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

    def ellipsis(self, phrase: str) -> str:
        """旧城棚户区改造开工X万平方米，竣工X万平方米: 竣工 stands for 旧城棚户区改造竣工."""
        if len(phrase) > 2 or len(self.current) != 1:
            return phrase
        prev = self.current[0].name
        words = tokenizer()(prev)
        parallel = phrase_rules()["parallel_words"]
        if len(words) >= 2 and len(words[-1]) == len(phrase) and words[-1] != phrase \
                and words[-1] in parallel and phrase in parallel:  # 开工 / 竣工, not 里程 / 高铁
            return "".join(words[:-1]) + phrase
        return phrase

    def listed(self, lo: int, hi: int, k: int, rank: bool) -> list[Ind] | None:
        """X、Y分别增长a%、b% (k figures for k names, 分别 said or not), or A指标、B指标居全国首位
        (one figure shared by names of four or more characters each)."""
        region = self.text[lo:hi]
        fb = region.find(word("respectively"))
        head = region[:fb] if fb >= 0 else region
        if fb >= 0:  # 食品、纺织、机械等三大产业增加值分别…: the count of the items goes, 等 stays
            head = linking("list_count_word").sub(word("etc"), head)
        if "、" not in head and not may_match(list_mark(), head):
            return None  # no list mark: one name at most (cleaning only takes characters away)
        measure = _measure_after(region[fb + len(word("respectively")):]) if fb >= 0 else ""
        places = bool(measure) and linking("list_places").search(clean_phrase(head)) is not None
        items = linking("list_count_tail").sub("", clean_phrase(head)) if measure else clean_phrase(head)
        items_of = split_items(items, k) if head else []
        if len(items_of) < 2:
            return None  # one name or none: no list (most regions; nothing more to clean)
        parts = [clean_phrase(p) for p in items_of]
        if not all(parts):
            return None
        if places and len(parts) == k:  # 香洲、金湾和斗门三个行政区分别实现地区生产总值…: theirs
            return [Ind(measure, measure, cues().canon.get(measure), lo, lo + len(head), subject=p) for p in parts]
        owned = place_list(parts) if len(parts) == k and not measure else None
        if owned:  # 甘州区、山丹县…肃南县一般预算收入分别完成…: one measure, each place's
            places_, name = owned
            return [Ind(name, name, cues().canon.get(name), lo, lo + len(head), subject=p) for p in places_]
        if measure and len(parts) == k:  # 工业、农业分别实现增加值…: 工业增加值, 农业增加值
            parts = [p + measure for p in parts]
        elif len(parts) == k and (fb >= 0 or "、" in head):
            # 分别 said or not (体育场地面积、藏书增至2.5平方米、1.2万册): k names, k figures;
            # a part may be a name only with the head: 肉、奶产量
            parts = counterparts(share_head(parts))
        elif rank and k == 1 and "、" in head:
            # 水稻、油茶产量位居全国第1, 牛奶、牛肉、羊肉等产量稳居全国首位: each name holds the rank
            parts = share_head(parts)
            if not all(len(p) >= 4 for p in parts):
                return None
        else:
            return None
        if not all(valid_phrase(p) for p in parts):
            return None
        return [Ind(p, p, cues().canon.get(p), lo, lo + len(head)) for p in parts]


def place_list(parts: list[str]) -> tuple[list[str], str] | None:
    """甘州区、山丹县、肃南县一般预算收入 -> ([甘州区, 山丹县, 肃南县], 一般预算收入): a list of
    places (a division's full name, or a masked one: ××镇) whose last holds the measure."""
    if not all(_is_place(p) for p in parts[:-1]):
        return None
    last = parts[-1]
    for n in range(min(len(last) - 2, 8), 1, -1):
        head = last[:n]  # after a list of places, a short head ending so is one (肃南县: 肃南裕固族自治县)
        if (_is_place(head) or head[-1] in _PLACE_ENDS and n <= 4) and valid_phrase(last[n:]):
            return [*parts[:-1], head], last[n:]
    return None


def _is_place(p: str) -> bool:
    if len(p) < 2 or p[-1] not in _PLACE_ENDS:
        return False
    if regex.fullmatch(r"[X×*＊]+", p[:-1]):
        return True
    return divisions.find(p) is not None or len(p) >= 3 and divisions.find(p[:-1]) is not None  # 肃南县: 肃南…自治县


_PLACE_ENDS = "省市县区旗镇乡"


_OPEN_QUOTES = "“‘「『\"'"


def _measure_after(after: str) -> str:
    """The name said after 分别 and before the figures, which each listed item takes: a name
    of the lexicon or a measure word of a list (分别实现地区生产总值, 分别完成投资); "" for verbs
    and anything else (分别增长, 分别比上年, 分别削减, 分别惠及)."""
    m = clean_phrase(after)
    return m if m in cues().canon or m in phrase_rules()["list_heads"] else ""


def _mention_groups(ms: list[Mention], text: str) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in ms:
        if groups and linking("conjunction_only").match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups
