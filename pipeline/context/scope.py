"""What a sentence inherits from the paragraphs and sections before it: the period a
heading or a paragraph's opening sets, and whether a goal-list lead or a plan section
makes its figures targets. ``open`` before a sentence's claims, ``close`` after them."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Sentence
from ..grammar.figures import SentenceParts
from .kind import kind_cues
from .period import merge_periods
from .sections import is_heading, is_top_heading


@dataclass
class Scope:
    period: str | None = None  # the period the section or paragraph sets
    paragraph: int = -1
    target_until: int = -1  # sentences up to this index follow a goal-list lead
    section_target: bool = False  # inside a plan section (工作安排, 主要目标…)
    heading: bool = False  # the sentence now open is a heading
    review: bool = False  # inside a section that looks back (回顾, 成绩…)

    def open(self, sent: Sentence, text: str) -> None:
        first = sent.paragraph != self.paragraph
        if first:
            self.paragraph, self.target_until = sent.paragraph, -1
        self.heading = first and is_heading(text)
        if self.heading and is_top_heading(text):
            self.period = None
            kc = kind_cues()
            self.review = bool(kc.review_heading.search(text))
            if self.review:
                self.section_target = False
            elif kc.plan_heading.search(text):
                self.section_target = True

    @staticmethod
    def _event(text: str, period: tuple[int, int, str]) -> bool:
        """A month or a day followed by what happened then (2023年6月，总书记来考察): the date of
        an event; a bare year (刚刚过去的2025年，…考察) still sets the period."""
        return kind_cues().month_mark.search(period[2]) is not None and \
            kind_cues().event.match(text, period[1]) is not None

    def targets(self, index: int) -> bool:
        """A lead or the section makes the figures of sentence ``index`` targets."""
        return index <= self.target_until or self.section_target

    def close(self, sent: Sentence, text: str, parts: SentenceParts) -> None:
        kc = kind_cues()
        periods = merge_periods(parts.periods)
        if periods and (self.heading or periods[0][0] <= 1 or kc.period_lead.match(text[:periods[0][0]])) \
                and not kc.local_period.match(periods[0][2]) and not self._event(text, periods[0]):
            self.period = periods[0][2]
        # a lead opens a list of goals; in a review (确保…落实) it reports what was done
        lead = kc.lead_in_review if self.review else kc.lead
        if lead.search(text) and not kc.past.search(text):
            self.target_until = sent.index + kc.lead_reach
