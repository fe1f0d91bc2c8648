"""The numpy inference of the shipped NER gives spaCy's spans, and spares spaCy's import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SPEECHES
from zhibiao.api import extract_text
from zhibiao.ner import runtime as ner
from zhibiao.ner.numpy_net import WEIGHTS, NumpyNER, murmurhash64a, thinc_hash, word_shape
from zhibiao.settings import Settings
from zhibiao.text.ingest import read_document

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.skipif(not (ner.MODEL_DIR / WEIGHTS).exists(), reason="model weights not exported")

STRINGS = ["", "x", "地区", "地区生产总值", "GDP", "PM_2.5", "“", "131.2亿元", "ab", "abcdefgh",
           "abcdefghi", "一般公共预算收入增长", "Ⅳ类", "😀"]


@pytest.mark.parametrize("s", STRINGS)
def test_string_hash_is_spacys(s):
    from spacy.strings import hash_string

    assert murmurhash64a(s.encode("utf-8")) == hash_string(s)


@pytest.mark.parametrize("s", STRINGS[1:] + ["XXXXXxx", "Abc12345", "a-b", "A"])
def test_word_shape_is_spacys(s):
    from spacy.lang.lex_attrs import word_shape as spacy_shape

    assert word_shape(s) == spacy_shape(s)


def test_hash_is_thincs():
    from thinc.api import NumpyOps

    ids = np.random.default_rng(0).integers(0, 2**63, size=500, dtype=np.uint64)
    ids[:3] = [0, 1, 2**64 - 1]
    for seed in (8, 11):
        assert (thinc_hash(ids, seed) == NumpyOps().hash(ids, seed)).all()


def _windows(paths: list[Path]) -> list[str]:
    texts = []
    for p in paths:
        doc = extract_text(read_document(str(p)).text, settings=Settings(use_model=False, keep_figures=True))
        w = doc.working.text
        texts += [w[s.wstart + a:s.wstart + b] for s, (a, b) in ner.model_windows(doc, all_figures=True)]
    return texts


def test_same_spans_as_spacy_on_the_corpus():
    """Every window in front of a figure in the gold speeches and five reports."""
    paths = sorted(SPEECHES.glob("*.txt")) + sorted((ROOT / "corpus" / "unlabeled").glob("*.txt"))[:5]
    texts = _windows(paths)
    assert len(texts) > 1000
    nlp = ner.load()
    ref = [[(e.start_char, e.end_char) for e in d.ents] for d in nlp.pipe(texts, batch_size=256)]
    got = NumpyNER(ner.MODEL_DIR, ner._tokens).pipe(texts)
    assert sum(map(len, ref)) > 500
    assert got == ref


def test_empty_and_whitespace_windows():
    nn = NumpyNER(ner.MODEL_DIR, ner._tokens)
    nlp = ner.load()
    texts = ["", " ", "增长5%", "地区 生产总值增长5%", "技术合同成交额增长15%"]
    assert nn.pipe(texts) == [[(e.start_char, e.end_char) for e in nlp(t).ents] for t in texts]


def test_extraction_with_the_model_does_not_import_spacy():
    code = ("import sys\nfrom zhibiao import extract_text\n"
            "d = extract_text('第三轮中央生态环境保护督察交办的群众举报问题办结率98.3%。', use_model=True)\n"
            "print(d.claims[0].method, 'spacy' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["model", "False"]


def test_word_cache_is_bounded_and_cleared_the_same(monkeypatch):
    import zhibiao.ner.numpy_net as nnp

    texts = ["技术合同成交额增长15%", "星级宾馆客房出租率仅为63%", "旅游总花费增长13.8%"]
    want = NumpyNER(ner.MODEL_DIR, ner._tokens).pipe(texts)
    monkeypatch.setattr(nnp, "CACHE_WORDS", 6)
    nn = NumpyNER(ner.MODEL_DIR, ner._tokens)
    assert [nn.pipe([t])[0] for t in texts] == want
    assert len(nn._vec) <= 6


def test_the_model_runs_its_products_on_one_blas_thread():
    from threadpoolctl import threadpool_info
    from zhibiao.ner.numpy_net import one_blas_thread

    with one_blas_thread()():
        inside = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    assert inside == {1}
