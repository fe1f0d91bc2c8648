"""What linking builds: named indicators (``Ind``) and the claims in the making (``Draft``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..grammar.figures import Fig


@dataclass(slots=True)
class Ind:
    text: str
    name: str
    canonical: str | None
    start: int
    end: int
    method: str = "rule"
    strategy: str | None = None  # the linking strategy that named it (link.phrase…)
    subject: str | None = None  # whose figure the name says it is (全市…, 高新区, 华为公司)
    # derived from this indicator (its completion rate, its share): it stays current after
    side_of: Ind | None = None


@dataclass(slots=True)
class Draft:
    ind: Ind
    value: Fig | None = None
    growth: Fig | None = None
    ranks: list[Fig] = field(default_factory=list)
    subject: str | None = None
    method: str = "rule"
    rules: list[str] = field(default_factory=list)
    side: bool = False  # a benchmark or gap claim beside the indicator's own figures
    period: str | None = None  # the period a table's column header gives its figures (1-6月, 2022年)
    horizon: str | None = None  # a table's 年均增长 column: an average over the span
    kind: str | None = None  # a table's budget column (调整预算数): a goal, whatever the words say
    compared: bool = False  # a level said as a comparison's base (比一九五二年的…): its period is that year

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
