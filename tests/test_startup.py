"""Start-up shortcuts change nothing but time: jieba's dictionary, rule checks, claim dicts."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from zhibiao import extract_text
from zhibiao.cache import cached_bytes
from zhibiao.ruleset.load import RuleError, load_rule_file, rules_dir
from zhibiao.text import jieba_dict as jieba_loader

SAMPLE = "全市规上工业增加值增长9.1%，一般公共预算收入131.2亿元，列全省第3位，城镇调查失业率5.5%左右。"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBIAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(jieba_loader, "_BLOCKS", {})  # nothing loaded in this process yet
    return tmp_path / "cache"


def _report_text() -> str:
    folder = Path(__file__).resolve().parent.parent / "corpus" / "unlabeled"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:4])


def test_cached_dictionary_cuts_as_jieba(cache):
    jieba = jieba_loader.import_jieba()
    own = jieba.Tokenizer()
    own.initialize()
    text = _report_text()
    first = jieba_loader.tokenizer()  # builds the cache entry
    jieba_loader._BLOCKS.clear()
    again = jieba_loader.tokenizer()  # reads it
    assert len(list(cache.iterdir())) == 1
    third = jieba_loader.tokenizer()  # shares the loaded data, not the filled entries
    assert third.blocks is again.blocks and third.FREQ is not again.FREQ
    for tk in (first, again):
        assert tk.total == own.total
        assert len(tk.FREQ) < len(own.FREQ) // 10  # filled on demand, not loaded whole
        assert tk.lcut(text, HMM=False) == own.lcut(text, HMM=False)
        assert tk.lcut(text, HMM=True) == own.lcut(text, HMM=True)
        assert 0 < len(tk.FREQ) < len(own.FREQ)
        assert all(own.FREQ[w] == n for w, n in tk.FREQ.items())  # every entry is jieba's
    for w in ("生产总值", "生产", "增长率", "生产总", "不是一个词语", "区"):
        assert first.word_count(w) == (own.FREQ.get(w) or 0)


def test_packed_dictionary_holds_exactly_jiebas_prefix_dictionary():
    """Built line by line (not from jieba's own dict), every entry and count is jieba's:
    words, prefixes at 0, a repeated word's last count, the total."""
    jieba = jieba_loader.import_jieba()
    path = jieba_loader._dict_path(jieba)
    with open(path, "rb") as fh:
        own, total = jieba.Tokenizer.gen_pfdict(fh)
    blocks = jieba_loader._Blocks(jieba_loader._pack_file(path))
    freq = dict(blocks.singles)
    blocks.fill(freq, set(), "".join(w[:2] + "|" for w in own if len(w) > 1))
    assert blocks.total == total
    assert freq == own


def test_added_words_keep_their_counts_when_their_pairs_load_later(cache):
    jieba = jieba_loader.import_jieba()
    own = jieba.Tokenizer()
    own.initialize()
    tk = jieba_loader.tokenizer()
    for t in (own, tk):
        t.add_word("生产总值增长", freq=2000000)
    sentence = "全市地区生产总值增长5%，财政收入增长3%。"
    assert tk.lcut(sentence, HMM=False) == own.lcut(sentence, HMM=False)
    assert "生产总值增长" in tk.lcut(sentence, HMM=False)
    assert tk.word_count("生产总值增长") == 2000000 and tk.total == own.total


def test_damaged_cache_entry_falls_back_to_jieba(cache):
    jieba_loader.tokenizer()
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a dictionary")
    jieba_loader._BLOCKS.clear()
    tk = jieba_loader.tokenizer()
    assert tk.initialized and tk.lcut("地区生产总值增长") == ["地区", "生产总值", "增长"]


def test_unwritable_cache_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("ZHIBIAO_CACHE", str(blocker / "cache"))
    assert cached_bytes("x", "key", lambda: b"data") == b"data"
    assert cached_bytes("x", "key", lambda: b"again") == b"again"  # nothing stored, nothing lost


def test_jieba_is_imported_without_pkg_resources():
    code = ("import sys; from zhibiao.text.jieba_dict import import_jieba; import_jieba(); "
            "print('pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rule_check_is_remembered_and_errors_are_not(cache, tmp_path):
    good = rules_dir() / "exclusions.yaml"
    first = load_rule_file(good, "exclusions")
    assert any(p.name.startswith("rules-data-") for p in cache.iterdir())
    assert load_rule_file(good, "exclusions") == first == yaml.safe_load(good.read_text(encoding="utf-8"))
    code = ("import sys; from zhibiao.ruleset.load import load_rule_file, rules_dir; "
            "load_rule_file(rules_dir() / 'exclusions.yaml', 'exclusions'); "
            "print('jsonschema' in sys.modules, 'yaml' in sys.modules)")
    env = dict(os.environ, ZHIBIAO_CACHE=str(cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["False", "False"]  # remembered: neither parsed nor checked again
    bad = tmp_path / "exclusions.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("window:", "windw:"), encoding="utf-8")
    for _ in range(2):  # a failing file fails every time
        with pytest.raises(RuleError, match="windw"):  # the unknown key is named
            load_rule_file(bad, "exclusions")


def test_claim_dicts_equal_asdict():
    doc = extract_text(SAMPLE)
    assert len(doc.claims) == 3 and doc.claims[1].ranks  # the rank joins the revenue claim
    for c in doc.claims:
        ref = dataclasses.asdict(c)
        if not ref["sentence"]["truncated"]:  # only a sentence cut to a window says so (issue 14)
            del ref["sentence"]["truncated"]
        assert c.to_dict() == ref
        assert list(c.to_dict()) == list(ref)
