"""Training the INDICATOR recognizer: gold spans of corpus/ plus the rules' silver spans.

``zhibiao train`` rebuilds the shipped model from ``corpus/`` with a fixed seed.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from ..api import extract_text
from ..ner.numpy_net import export
from ..ner.runtime import LABEL, MODEL_DIR, blank_pipeline, model_windows
from ..settings import Settings
from ..text.ingest import read_document
from .evaluate import load_gold

# Silver: rule claims named by the lexicon (confidence 0.95) or by a clean phrase of 3-10
# Han characters (0.7). Lexicon names alone taught the model too few names (it missed
# 技术合同成交额, 旅游总花费, 民航年旅客吞吐量); with phrases, leave-one-out precision moved
# 0.901 -> 0.893 at equal recall (`make loo`), inside the 0.02 budget.
SILVER_MIN_CONFIDENCE = 0.7
KEEP_FIGURES = Settings(use_model=False, keep_figures=True)  # the windows are read from the figures
_SILVER_NAME = __import__("regex").compile(r"^\p{Han}{3,10}$")


@dataclass
class Example:
    text: str
    spans: list[tuple[int, int]]
    source: str  # gold | silver | negative


def _find(hay: str, names: list[str]) -> tuple[int, int] | None:
    for n in sorted({n for n in names if n}, key=len, reverse=True):
        i = hay.find(n)
        if i >= 0:
            return i, i + len(n)
    return None


def _windows_with_spans(doc, keep) -> list[Example]:
    """Model windows of a document, each labelled with the indicator spans ``keep`` gives."""
    out = []
    w = doc.working.text
    for sent, (a, b) in model_windows(doc, all_figures=True):
        text = w[sent.wstart + a:sent.wstart + b]
        spans, source = keep(sent, text)
        out.append(Example(text, spans, source))
    return out


def gold_examples(speeches: Path, gold_dir: Path, exclude: set[str]) -> list[Example]:
    """Windows of the gold documents; indicator spans located from the gold claims."""
    out: list[Example] = []
    for doc_id, rows in load_gold(str(gold_dir)).items():
        if doc_id in exclude:
            continue
        path = speeches / f"{doc_id}.txt"
        doc = extract_text(read_document(str(path)).text, doc_id=doc_id, settings=KEEP_FIGURES)
        spans_by_sentence: dict[int, list[list[str]]] = {}
        for g in rows:
            a = doc.text.find(g["sent"])
            if a < 0:
                continue
            b = a + len(g["sent"])
            for s in doc.sentences:
                if s.start < b and a < s.end:
                    spans_by_sentence.setdefault(s.index, []).append([g["indicator"]] + g.get("alt", []))

        def keep(sent, text, _sp=spans_by_sentence):
            names = _sp.get(sent.index)
            if not names:
                return [], "negative"
            found = sorted({f for f in (_find(text, n) for n in names) if f})
            return (found, "gold") if found else ([], "skip")  # the name stands outside the window

        out += [e for e in _windows_with_spans(doc, keep) if e.source != "skip"]
    return out


def silver_examples(folder: Path, limit_docs: int | None = None) -> list[Example]:
    """Windows of unlabeled reports where the rules named the indicator from the lexicon."""
    out: list[Example] = []
    files = sorted(p for p in folder.glob("*.txt"))[:limit_docs]
    for path in files:
        doc = extract_text(read_document(str(path)).text, doc_id=path.stem, scorer="off", settings=KEEP_FIGURES)
        names: dict[int, list[str]] = {}
        for c in doc.claims:
            if c.confidence >= SILVER_MIN_CONFIDENCE and (c.indicator.canonical or _SILVER_NAME.match(c.indicator.name)):
                names.setdefault(c.sentence.index, []).append(c.indicator.name)

        def keep(sent, text, _n=names):
            found = [_find(text, [n]) for n in _n.get(sent.index, [])]
            found = sorted({f for f in found if f})
            return (found, "silver") if found else ([], "skip")

        out += [e for e in _windows_with_spans(doc, keep) if e.source != "skip"]
    return out


def train(examples: list[Example], out_dir: Path, seed: int = 13, epochs: int = 20,
          log=print) -> dict:
    """Train and save a spaCy NER model for INDICATOR spans; returns training facts."""
    import spacy
    from spacy.training import Example as SpacyExample

    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = blank_pipeline()
    ner = nlp.add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2, "use_upper": True,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                    "width": 64, "depth": 2, "embed_size": 2000, "window_size": 1,
                    "maxout_pieces": 3, "subword_features": True}}})
    ner.add_label(LABEL)
    data = []
    dropped = 0
    for ex in examples:
        d = nlp.make_doc(ex.text)
        ents = []
        for a, b in ex.spans:
            span = d.char_span(a, b, label=LABEL, alignment_mode="expand")
            if span is None or any(span.start < e.end and e.start < span.end for e in ents):
                dropped += 1
                continue
            ents.append(span)
        data.append(SpacyExample.from_dict(d, {"entities": [(e.start_char, e.end_char, LABEL)
                                                            for e in ents]}))
    t0 = time.perf_counter()
    optimizer = nlp.initialize(lambda: data)
    for epoch in range(epochs):
        rng.shuffle(data)
        losses: dict = {}
        for i in range(0, len(data), 32):
            nlp.update(data[i:i + 32], sgd=optimizer, drop=0.2, losses=losses)
        log(f"epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0):.1f}")
    out_dir.mkdir(parents=True, exist_ok=True)
    from ..version import __version__

    nlp.meta.update(name="zhibiao_indicator", version=__version__, license="Apache-2.0",
                    description="INDICATOR spans in Chinese government speeches (zhibiao train)")
    nlp.to_disk(out_dir, exclude=["tokenizer"])
    export(nlp, out_dir)  # the weights extraction runs in numpy
    facts = {"examples": len(data), "spans_dropped_misaligned": dropped, "epochs": epochs,
             "seed": seed, "seconds": round(time.perf_counter() - t0, 1),
             "by_source": {s: sum(e.source == s for e in examples) for s in ("gold", "silver", "negative")}}
    (out_dir / "training.json").write_text(json.dumps(facts, indent=2), encoding="utf-8")
    return facts


def rule_negatives() -> list[Example]:
    """The near-miss negatives of rules/ (8个督查组, 7月15日…): windows with no indicator."""
    from ..ruleset.load import load_rules

    ex = load_rules("exclusions")
    texts = list(load_rules("figures")["negatives"])
    for sec in ex.values():
        if isinstance(sec, dict):
            texts += [t for t in sec.get("negatives") or [] if isinstance(t, str)]
    return [Example(t, [], "negative") for t in texts]


def build_examples(corpus: Path, exclude: set[str] = frozenset(), silver: bool = True) -> list[Example]:
    gold = gold_examples(corpus / "speeches", corpus / "gold", set(exclude)) + rule_negatives()
    sil = silver_examples(corpus / "unlabeled") if silver and (corpus / "unlabeled").exists() else []
    # gold wins: no silver window from a text that has gold (a gold document can be an excerpt
    # of an unlabeled report), and none from a held-out document either
    gold_texts = "\n".join(extract_text(read_document(str(p)).text, use_model=False).working.text
                           for p in sorted((corpus / "speeches").glob("*.txt")))
    return gold + [e for e in sil if e.text not in gold_texts]


def train_from_corpus(corpus: Path, out_dir: Path = MODEL_DIR, seed: int = 13,
                      exclude: set[str] = frozenset(), epochs: int = 20, log=print) -> dict:
    examples = build_examples(corpus, exclude)
    log(f"{len(examples)} training windows "
        f"({sum(e.source == 'gold' for e in examples)} gold, "
        f"{sum(e.source == 'silver' for e in examples)} silver, "
        f"{sum(e.source == 'negative' for e in examples)} negative)")
    return train(examples, out_dir, seed=seed, epochs=epochs, log=log)
