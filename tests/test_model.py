"""The statistical INDICATOR recognizer: training, offline reload, shipped predictions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SPEECHES
from zhibiao import extract_text
from zhibiao.dev.train_ner import Example, train
from zhibiao.ner import runtime as ner

pytestmark = pytest.mark.skipif(not ner.model_available(), reason="spaCy or the shipped model missing")


def test_tiny_training_runs_and_reloads_offline(tmp_path, monkeypatch):
    examples = [
        Example("技术合同成交额增长15%", [(0, 7)], "gold"),
        Example("完成财政总收入131.2亿元", [(2, 7)], "gold"),
        Example("召开会议3次", [], "negative"),
    ] * 4
    facts = train(examples, tmp_path / "m", seed=1, epochs=2, log=lambda *_: None)
    assert facts["examples"] == 12
    # reload in a fresh process with every network route closed
    code = ("from zhibiao.ner import runtime as ner\n"
            f"nlp = ner.load({str(tmp_path / 'm')!r})\n"
            "t = ['技术合同成交额增长15%', '完成财政总收入131.2亿元', '召开会议3次']\n"
            f"find = ner.recognizer({str(tmp_path / 'm')!r})\n"
            "same = find(t) == [[(e.start_char, e.end_char) for e in nlp(x).ents] for x in t]\n"
            "print(nlp.pipe_names, len(nlp(t[0])), same)")
    # in a network namespace of its own where the machine allows it: no route anywhere
    cmd = [sys.executable, "-c", code]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        cmd = ["unshare", "-n"] + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["['ner']", "5", "True"]  # numpy inference == spaCy's


@pytest.mark.parametrize("text,span", [
    ("技术合同成交额增长15%", "技术合同成交额"),
    ("星级宾馆客房出租率仅为63%", "星级宾馆客房出租率"),
    ("新能源汽车产量增长25.6%", "新能源汽车产量"),
    ("农村自来水普及率98.1%", "农村自来水普及率"),
    ("全年新增供热面积12万平方米", "新增供热面积"),
    ("高速公路通车里程新增3000公里", "高速公路通车里程"),
    ("旅游总花费增长13.8%", "旅游总花费"),
    ("民航年旅客吞吐量突破800万人次", "民航年旅客吞吐量"),
])
def test_shipped_model_predictions(text, span):
    assert [e.text for e in ner.load()(text).ents] == [span]


def test_shipped_model_ignores_non_indicators():
    assert ner.load()("政府办牵头组成8个督查组").ents == ()


AGREE = "95.6%二级及以上公立综合医院为老年人设立专门医疗服务，医养结合机构增至191家。"


def test_model_marks_agreement_and_confidence():
    # the rules leave 95.6% without a claim, so the model reads the sentence and agrees on 医养结合机构
    doc = extract_text(AGREE, use_model=True, scorer="off")  # the rules' own confidence
    c = doc.claims[0]
    assert c.indicator.name == "医养结合机构"
    assert c.method == "rule+model" and c.confidence == ner.AGREEMENT_CONFIDENCE
    assert doc.source["model"]


def test_the_model_reads_only_sentences_where_the_rules_leave_a_figure_unclaimed():
    text = "技术合同成交额增长15%。第三轮中央生态环境保护督察交办的群众举报问题办结率98.3%。" + AGREE
    got = [(c.indicator.name, c.method) for c in extract_text(text, use_model=True, scorer="off").claims]
    assert got == [("技术合同成交额", "rule"),  # claimed in full by the rules: not read
                   ("群众举报问题办结率", "model"),  # no name by the rules: the model's
                   ("医养结合机构", "rule+model")]  # read for 95.6%: it agrees with the rules' name


def test_the_model_adds_claims_and_changes_none_of_the_rules():
    path = SPEECHES / "001_bf553028553a4e53.txt"
    text = path.read_text(encoding="utf-8")

    def facts(doc):
        return {(c.indicator.name, c.span["start"], c.span["end"], c.value.text if c.value else None,
                 c.growth.text if c.growth else None, c.kind, c.period) for c in doc.claims}

    rules = facts(extract_text(text, use_model=False, scorer="off"))
    both = extract_text(text, use_model=True, scorer="off")
    assert rules < facts(both)  # every claim of the rules, as they make it, and the model's besides
    assert {c.method for c in both.claims if (c.indicator.name, c.span["start"], c.span["end"], c.value.text
            if c.value else None, c.growth.text if c.growth else None, c.kind, c.period) not in rules} == {"model"}


def test_no_model_gives_the_rule_output():
    path = SPEECHES / "000_700a4f526f0bad8d.txt"
    r = subprocess.run([sys.executable, "-m", "zhibiao.cli", "extract", str(path), "--no-model"],
                       capture_output=True, text=True, timeout=300)
    out = json.loads(r.stdout)
    assert {c["method"] for c in out["claims"]} == {"rule"}
    rules = extract_text(path.read_text(encoding="utf-8"), doc_id=path.stem, use_model=False).to_dict()
    strip = [{k: v for k, v in c.items()} for c in rules["claims"]]
    assert [c["indicator"] for c in out["claims"]] == [c["indicator"] for c in strip]
    other = SPEECHES / "001_bf553028553a4e53.txt"  # the model names nothing in 000; in 001 it does
    with_model = extract_text(other.read_text(encoding="utf-8"), use_model=True)
    assert any(c.method != "rule" for c in with_model.claims)
