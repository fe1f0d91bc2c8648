"""The linking strategies read their sentence through a frozen view, never the linker."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from zhibiao.grammar.figures import analyse
from zhibiao.linking import strategies
from zhibiao.linking.linker import SentenceLinker
from zhibiao.linking.view import SentenceView


def test_every_strategy_takes_the_view_and_the_attempt():
    for s in strategies.STRATEGIES:
        params = list(inspect.signature(s.run).parameters.values())
        assert [p.annotation for p in params] == ["SentenceView", "Attempt"], s.name


def test_strategies_read_the_sentence_through_a_frozen_view_with_the_names_before(monkeypatch):
    seen: list[SentenceView] = []
    spy = strategies.Strategy("link.spy", lambda v, a: seen.append(v))  # answers None: not mine
    monkeypatch.setattr(strategies, "STRATEGIES", (spy, *strategies.STRATEGIES))
    drafts = SentenceLinker(analyse("全市地区生产总值增长5.2%，规上工业增加值增长6.1%"), None).run()
    assert [d.ind.name for d in drafts] == ["地区生产总值", "规上工业增加值"]
    assert len(seen) == 2 and all(isinstance(v, SentenceView) for v in seen)
    assert seen[0].current == () and [i.name for i in seen[1].current] == ["地区生产总值"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        seen[0].current = ()  # type: ignore[misc]


def test_the_view_names_the_counted_noun_after_a_count():
    text = "全年开工项目120个，其中35个新建项目，总投资80亿元"
    v = SentenceView(text, analyse(text))
    count = next(f for f in v.figs if f.text.startswith("35"))
    assert [i.name for i in v.post_noun(count)] == ["新建项目"]


@pytest.mark.parametrize("text, names", [
    ("出口和进口分别增长5%、8%", ["出口", "进口"]),
    ("粮食、棉花产量分别增长2%、3%", ["粮食产量", "棉花产量"]),
    ("地区生产总值增长5%、8%", None),  # no list mark before the figures: no list of names
])
def test_the_view_reads_a_list_of_names_only_where_a_list_mark_joins_them(text, names):
    v = SentenceView(text, analyse(text))
    got = v.listed(0, text.index("增长"), 2, False)
    assert (None if got is None else [i.name for i in got]) == names
