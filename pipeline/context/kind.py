"""Kind of a claim: an outcome (actual), a goal (target) or an estimate (forecast).

The cues are in rules/cues.yaml ``kind``; their scope: a forecast word governs what follows
it in the sentence, a target word its clause (and 目标/预期 the clause it stands in), a
lead (主要预期目标是) the sentences after it in its paragraph, a plan heading its section.

    >>> from zhibiao.grammar.figures import analyse
    >>> claim_kind(analyse("力争地区生产总值增长6%"), 9, False)
    'target'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..grammar.figures import SentenceParts
from ..ruleset.load import load_rules, pattern


@dataclass(frozen=True)
class KindCues:
    forecast: regex.Pattern
    actual_after: regex.Pattern
    target: regex.Pattern
    target_near: regex.Pattern
    modal: regex.Pattern
    past: regex.Pattern
    done: regex.Pattern
    lead: regex.Pattern
    lead_in_review: regex.Pattern
    local_period: regex.Pattern
    plan_heading: regex.Pattern
    review_heading: regex.Pattern
    lead_reach: int
    period_lead: regex.Pattern
    event: regex.Pattern
    month_mark: regex.Pattern


@functools.lru_cache(maxsize=1)
def kind_cues() -> KindCues:
    k = load_rules("cues")["kind"]
    period = load_rules("cues")["period"]
    return KindCues(
        regex.compile("|".join(k["forecast"])),
        pattern("cues", "kind", "actual_after_forecast"),
        pattern("cues", "kind", "target"),
        pattern("cues", "kind", "target_near"),
        pattern("cues", "kind", "modal"),
        pattern("cues", "kind", "past"),
        pattern("cues", "kind", "done"),
        pattern("cues", "kind", "lead"),
        pattern("cues", "kind", "lead_in_review"),
        pattern("cues", "period", "local_only"),
        pattern("cues", "kind", "plan_heading"),
        pattern("cues", "kind", "review_heading"),
        int(k.get("lead_reach", 12)),
        regex.compile(period.get("context_lead", "(?!)") + "$"),
        pattern("cues", "period", "event"),
        pattern("cues", "calendar", "months"),
    )


def claim_kind(parts: SentenceParts, pos: int, in_target_scope: bool, future: bool = False) -> str:
    """actual, target or forecast for a figure at ``pos`` in a sentence; ``in_target_scope``:
    a goal-list lead or a plan section governs the sentence; ``future``: the figure's period
    is not over when the document speaks (a goal unless the sentence says it is done)."""
    kc = kind_cues()
    s = parts.text
    before = s[:pos]
    fm = None
    for m in kc.forecast.finditer(before):
        fm = m
    if fm is not None:
        return "actual" if kc.actual_after.match(s, fm.end()) else "forecast"
    clause_hi = parts.clause_end(pos)
    if kc.target.search(s, 0, clause_hi) or kc.target_near.search(s, parts.clause_start(pos), clause_hi) \
            or kc.lead.search(s, 0, pos):
        return "target"
    if future:
        return "actual" if kc.done.search(before) else "target"
    if kc.past.search(before):
        return "actual"
    next_hi = parts.clause_end(clause_hi + 1) if clause_hi < len(s) else clause_hi
    if kc.modal.search(s, parts.clause_start(pos), next_hi):
        return "target"
    return "target" if in_target_scope else "actual"
