"""What a sentence inherits from the paragraphs and sections before it: the period a
heading or a paragraph's opening sets, the list a lead opens (a goal list, 预计 opening a
list), and whether its section looks back (a review) or ahead (a plan). ``open`` before a
sentence's claims, ``close`` after them. A streamed document passes the state from one chunk
to the next (``state`` / ``Scope(**state)``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import regex

from ..document import Sentence
from ..grammar.figures import SentenceParts
from ..ruleset.load import load_rules, pattern
from ..text.gate import may_match
from ..text.rx import HOLD
from .kind import kind_cues
from .period import merge_periods
from .sections import is_heading, is_top_heading

LIST_END = ("。", "！", "？")
LEAD_TAIL = 15  # a lead closing its sentence (…确保完成各项目标任务。) opens a list only if what follows says so
_ONE_MONTH = regex.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?$")  # one month alone (3月份)
_LIST_FOLLOWS = regex.compile(r"\W{0,3}(?:即|也就是|具体(?:是|为|来说|而言)?|主要是|包括)")
_DETAIL = regex.compile(r"\W{0,2}其中")  # 其中：区本级体制收入57.08亿元… details the sentence before
_SAME_BELOW = regex.compile(r"[（(]下同[）)]")  # 预计（下同）: the estimate holds for what follows
_WHOLE_YEAR = regex.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年|去年|今年|上年")
_DAY = regex.compile(r"\d{1,2}日")  # 2012年3月19日: a date (a dateline), no period of the figures
_COMPARED = regex.compile("同比|比上年|较上年|比去年|较去年")  # a result stated opens no goal list
LIST_OPEN = ("；", ";", "：", ":")
# 预计 that opens a paragraph (预计全年…, 2023年预计…), not one deep in its first sentence's subject
_FORECAST_OPENS = regex.compile(r"^\W{0,3}(?:[^，。；预]{0,8}?[，,])?[^，。；预]{0,8}?(?:预计|预测|预估)")


@dataclass
class Scope:
    period: str | None = None  # the period the section or paragraph sets
    year_ref: str | None = None  # the last of them that names a year (全年 resolves in it)
    default_period: str | None = None  # the document's own (a communiqué's year), never reset
    plan_period: str | None = None  # the year a work report's or a budget's plan sections speak of
    paragraph: int = -1
    target_until: int = -1  # sentences up to this index follow a goal-list lead
    forecast_list: bool = False  # 预计 opened a list that has not ended (预计，全年…；…；…。)
    forecast_paragraph: int = -1  # 预计 opened this paragraph: it governs the whole paragraph
    first: bool = False  # the sentence now open is its paragraph's first
    pending_lead: int = -1  # a sentence that closed with a goal lead (…各项目标任务。)
    said_kind: str | None = None  # the kind words gave the last sentence's figures (其中… inherits it)
    section: str | None = None  # review | plan: what the section (or a paragraph's opening) says
    opened: bool = False  # the section was set by a paragraph's opening, not a heading
    heading: bool = False  # the sentence now open is a heading
    names: tuple[str, ...] = ()  # the names the open sentence's claims took, in order
    names_before: tuple[str, ...] = ()  # the sentence before's, in the same paragraph
    said_now: str | None = None  # the period the open sentence's claims said first
    said_before: str | None = None  # the period the sentence before said (其中… inherits it)

    def state(self) -> dict:
        """What carries over to the next chunk of a streamed document."""
        keep = ("period", "year_ref", "default_period", "plan_period", "forecast_list", "section",
                "opened")  # paragraphs restart
        return {k: v for k, v in asdict(self).items() if k in keep}

    def open(self, sent: Sentence, text: str) -> None:
        kc = kind_cues()
        first = self.first = sent.paragraph != self.paragraph
        self.names_before, self.names = (() if first else self.names), ()
        self.said_before, self.said_now = (None if first else self.said_now), None
        if first:
            self.paragraph, self.target_until, self.said_kind = sent.paragraph, -1, None
            if self.forecast_paragraph >= 0:  # the paragraph 预计 opened is over
                self.forecast_list, self.forecast_paragraph = False, -1
            if kc.review_opening.match(text):
                self.section, self.opened = "review", True
            elif self.opened and kc.plan_opening.match(text):
                self.section, self.opened = None, False  # 今年… after a pasted review: it ends
        if self.pending_lead == sent.index - 1 and _LIST_FOLLOWS.match(text, None, None, HOLD):
            self.target_until = sent.index + kc.lead_reach
        self.heading = first and is_heading(text)
        if self.heading:
            self.forecast_list = False
            if self.opened:  # a review a paragraph opened lasts to the next heading
                self.section, self.opened = None, False
        if self.heading and is_top_heading(text):
            self.section = "review" if kc.review_heading.search(text) else \
                "plan" if kc.plan_heading.search(text) else None
            # 三、全力抓好七项重点工作 names no year: a work report's plan is for the year it speaks in
            self.period = self.year_ref = self.plan_period if self.section == "plan" and self.plan_period \
                else self.default_period

    @staticmethod
    def _event(text: str, period: tuple[int, int, str]) -> bool:
        """A month or a day followed by what happened then (2023年6月，总书记来考察): the date of
        an event; a bare year (刚刚过去的2025年，…考察) still sets the period."""
        return kind_cues().month_mark.search(period[2]) is not None and \
            kind_cues().event.match(text, period[1]) is not None

    def _set_period(self, periods: list, text: str, parts: SentenceParts) -> None:
        """A heading's, a paragraph opening's or a figureless sentence's period sets it for what
        follows; 全年/年末 only when it opens a paragraph, and then 全年 keeps the year the
        section speaks of (``year_ref``: 全年 in 一、2024年工作回顾 is 2024)."""
        if not periods:
            return
        p = periods[0]
        if self._event(text, p) or _DAY.match(text, p[1]):
            return
        kc = kind_cues()
        if kc.local_period.match(p[2]):
            if kc.carried_local.match(p[2]) and p[0] <= 3 and (self.first or text.rstrip().endswith(LIST_OPEN)):
                self.period = p[2]  # 全年… opening a paragraph or a ；-list
            return
        if self._to_date_within(p, text):
            return
        if not (self.first or self.heading) and _ONE_MONTH.match(p[2]):
            return  # 3月份当月增长9.3% inside a paragraph on the quarter: the month's figure, not the period
        if self.heading or p[0] <= 1 or kc.period_lead.match(text[:p[0]]) or self._opening(p, parts):
            self.period = self.year_ref = p[2]

    def _to_date_within(self, period: tuple[int, int, str], text: str) -> bool:
        """今年以来 opening a paragraph under a heading's part of the year (第一季度, 1-4月): the
        year so far is that part, which stays the period (cues.yaml period.to_date)."""
        this_year = load_rules("cues")["calendar"]["deictic"].get(period[2]) == 0
        return bool(this_year and self.first and self.period and period[0] <= 1
                    and pattern("cues", "period", "to_date").match(text, period[1])
                    and pattern("cues", "period", "part_of_year").search(self.period))

    def _opening(self, period: tuple[int, int, str], parts: SentenceParts) -> bool:
        """A paragraph's first sentence naming its period before any figure (张杰明介绍，去年市本级…,
        在回顾2015年…时): the period of the paragraph and of what follows."""
        if not parts.figs:  # 在回顾2015年和“十二五”工作时，…: a sentence with no figure names the year
            return period[0] <= 30 and bool(_WHOLE_YEAR.fullmatch(period[2])) \
                and not pattern("cues", "period", "since").match(parts.text, period[1])  # 创2006年以来新高
        if period[0] > 0 and parts.text[period[0] - 1] in load_rules("cues")["roles"]["from_words"]:
            return False  # 常住人口城镇化率从2020年的53.2%提升到…: the from-figure's year, no paragraph's
        return self.first and period[1] <= parts.figs[0].start and period[0] <= 30

    def detail_period(self, text: str) -> str | None:
        """The period of the sentence before, for one that details it (1-4月份，全县固定资产投资
        完成41亿元。其中城镇固定资产投资完成32.1亿元: 1-4月份)."""
        return self.said_before if _DETAIL.match(text, None, None, HOLD) else None

    def lead(self, index: int, text: str = "") -> str | None:
        """The kind a lead before sentence ``index`` gives its figures: a forecast list, a goal
        list, or the sentence before when this one details it (其中：…)."""
        if _DETAIL.match(text, None, None, HOLD) and self.said_kind:
            return self.said_kind
        if self.forecast_list:
            return "forecast"
        return "target" if index <= self.target_until else None

    def close(self, sent: Sentence, text: str, parts: SentenceParts) -> None:
        kc = kind_cues()
        self._set_period(merge_periods(parts.periods), text, parts)
        # a lead opens a list of goals; in a review (确保…落实) it reports what was done
        lead = kc.lead_in_review if self.section == "review" else kc.lead
        m = lead.search(text, None, None, HOLD) if may_match(lead, text) else None
        end = text.rstrip()
        self.pending_lead = -1
        if m and not kc.done.search(text) and not _COMPARED.search(text):
            if kc.lead_in_review.search(text) or end.endswith(LIST_OPEN):
                self.target_until = sent.index + kc.lead_reach  # an explicit goal list, or a lead opening a list
            elif len(end) - m.end() <= LEAD_TAIL:
                self.pending_lead = sent.index  # …确定的各项目标任务。即“…”: a list if the next sentence says so
        if kc.forecast_lead.match(text, None, None, HOLD) and (self.first and _FORECAST_OPENS.match(text) or end.endswith(LIST_OPEN)
                                              or _SAME_BELOW.search(text)):
            self.forecast_list = True  # 预计 opening a paragraph or a list (or 预计（下同）): it governs them
            if self.first or _SAME_BELOW.search(text):
                self.forecast_paragraph = sent.paragraph
        elif end.endswith(LIST_END) and self.forecast_paragraph != sent.paragraph:
            self.forecast_list = False
