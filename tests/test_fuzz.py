"""Fuzzing the whole pipeline: random and mutated real text, bounded in examples and time.

Invariants: no crash (no ``internal`` error), exact offsets, and every number in the
output is present in the source (the figure's text is in the cleaned source span).
"""

from __future__ import annotations

import os

from conftest import SPEECHES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zhibiao import extract_text
from zhibiao.text.normalize import normalize

EXAMPLES = int(os.environ.get("ZHIBIAO_FUZZ_EXAMPLES", "250"))
REAL = [p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))]
NOISE = ["X", "*", "**", "***", "%", "％", "亿元", "增长", "第", "位", "、", "，", "。", "\n", " ",
         "(qū)", "１２", "—", "<p>", "\x00", "\ufffd", "億", "個百分點", "分别", "1/3", "9" * 40]


@st.composite
def mutated(draw):
    src = draw(st.sampled_from(REAL))
    a = draw(st.integers(0, max(0, len(src) - 400)))
    text = src[a:a + draw(st.integers(0, 400))]
    for _ in range(draw(st.integers(0, 12))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 2))
        if op == 0:
            text = text[:i] + draw(st.sampled_from(NOISE)) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + draw(st.integers(1, 5)):]
        else:
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
    return text


def check(text: str) -> None:
    doc = extract_text(text, use_model=False)
    assert not [e for e in doc.errors if e["code"] == "internal"], doc.errors
    for c in doc.claims:
        s = c.sentence
        assert text[s.start:s.end] == s.text
        a, b = c.span["start"], c.span["end"]
        assert s.start <= a < b <= s.end
        # a line break inside a figure is joined by what the whole text shows (20\n0多亿元 is
        # 200多亿元), which the span cleaned alone may not: whitespace is left out on both sides
        cleaned = "".join(normalize(text[a:b])[0].text.split())
        source = "".join(text[a:b].split())
        for fig in (c.value, c.growth):  # as the source writes it (2萬1362元), or as cleaned
            if fig is not None and not fig.masked:
                surface = "".join(fig.text.split())
                assert surface in cleaned or surface in source, (fig.text, cleaned)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_fuzz_mutated_real_text(text):
    check(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("0123456789.%亿元万个增长下降第位X*、，。\n （）全省GDP率")) | st.characters(),
               max_size=300))
def test_fuzz_random_text(text):
    check(text)


def test_atheris_bounded(tmp_path):
    """Coverage-guided fuzzing with atheris where it installs (bounded runs and time)."""
    import shutil
    import subprocess
    import sys

    import pytest

    pytest.importorskip("atheris")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in SPEECHES.glob("*.txt"):
        shutil.copy(p, seeds / p.name)
    script = SPEECHES.parent.parent / "scripts" / "fuzz_atheris.py"
    runs = os.environ.get("ZHIBIAO_ATHERIS_RUNS", "1000")
    r = subprocess.run([sys.executable, str(script), f"-runs={runs}", "-max_total_time=60", "-seed=1",
                        "-max_len=4096", f"-artifact_prefix={tmp_path}/", str(seeds)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert f"Done {runs} runs" in r.stderr or "Done" in r.stderr
