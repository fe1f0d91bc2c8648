"""Attach figures to indicators and build claims, one sentence at a time.

The indicator of each figure group is named by the strategies of ``strategies.py``, tried
in order; the linker then spreads the figures over the names (分别 lists, subjects, 均).
"""

from __future__ import annotations

from ..grammar.figures import Fig, SentenceParts, comma_clause, cues
from ..grammar.numbers import list_mark
from ..ruleset.load import disabled_rules, load_rules, pattern, search_ending
from ..text.gate import may_match
from ..text.rx import HOLD
from . import strategies
from .drafts import Draft, Ind
from .lists import share_both, share_head
from .patterns import linking
from .phrases import clean_phrase, phrase_rules, split_conj, valid_phrase, word
from .view import SentenceView


def _pairs(ind: Ind, before: str) -> list[Ind] | None:
    """城乡居民人均可支配收入分别增长4.4%、5.6%, 省内外游客分别增长…: a paired prefix
    (rules/linking.yaml pairs) before two figures with 分别 is two names, in order."""
    pairs = load_rules("linking")["pairs"]
    whole = next((p for p in sorted(pairs, key=len, reverse=True) if p in ind.name), None)
    if not whole or word("respectively") not in before or len(ind.name) < len(whole) + 2 \
            or list_mark().search(ind.name):
        return None
    head, _, rest = ind.name.partition(whole)
    if len(head) == 1:  # 猪牛羊肉: 牛羊 is no pair after another item of the list
        return None
    return [Ind(n, n, cues().canon.get(n), ind.start, ind.end, ind.method, "link.pairs")
            for n in (head + pairs[whole][0] + rest, head + pairs[whole][1] + rest)]


def _share_if_short(parts: list[str]) -> list[str]:
    """Names of four characters or more each are whole (交通投资、高新技术产业投资), but one
    with no measure word takes the last one's (生态环保、城市更新和水利设施投资: 生态环保投资);
    short items share the last one's head (粮食、棉花、油料产量)."""
    if not all(len(p) >= 4 for p in parts):
        return share_head(parts)
    heads = phrase_rules()["list_heads"]
    tail = next((h for h in sorted(heads, key=len, reverse=True)
                 if parts[-1].endswith(h) and len(parts[-1]) > len(h)), "")
    return [p if not tail or any(p.endswith(h) for h in heads) else p + tail for p in parts[:-1]] + parts[-1:]


class SentenceLinker:
    """Builds the claims of one sentence; ``level`` is the speaker's own level (区, 市…)."""

    def __init__(self, parts: SentenceParts, level: str | None,
                 disabled: frozenset[str] | None = None, carried: str | None = None):
        self.p = parts
        self.t = parts.text
        self.level = level
        # strategies switched off (scripts/rule_ablation.py)
        self.disabled = disabled_rules() if disabled is None else disabled
        self.G: list[Ind] = self._carried(carried)
        self.drafts: list[Draft] = []
        self.current: dict[int, Draft] = {}
        self.main: dict[int, Draft] = {}

    def _carried(self, name: str | None) -> list[Ind]:
        """其中6月当月同比下降17.6%, 分季度看，一季度增长7.2% after a sentence that named the
        indicator: a part of its period opens this one, its figures are that indicator's
        (``name``, the last the sentence before named) until a name of its own is said."""
        if not name or "link.carried" in self.disabled or not linking("carried_open").match(self.t):
            return []
        return [Ind(name, name, cues().canon.get(name), 0, 0, strategy="link.carried")]

    # -- subjects ------------------------------------------------------------
    def subject_of(self, word: str | None) -> str | None:
        if not word:
            return None
        subj = cues().jur_map.get(word, word)
        if self.level and subj == cues().jur_map.get(self.level):  # 全区 in a 区's own speech
            return None
        return subj

    def _with_subject(self, ind: Ind) -> Ind:
        """The subject a name carries: a park, company or town opening it (高新区规上工业增加值),
        else a jurisdiction right before it (全市地区生产总值, in a county's speech)."""
        entity = linking("entity")
        m = entity.match(ind.name, None, None, HOLD) if may_match(entity, ind.name) else None
        if m and valid_phrase(m.group("rest")) and "link.entity" not in self.disabled:
            rest = m.group("rest")
            return Ind(rest, rest, cues().canon.get(rest), ind.start, ind.end, ind.method, ind.strategy,
                       m.group("subject"))
        if "link.entity" in self.disabled:
            return ind
        short = linking("entity_short").match(ind.name, None, None, HOLD)
        if short:
            ind.subject = short.group("subject")
            return ind
        lo = self.p.clause_start(ind.start)
        e = search_ending(linking("entity_before"), self.t, lo, ind.start)
        if e:
            ind.subject = e.group("subject")
        elif ind.canonical and not self.t.startswith("中", ind.end) \
                and search_ending(linking("national_before"), self.t, lo, ind.start):  # (在全国粮食总产量中: a whole)
            ind.subject = self.subject_of("全国")
        return ind

    def choose(self, f: Fig, k: int, prev_end: int) -> list[Ind] | None:
        """New indicator group for the figure group starting with ``f``, or None to keep.

        The rules decide; a model span that agrees marks the choice ``rule+model``; where the
        rules find no indicator at all, a model span in front of the figure names it.
        """
        view = SentenceView(self.t, self.p, tuple(self.G))  # what the strategies read, and no more
        got = strategies.choose(view, f, k, prev_end, self.disabled)
        if got is not None and len(got) == 1 and k == 1 and "link.shared_figure" not in self.disabled:
            got = self._both(got[0], f) or got
        if not self.p.model_spans or f.comparison or f.inherit:
            return got
        lo = max(prev_end, self.p.clause_start(f.start))
        hi = view.region(f, lo)
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
            if valid_phrase(name) and not linking("not_indicator").search(name):
                sp = before[-1]
                return [Ind(name, name, cues().canon.get(name), sp.start, sp.end, "model", "link.model")]
        return None

    def _both(self, ind: Ind, f: Fig) -> list[Ind] | None:
        """非化石能源发电量、用电量占比均超过30%: names joined, one figure held by each (均);
        民间项目投资、交通投资、高新技术产业投资均增长12%: three names, three claims."""
        at = self.t.find(ind.name, ind.start, f.start)
        # 均 right after the names: the figure holds for each (looked at first: most names have none)
        if at < 0 or not self.t.startswith(word("each"), at + len(ind.name)):
            return None
        parts = split_conj(ind.name)
        if len(parts) < 2 or not all(valid_phrase(p) for p in parts):
            return None
        return [Ind(p, p, cues().canon.get(p), ind.start, ind.end, ind.method, "link.shared_figure")
                for p in (share_both(parts) if len(parts) == 2 else _share_if_short(parts))]

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
            if new is not None and len(new) == 1 and len(grp) == 2 and "link.pairs" not in self.disabled:
                new = _pairs(new[0], self.t[self.p.clause_start(first.start):first.start]) or new
            if new and new[0].side_of is not None:
                self._side_group(grp, new)
                prev_end = grp[-1].end
                continue
            if new is not None:
                self.G = [self._with_subject(ind) for ind in new]
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

    def _side_group(self, grp: list[Fig], side: list[Ind]) -> None:
        """A figure derived from the current indicator (占年度计划的24.1%) gets a claim of its
        own; the indicator stays current for what follows (，同比增长16.4%)."""
        named = any(side[0].side_of is g for g in self.G)  # else named in the figure's own clause
        bases = [self._with_subject(s.side_of) for s in side if s.side_of is not None]
        kept = (self.G, self.current, self.main) if named else (bases, {}, {})
        self.G, self.current, self.main = side, {}, {}
        self._distribute(grp, None)
        self.G, self.current, self.main = kept

    def _fenbie_back(self, grp: list[Fig]) -> None:
        """接待游客1200万人次，实现旅游总收入98亿元，分别增长15%和18%: a 分别 list of k
        figures goes back over the k indicators just named, one each."""
        cs = self.p.clause_start(grp[0].start)
        if word("respectively") not in self.t[cs:grp[0].start]:
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
        m = linking("subject_list").search(self.t, 0, self.G[0].start)
        if not m:
            return None
        words = m.group("list").split("、")
        if len(words) != k:
            return None
        return [self.subject_of(w) for w in words]

    def _draft_for(self, i: int, f: Fig, subject: str | None) -> Draft:
        d = self.current.get(i)
        if f.type == "rank" and d is not None and d.side and self.main.get(i) is not None:
            d = self.main[i]  # 低于全省2个百分点，排全省第9位: the rank is the indicator's own
        if f.type == "growth" and d is not None and d.value is not None and d.compared:
            # the level said before the base, else a claim of its own: 将比一九五八年的二千零五十亿元
            # 增长百分之四十 is the 1959 plan's growth, not the 1958 level's
            d = self._compared_level(d, subject)
        if d is None or not d.accepts(f, subject) or self._average_apart(d, f):
            base = self._compared_base(f) if f.type == "value" else None
            d = Draft(self.G[i], method=self.G[i].method, side=f.inherit or f.comparison, period=base,
                      compared=base is not None)
            self.drafts.append(d)
            self.current[i] = d
            if not d.side:
                self.main[i] = d
        return d

    def _compared_base(self, f: Fig) -> str | None:
        """比一九五八年的三亿八千万吨: the year of a level said as a comparison's base, or None."""
        m = linking("compared_base").search(self.t, self.p.clause_start(f.start), f.start)
        return m.group("when") if m else None

    def _compared_level(self, base: Draft, subject: str | None) -> Draft | None:
        """将达到五亿二千万吨，比一九五八年的三亿八千万吨增长百分之三十六: the growth is the level's
        said before the base, of the same indicator, when it has none yet."""
        for d in reversed(self.drafts):
            if d is not base and d.ind.name == base.ind.name and d.value is not None and d.growth is None \
                    and d.subject == subject and not self._compared_base(d.value):
                return d
        return None

    def _average_apart(self, d: Draft, f: Fig) -> bool:
        """达到24.66万亿元，年均增长10.6%: an average per year over a span is a claim of the span,
        apart from the level of its last year."""
        if f.type != "growth" or d.value is None:
            return False
        avg = pattern("cues", "horizon", "average")
        return bool(avg.search(self.t, self.p.clause_start(f.start), f.start, HOLD)) and \
            not avg.search(self.t, self.p.clause_start(d.value.start), d.value.start, HOLD)

    def _clause_subject(self, f: Fig) -> tuple[bool, str | None]:
        """(found, subject) of a jurisdiction or own-area word opening the figure's clause."""
        m = linking("clause_subject").match(self.t, self.p.clause_start(f.start), f.start, HOLD)
        if not m:
            return False, None
        return True, None if m.group("own") else self.subject_of(m.group("jur"))

    def _bracket_benchmark(self, f: Fig) -> str | None:
        """比全省（5.1%）: a benchmark's own rate in brackets after its jurisdiction."""
        m = linking("bracket_subject").search(self.t, max(0, f.start - 28), f.start, HOLD)
        if not m or "link.benchmarks" in self.disabled:
            return None
        f.comparison = True
        word = m.group("word") or ""
        if "降幅" in comma_clause(self.t[:f.start]) and f.number and f.number > 0:
            f.number = -f.number  # 比全省平均降幅（30.6%）: the province's rate fell 30.6%
        rate = any(w in word for w in ("增幅", "增速", "降幅")) or linking("gap_after").match(self.t, f.end)
        if f.type == "value" and f.unit == "%" and rate:
            f.type, f.rule = "growth", "growth.comparison"  # 比全国…收入增幅（13.7%）, 比全省（5.1%）低…个百分点: a rate
        return self.subject_of(m.group("jur") or m.group("jur2"))

    def _place(self, i: int, f: Fig, subject: str | None) -> None:
        if subject is None:
            subject = self._bracket_benchmark(f)
        if subject is None:
            found, said = self._clause_subject(f) if "link.entity" not in self.disabled else (False, None)
            subject = said if found else self.G[i].subject
        d = self.current.get(i)
        if f.comparison and f.type == "value" and d and d.growth is not None:
            f.type, f.rule = "growth", "growth.comparison"
        self._draft_for(i, f, subject).add(f, subject)

    def _as_written(self) -> None:
        """Names and figures that differ in number (工业、服务业增加值分别增长5%、6%、7%): no
        figure goes in silence to a wrong name; the list, as written, names each of them."""
        a, b = self.G[0].start, self.G[-1].end
        name = self.t[a:b] if 0 <= a < b else "、".join(i.name for i in self.G)
        self.G = [Ind(name, name, None, a, b, self.G[0].method, "link.list_as_written")]
        self.current, self.main = {}, {}

    def _distribute(self, grp: list[Fig], subjects: list[str | None] | None) -> None:
        if len(self.G) > 1 and len(grp) > 1 and len(self.G) != len(grp) and "link.listed" not in self.disabled:
            self._as_written()
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

