"""The compiled helpers and the shortcuts of the extraction path give what the plain
Python path gives, on real text (the corpus), with the compiled parts present and without."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from zhibiao import extract_file
from zhibiao.grammar.figures import analyse, cues
from zhibiao.grammar.numbers import may_hold_number, sentence_gaps
from zhibiao.io.export import dumps
from zhibiao.linking.phrases import ends_with_count_verb, phrase_rules
from zhibiao.text import fast
from zhibiao.text.ingest import read_document
from zhibiao.text.normalize import _FW_THOUSANDS, _HAN_RE, _thousands, detect_script, normalize, to_simplified
from zhibiao.text.segment import split_sentences, tokenizer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [*sorted((ROOT / "corpus" / "speeches").glob("*.txt"))[:2],
           *sorted((ROOT / "corpus" / "genres" / "docs").glob("*"))[:6:2]]


def _lines() -> list[str]:
    return [ln for p in SAMPLES for ln in read_document(str(p)).text.split("\n") if ln.strip()]


def test_lexicon_scan_is_the_same_with_the_automaton_and_with_the_regex():
    names = cues().lexicon
    plain = fast.Names.__new__(fast.Names)
    plain.names, plain._ac, plain._re = names.names, None, names._re
    for line in _lines():
        assert names.scan(line) == plain.scan(line), line


def test_lexicon_scan_takes_the_longest_name_at_the_leftmost_position():
    n = fast.Names(["生产总值", "地区生产总值", "总值增速", "投资"])
    assert n.scan("地区生产总值增速和投资") == [(0, 6, "地区生产总值"), (9, 11, "投资")]


def test_a_name_set_pickles_and_scans_the_same_after(monkeypatch):
    names = cues().lexicon
    back = pickle.loads(pickle.dumps(names))
    assert back.compiled == names.compiled and back.names == names.names
    line = "全市地区生产总值增长5.2%，一般公共预算收入131.2亿元"
    assert back.scan(line) == names.scan(line) and back.scan(line)
    monkeypatch.setenv(fast.PURE_ENV, "1")  # unpickled where the wheel is off: the regex path
    plain = pickle.loads(pickle.dumps(names))
    assert not plain.compiled and plain.scan(line) == names.scan(line)


def test_pure_python_switch_turns_the_automaton_off(monkeypatch):
    monkeypatch.setenv(fast.PURE_ENV, "1")
    assert not fast.Names(["投资"]).compiled
    assert fast.Names(["投资"]).scan("固定资产投资") == [(4, 6, "投资")]


def _pure_output(paths: list[Path]) -> list[str]:
    code = ("import sys\nfrom zhibiao import extract_file\nfrom zhibiao.io.export import dumps\n"
            "for p in sys.argv[1:]:\n    print(dumps(extract_file(p, use_model=False).to_dict()))\n")
    env = {**os.environ, fast.PURE_ENV: "1"}
    out = subprocess.run([sys.executable, "-c", code, *map(str, paths)], env=env, check=True,
                         capture_output=True, text=True, encoding="utf-8").stdout
    return out.splitlines()


def test_extraction_without_the_compiled_parts_is_byte_identical_on_real_documents():
    # the compiled path runs here whenever its wheel is installed (a runtime dependency)
    assert cues().lexicon.compiled or importlib.util.find_spec("ahocorasick_rs") is None
    here = [dumps(extract_file(str(p), use_model=False).to_dict()) for p in SAMPLES]
    assert sum(len(json.loads(x)["claims"]) for x in here) > 100
    assert _pure_output(SAMPLES) == here


def test_count_verb_shortcut_agrees_with_cutting_every_phrase():
    verbs = phrase_rules()["count_verbs"]
    cut = tokenizer()
    phrases = [seg for ln in _lines() for seg in regex.split(r"[\d，。；：、（）]+", ln) if seg][:3000]
    phrases += [p + v for p in phrases[:200] for v in list(verbs)[:3]]
    phrases += [p + v + "了" for p in phrases[:100] for v in list(verbs)[:3]]  # 创建了5个…
    for s in phrases:
        t = s.rstrip()
        words = cut(t[:-1] if t.endswith("了") else s)
        assert ends_with_count_verb(s) == (bool(words) and words[-1] in verbs), s


def _gaps_by_position(original: str, starts, ends, a: int, b: int) -> frozenset[int]:
    return frozenset(j - a for j in range(a + 1, b)
                     if starts[j] > ends[j - 1] and regex.search(r"[ \t\u3000\u00a0]", original[ends[j - 1]:starts[j]]))


@pytest.mark.parametrize("text", ["分别完成 亿元、 亿元，增长 %。\n全年 生产总值 40 42亿元",
                                  "地区生产总值\u3000\u3000131.2亿元，增长9.1%（pīn）。"])
def test_space_gaps_are_the_positions_where_cleaning_removed_spaces(text):
    ot, _ = normalize(text)
    spans = [(a, b) for a in range(0, len(ot.text), 3) for b in range(a, len(ot.text) + 1, 4)]
    got = sentence_gaps(text, ot.starts, ot.ends, spans)
    assert got == [_gaps_by_position(text, ot.starts, ot.ends, a, b) for a, b in spans]
    assert any(got)


def test_space_gaps_of_every_sentence_of_a_page_are_those_found_position_by_position():
    text = (ROOT / "corpus" / "genres" / "docs").glob("*")
    for path in sorted(text)[:12]:
        original = read_document(str(path)).text
        ot, _ = normalize(original)
        spans = [(s.wstart, s.wend) for s in split_sentences(ot)]
        assert sentence_gaps(original, ot.starts, ot.ends, spans) == \
            [_gaps_by_position(original, ot.starts, ot.ends, a, b) for a, b in spans], path.name


def _script_by_hand(text: str, simp: str) -> str:
    text, simp = text[:20000], simp[:20000]
    han = len(_HAN_RE.findall(text))
    changed = sum(a != b for a, b in zip(text, simp, strict=True))
    share = changed / han if han else 0
    return "traditional" if share > 0.08 else "mixed" if share > 0.01 else "simplified"


@pytest.mark.parametrize("text", ["地区生产总值增长5%", "地區生產總值增長5%", "abc 123", "", "統計局：全市生产总值",
                                  "統" + "全市生产总值增长" * 6, "統" + "全市生产总值增长" * 12, "統計" + "生产总值" * 49,
                                  "統計" + "生产总值" * 50, "abc統", "全市生产总值增长" * 3000 + "統計局"])
def test_script_is_read_from_the_share_of_han_characters_opencc_changed(text):
    assert detect_script(text, to_simplified(text)) == _script_by_hand(text, to_simplified(text))


def test_script_of_real_pages_is_read_from_every_changed_character():
    pages = [read_document(str(p)).text for p in sorted((ROOT / "corpus" / "genres" / "docs").glob("*"))]
    mixed = "".join(pages)[:30000]
    for text in [*pages, mixed, mixed.replace("统计", "統計"), mixed.replace("增长", "增長")]:
        assert detect_script(text, to_simplified(text)) == _script_by_hand(text, to_simplified(text))
    assert {detect_script(t, to_simplified(t)) for t in (mixed.replace("统计", "統計"), mixed.replace("增长", "增長"))} \
        - {"simplified"}


@pytest.mark.parametrize("text", ["增长 %。", "一般公共预算收入分别完成 亿元、 亿元", "粮食产量居全国首位",
                                  "增长百分之五", "排名第一", "完成X万元", "突破万亿元", "二○二五年", "提高____个百分点",
                                  "全面深化改革，推动高质量发展。"])
def test_the_number_gate_changes_nothing_a_sentence_yields(text):
    assert analyse(text) == analyse(text, gate=False)


def test_the_number_gate_changes_nothing_on_real_sentences():
    sentences = [s for ln in _lines() for s in regex.split(r"(?<=[。；！？])", ln) if s]
    assert sum(not may_hold_number(s) for s in sentences) > 100  # the gate does skip sentences
    for s in sentences:
        assert analyse(s) == analyse(s, gate=False), s


@pytest.mark.parametrize("text", ["１，２３４万元", "增长15，234家", "10，600万吨，1，484万辆", "7.8，234家",
                                  "１２，３４５，６７８人", "，123", "1，2345", "12，345.6，789", "增长1，234，567元"])
def test_thousands_commas_are_found_where_a_scan_of_every_position_finds_them(text):
    want = _FW_THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text)
    assert _thousands(text) == want


def test_thousands_commas_on_real_reports_are_the_full_scans():
    for p in sorted((ROOT / "corpus" / "national").glob("*.txt"))[:8]:
        text = read_document(str(p)).text
        assert _thousands(text) == _FW_THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text)


def test_a_clause_starts_after_the_last_mark_before_a_position_and_ends_at_the_next():
    for path in SAMPLES[:2]:
        for line in read_document(str(path)).text.splitlines()[:80]:
            parts = analyse(line)
            marks = parts.clause_starts
            for pos in range(len(line) + 1):
                assert parts.clause_start(pos) == max(c for c in marks if c <= pos)
                assert parts.clause_end(pos) == min([c - 1 for c in marks if c > pos] + [len(line)])
    parts = analyse("工业增长5%，投资增长3%。")
    assert (parts.clause_start(8), parts.clause_end(8)) == (7, 13)


@pytest.mark.parametrize("n", [0, 1, 40, 131071, 131072, 131073, 300000])
def test_a_fresh_offset_map_maps_each_character_to_itself_whatever_the_length(n):
    from array import array

    from zhibiao.text.offsets import OffsetText

    ot = OffsetText("增" * n)
    ot.starts.append(-1)  # each map is its own copy: changing one leaves the next intact
    again = OffsetText("长" * n)
    assert again.starts == array("q", range(n)) and again.ends == array("q", range(1, n + 1))
    edited = again.sub(__import__("re").compile("长长"), "增")
    for m in (again, edited):  # 4 bytes an offset, as the maps an edit makes
        assert m.starts.typecode == m.ends.typecode == "i" and m.starts.itemsize == 4
    assert again.original_span(0, n) == ((0, n) if n else (0, 0))


def _sentences() -> list[str]:
    return [s for ln in _lines() for s in regex.split(r"(?<=[。；！？])", ln) if s]


@pytest.mark.parametrize("text", ["COPYRIGHT 2026 某市人民政府", "icp备05001号", "ICP备05001号", "HTTPS://x.cn",
                                  "  发布时间：2026-01-02", "据悉 发布时间：", " • 传 真:0571", "供参考", "参考兄弟区县经验", ""])
def test_boilerplate_lines_are_those_the_alternation_of_the_line_patterns_finds(text):
    from zhibiao.ruleset.load import load_rules
    from zhibiao.text.normalize import _compiled

    alternation = regex.compile("|".join(f"(?:{p})" for p in load_rules("normalize")["boilerplate"]["line_patterns"]))
    assert _compiled()["line"].search(text) == bool(alternation.search(text))


def test_boilerplate_lines_of_real_pages_are_those_the_alternation_finds():
    from zhibiao.ruleset.load import load_rules
    from zhibiao.text.normalize import _compiled

    alternation = regex.compile("|".join(f"(?:{p})" for p in load_rules("normalize")["boilerplate"]["line_patterns"]))
    lines = _lines() + ["推荐阅读：2025年政府工作报告", "版权所有：某某市人民政府办公室"]
    assert [_compiled()["line"].search(ln) for ln in lines] == [bool(alternation.search(ln)) for ln in lines]
    assert any(_compiled()["line"].search(ln) for ln in lines)


def test_full_width_characters_are_made_ascii_as_the_translation_table_does():
    from zhibiao.text.normalize import _FULLWIDTH, _FULLWIDTH_RE, _FULLWIDTH_TABLE, _fullwidth_char, halfwidth

    every = "".join(_FULLWIDTH) + "地区生产总值增长５．２％，ＧＤＰ\u3000１２３４亿元\r\n"
    for text in [every, *_lines()]:
        assert _FULLWIDTH_RE.sub(_fullwidth_char, text) == text.translate(_FULLWIDTH_TABLE)
    assert halfwidth("增长５．２％，ＧＤＰ\u3000１２３４亿元") == "增长5.2%，GDP 1234亿元"


def test_a_search_that_must_end_at_its_window_end_finds_what_the_plain_search_finds():
    from zhibiao.linking.patterns import linking
    from zhibiao.ruleset.load import pattern, search_ending

    pats = [linking("entity_before"), pattern("cues", "kind", "budget_figure"), pattern("cues", "roles", "compared"),
            regex.compile(r"(?:全国|全省)[^，]{0,6}"), regex.compile(r"(?<=市)\p{Han}{2}$")]
    found = 0
    for s in _sentences()[:400] + ["全市规模以上工业企业实现营业收入", "高新区实现", "较全国平均水平"]:
        for hi in range(len(s) + 1):
            for lo in {0, max(0, hi - 12)}:
                for p in pats:
                    got, want = search_ending(p, s, lo, hi), p.search(s, lo, hi)
                    assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))
                    found += want is not None
    assert found > 50


def test_the_grammar_patterns_the_standard_re_runs_find_what_regex_finds_in_real_sentences():
    from zhibiao.grammar.numbers import grammar

    g = grammar()
    pats = [p for p in (g.blank, g.lost, g.bare_scale) if not isinstance(p, regex.Pattern)]
    assert pats  # words and classes only: the standard re compiles them
    sentences = _sentences() + ["分别完成 亿元、 亿元。", "比上年增长7.8，", "突破万亿元，超千亿元。"]
    found = 0
    for p in pats:
        twin = regex.compile(p.pattern)
        for s in sentences:
            got = [(m.span(), m.groupdict()) for m in p.finditer(s)]
            assert got == [(m.span(), m.groupdict()) for m in twin.finditer(s)], s
            found += len(got)
    assert found >= 3


def test_a_pattern_only_regex_reads_is_compiled_by_regex():
    from zhibiao.grammar.numbers import plain

    assert isinstance(plain(r"\p{Han}+亿元"), regex.Pattern)
    assert isinstance(plain(r"(?<=增长|下降了)\d+"), regex.Pattern)  # a lookbehind of two lengths
    assert isinstance(plain(r"[[a]"), regex.Pattern)  # a set re may one day read as nested
    assert not isinstance(plain(r"(?:完成|实现)\d+亿元"), regex.Pattern)


def test_a_clause_start_looked_back_for_is_where_a_step_per_character_stops():
    from zhibiao.grammar.figures import CLAUSE, clause_start_within

    def by_steps(text: str, pos: int) -> int:
        cs = pos
        while cs > 0 and not CLAUSE.match(text, cs - 1) and pos - cs < 40:
            cs -= 1
        return cs

    for s in _sentences()[:300] + ["，" * 50, "增" * 90, ""]:
        for pos in range(len(s) + 1):
            assert clause_start_within(s, pos) == by_steps(s, pos), (s, pos)
    assert clause_start_within("全县12个乡镇中，9家参会企业", 10) == 9


@pytest.mark.parametrize("n", [0, 1, 2, 33, 34, 100, 5000])
def test_the_offset_map_jumps_are_every_position_after_a_removed_stretch(n):
    import operator
    import random
    from array import array
    from itertools import compress

    from zhibiao.grammar.numbers import _jumps

    rnd = random.Random(n)
    for _ in range(20):
        starts, at = [], 0
        for _ in range(n):  # now and then a stretch removed (a jump), or a character mapped back (no jump)
            at += rnd.choice([0, 1, 1, 1, 1, 1, 1, 1, 1, 3]) if starts else rnd.choice([0, 2])
            starts.append(at)
        ends = [s + 1 for s in starts]
        want = list(compress(range(1, n), map(operator.gt, starts[1:], ends[:n - 1])))
        assert _jumps(array("i", starts), array("i", ends)) == want
        assert _jumps(starts, ends) == want


def test_memoised_cuts_are_jiebas_own_and_each_call_gets_its_own_list():
    from zhibiao.text import segment
    from zhibiao.text.segment import base_words, clear_cuts, lexicon_jieba

    cut = tokenizer("jieba")
    phrases = [s[i:i + n] for s in _sentences()[:200] for i in range(0, len(s), 7) for n in (4, 9)]
    for p in phrases + phrases:  # the second time from the memo
        assert cut(p) == lexicon_jieba().lcut(p, HMM=False)
        assert base_words(p) == segment._jieba_base().lcut(p, HMM=False)
    words = cut("规模以上工业增加值增长")
    words.append("x")  # a caller that changes its list changes no other's
    assert cut("规模以上工业增加值增长") == lexicon_jieba().lcut("规模以上工业增加值增长", HMM=False)
    assert cut.memo
    clear_cuts()
    assert not cut.memo and not tokenizer("jieba").memo


def test_a_line_ends_a_sentence_read_backwards_where_a_forward_search_says_it_does():
    from zhibiao.ruleset.load import load_rules
    from zhibiao.text.normalize import _compiled

    forward = regex.compile(load_rules("normalize")["line_joins"]["sentence_end"])
    lines = [ln.strip() for ln in _lines()] + ["增长5.2%。”", "（一）经济实力显著增强。全面落实", "比上年增长）  ", "", "…"]
    ends = [bool(_compiled()["sentence_end"].search(ln)) for ln in lines]
    assert ends == [bool(forward.search(ln)) for ln in lines]
    assert any(ends) and not all(ends)


def test_space_table_rows_are_found_as_testing_every_line_finds_them():
    from zhibiao.text.normalize import _compiled, _space_table_lines

    def every_line(lines, row, gap):  # the loop as it was: each line's columns counted first
        out, i = [], 0
        while i < len(lines):
            n = len(gap.split(lines[i].strip()))
            j = i
            while j < len(lines) and row.match(lines[j]) and len(gap.split(lines[j].strip())) in (n, n - 1):
                j += 1
            if j - i >= 2:
                head = i - 1
                if head >= 0 and not row.match(lines[head]) and len(gap.split(lines[head].strip())) == n:
                    out.append(head)
                out.extend(range(i, j))
            i = max(j, i + 1)
        return out

    c = _compiled()
    table = ["主要产品产量", "产品名称 产量 比上年增长%", "粮食 21774 0.99", "棉花 3.2 -5.1", "油料 11 2", "全年增长5%。"]
    short = ["指标 单位 2020年 2025年", "生产总值 亿元 792.6 1140", "财政收入 亿元 50 70", "人口 万人 120"]  # a last cell empty
    for lines in (table, short, _lines() + table, ["粮食 21774 0.99"], []):
        assert _space_table_lines(lines, c["space_row"], c["space_gap"]) == every_line(lines, c["space_row"], c["space_gap"])
    assert _space_table_lines(table, c["space_row"], c["space_gap"]) == [1, 2, 3, 4]


def test_the_patterns_searched_holding_the_gil_are_regex_patterns_and_find_the_same():
    """``text.rx.HOLD`` is regex's ``concurrent=False``: ``re`` takes no such argument, so every
    pattern the hot calls pass it to must be a ``regex`` one; and what they find is the same."""
    from zhibiao.context.kind import kind_cues
    from zhibiao.grammar.numbers import _number_chars, grammar, list_mark
    from zhibiao.text.rx import HOLD

    cz, kc, g = cues(), kind_cues(), grammar()
    held = [cz.period, cz.denominator, cz.counted, cz.growth_multi, cz.growth_single, cz.not_before, cz.noun_after,
            cz.not_noun, cz.threshold_before, *[p for pair in cz.rate_attributes for p in pair],
            *[getattr(kc, f) for f in kc.__dataclass_fields__ if not isinstance(getattr(kc, f), int | frozenset)],
            g.pattern, g.not_after, g.not_mask, *g.not_followed.values(), _number_chars(), list_mark(),
            *(phrase_rules()[k] for k in ("lead", "head", "tail", "duration", "inside", "period_inside", "period_word"))]
    assert all(isinstance(p, regex.Pattern) for p in held)
    found = 0
    for s in _sentences()[:300]:
        for p in (cz.period, g.pattern, kc.target, kc.done, phrase_rules()["lead"]):
            want = [(m.span(), m.groupdict()) for m in p.finditer(s)]
            assert [(m.span(), m.groupdict()) for m in p.finditer(s, None, None, False, HOLD)] == want
            m, w = p.search(s, 3, None, HOLD), p.search(s, 3)
            assert (m and m.span()) == (w and w.span())
            found += len(want)
        assert list_mark().split(s, 0, HOLD) == list_mark().split(s)
    assert found > 100
