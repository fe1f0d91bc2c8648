"""A word list written as a tree of shared beginnings matches as the plain alternation of
the words, longest first, does: the same spans and groups, on made-up words and on the
units of the number grammar over real report text."""

from __future__ import annotations

import random
import re
from pathlib import Path

import regex
from zhibiao.grammar.numbers import grammar, word_alternation
from zhibiao.text.ingest import read_document

ROOT = Path(__file__).resolve().parent.parent


def _longest_first(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


def test_a_word_that_longer_words_go_on_from_is_tried_after_them():
    p = regex.compile(word_alternation(["万", "万元", "万元人民币", "亿元"]))
    assert [m.group(0) for m in p.finditer("万元人民币，万元，万吨，亿元")] == ["万元人民币", "万元", "万", "亿元"]


def test_a_shorter_word_still_matches_where_a_longer_one_fails_what_follows():
    p = regex.compile(f"(?:{word_alternation(['万', '万元'])})(?=吨|$)")
    assert p.search("3万吨").group(0) == "万"


def test_no_word_matches_nothing():
    assert regex.search(word_alternation([]), "任何文字") is None


def test_random_word_lists_match_as_their_longest_first_alternation():
    rnd = random.Random(7)
    alphabet = "万亿元吨个人次百分点千瓦时/"
    for _ in range(200):
        words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(1, 12))]
        text = "".join(rnd.choice(alphabet + "，的") for _ in range(60))
        for engine in (re, regex):
            tree = engine.compile(f"(?P<w>{word_alternation(words)})(?=[，的]|$)")
            plain = engine.compile(f"(?P<w>{_longest_first(words)})(?=[，的]|$)")
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], words


def test_the_number_grammar_finds_the_same_matches_as_with_its_units_longest_first():
    g = grammar()
    tree = word_alternation(g.units)
    plain_alt = _longest_first(list(g.units))
    number = regex.compile(g.pattern.pattern.replace(tree, plain_alt))
    blank = re.compile(g.blank.pattern.replace(tree, plain_alt))
    assert number.pattern != g.pattern.pattern and blank.pattern != g.blank.pattern
    reports = sorted((ROOT / "corpus" / "speeches").glob("*.txt"))[:5]
    lines = [ln for p in reports for ln in read_document(str(p)).text.split("\n") if ln.strip()]
    found = 0
    for line in lines:
        got = [m.span() + m.groups() for m in g.pattern.finditer(line)]
        assert got == [m.span() + m.groups() for m in number.finditer(line)], line
        assert [m.span() for m in g.blank.finditer(line)] == [m.span() for m in blank.finditer(line)], line
        found += len(got)
    assert found > 500
