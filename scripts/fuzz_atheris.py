"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer).

    python scripts/fuzz_atheris.py -runs=2000 -max_total_time=60 [SEED_DIR]

Bytes go through decoding, normalization, extraction and linking; the invariants of
tests/test_fuzz.py are checked on every input. A violated invariant is a crash.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["zhibiao"]):
    from zhibiao import extract_text
    from zhibiao.text.ingest import IngestError, decode
    from zhibiao.text.normalize import normalize


def one_input(data: bytes) -> None:
    try:
        text, _ = decode(data)
    except IngestError:
        return
    doc = extract_text(text, use_model=False)
    if any(e["code"] == "internal" for e in doc.errors):
        raise AssertionError(doc.errors)
    for c in doc.claims:
        s = c.sentence
        assert text[s.start:s.end] == s.text
        # a line break inside a figure is joined by what the whole text shows (20\n0多亿元 is
        # 200多亿元), which the span cleaned alone may not: whitespace is left out on both sides
        cleaned = "".join(normalize(text[c.span["start"]:c.span["end"]])[0].text.split())
        for fig in (c.value, c.growth):
            if fig is not None and not fig.masked:  # as the source writes it (2萬1362元), or as cleaned
                surface = "".join(fig.text.split())
                source = "".join(text[c.span["start"]:c.span["end"]].split())
                assert surface in cleaned or surface in source, (fig.text, cleaned)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
