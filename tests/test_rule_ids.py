"""The rule ids in the output are exactly the ids in rules/*.yaml, each with its examples:
every part of every claim's rule chain, on the documents of corpus/ and corpus/genres, rules
alone and with the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from zhibiao.api import Extractor
from zhibiao.dev.rule_cases import cases
from zhibiao.run.files import for_files
from zhibiao.run.pool import Worker, stream

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FOLDERS = ("speeches", "national", "unlabeled", "genres/docs")  # not the held-out pages


def documents() -> list[str]:
    return [str(p) for f in FOLDERS for p in sorted((CORPUS / f).glob("*")) if p.suffix in (".txt", ".html", ".htm")]


def chain_ids(extractor: Extractor) -> dict[str, int]:
    """How often each id appears in the rule chains of the claims (e.g. value.unit+link.lexicon)."""
    seen: dict[str, int] = {}
    for _path, line, _info in stream(documents(), 2, Worker(for_files(extractor))):
        for claim in json.loads(line)["claims"]:
            for rule in claim["rule"].split("+"):
                seen[rule] = seen.get(rule, 0) + 1
    return seen


WITH_EXAMPLES = {c.rule for c in cases() if c.kind == "examples"}


@pytest.mark.parametrize("use_model", [False, None], ids=["rules alone", "with the model"])
def test_every_rule_in_a_claims_chain_is_a_rule_id_with_examples(use_model):
    seen = chain_ids(Extractor(use_model=use_model))
    assert len(documents()) > 100 and sum(seen.values()) > 5000
    assert {r: n for r, n in seen.items() if r not in WITH_EXAMPLES} == {}


def test_the_ids_that_name_a_figure_a_strategy_and_a_kind_all_have_examples():
    for rule in ("value.unit", "growth.verb", "rank.ordinal", "table.cell", "table.row", "link.lexicon",
                 "link.phrase", "link.model", "kind.default", "kind.section"):
        assert rule in WITH_EXAMPLES, rule
