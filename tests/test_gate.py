"""The character gates skip only searches that find nothing: read from a pattern's parse,
every match holds one of the gate's characters, on made-up patterns and on the rules' own
patterns over real sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from zhibiao import extract_file
from zhibiao.context.kind import kind_cues
from zhibiao.grammar.figures import analyse, cues
from zhibiao.io.export import dumps
from zhibiao.linking.patterns import linking
from zhibiao.text import gate
from zhibiao.text.gate import gate_of, may_match, required_chars
from zhibiao.text.ingest import read_document
from zhibiao.text.normalize import normalize
from zhibiao.text.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def test_an_alternation_of_words_requires_one_character_of_each_word():
    assert required_chars("预计|预测|有望") == frozenset("预有")


def test_lookarounds_and_anchors_consume_nothing_so_give_no_character():
    assert required_chars(r"(?<!比)预计(?!数|的)$") == frozenset("预")
    assert required_chars(r"(?<=年)(?=计划)") is None


def test_an_optional_or_empty_part_requires_nothing():
    assert required_chars("截至?") == frozenset("截")
    assert required_chars("(?:截至)?") is None
    assert required_chars("年|") is None
    assert required_chars(r"\d+") is None


def test_the_smallest_set_of_a_sequence_is_taken():
    assert required_chars(r"[一二三四]季度") == frozenset("季")


def test_a_class_of_a_few_characters_is_kept_and_a_wide_or_negated_one_is_not():
    assert required_chars("[万亿]元") == frozenset("元")
    assert required_chars("[万亿]") == frozenset("万亿")
    assert required_chars("[^，]") is None
    assert required_chars("[一-龥]") is None


def test_a_unicode_property_is_any_character_and_the_rest_still_gates():
    assert required_chars(r"\p{Han}{2}年") == frozenset("年")
    assert required_chars(r"[\p{Han}年]") is None


@pytest.mark.parametrize("source, flags", [
    ("(?i)copyright", 0), ("copyright", regex.IGNORECASE), ("(?:年){e<=1}", 0), ("[[:alpha:]]年", 0),
    (r"\m年", 0), ("(?|(a)|(b))", 0),
])
def test_what_regex_may_read_otherwise_gets_no_gate(source, flags):
    assert required_chars(source, flags) is None


def test_may_match_says_no_only_without_the_characters():
    p = regex.compile(r"(?<!比)预计(?!数)|有望")
    assert not may_match(p, "工业增加值增长5%")
    assert may_match(p, "预计数增长5%")  # a 预 is there: searched (and then found nothing)
    assert may_match(p, "有望增长", 0, 2) and not may_match(p, "有望增长", 2, 4)
    assert may_match(regex.compile(r"\d+"), "增长")  # no gate: always searched


def _sentences() -> list[str]:
    docs = sorted((ROOT / "corpus" / "speeches").glob("*.txt"))[:4]
    out = []
    for p in docs:
        w, _ = normalize(read_document(str(p)).text)
        out += [w.text[s.wstart:s.wend] for s in split_sentences(w)]
    return out


def test_the_rules_patterns_never_match_where_their_gate_says_no():
    kc = kind_cues()
    pats = [cues().period, cues().rank, linking("entity"), kc.forecast, kc.target, kc.lead_in_review, kc.target_near,
            kc.modal, kc.done, kc.budget_figure, kc.goal_compare, kc.lead, kc.forecast_lead]
    assert sum(gate_of(p) is not None for p in pats) >= 11  # the gates exist…
    skipped = 0
    for s in _sentences():
        for p in pats:
            for a, b in ((0, len(s)), (0, len(s) // 2), (len(s) // 3, len(s))):
                if not may_match(p, s, a, b):
                    skipped += 1
                    assert p.search(s, a, b) is None, (p.pattern[:40], s)
    assert skipped > 1000  # …and skip most searches


def test_extraction_is_the_same_with_every_gate_off(monkeypatch):
    docs = [*sorted((ROOT / "corpus" / "speeches").glob("*.txt"))[:3],
            *sorted((ROOT / "corpus" / "genres" / "docs").glob("*"))[:8]]
    gated = [dumps(extract_file(str(p), use_model=False).to_dict()) for p in docs]
    monkeypatch.setattr(gate, "gate_of", lambda p: None)
    assert [dumps(extract_file(str(p), use_model=False).to_dict()) for p in docs] == gated


def test_a_sentence_s_mentions_found_when_asked_are_the_lexicon_s_names_in_it():
    for s in _sentences()[:300]:
        assert [(m.start, m.end, m.name) for m in analyse(s).mentions] == cues().lexicon.scan(s)
