"""Names the model found that neither the catalogue nor the lexicon holds, with the sentences
they came from, for a person to accept into rules/indicators.yaml (``zhibiao suggest-indicators``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..ruleset.load import load_rules


def unknown_names(docs: Iterable[dict]) -> list[tuple[str, list[str]]]:
    """(name, its sentences) for every name a claim got from the model, not from a rule, that
    rules/indicators.yaml does not know; most frequent first."""
    rules = load_rules("indicators")
    known = {n for e in rules["indicators"] for n in e["names"]} | set(rules["lexicon"])
    found: dict[str, list[str]] = {}
    for d in docs:
        for c in d["claims"]:
            name = c["indicator"]["name"]
            if c["method"] != "rule" and name not in known and not c["indicator"]["canonical"]:
                found.setdefault(name, []).append(c["sentence"]["text_simplified"])
    return sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
