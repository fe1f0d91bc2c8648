"""The statistical half: a spaCy NER that finds INDICATOR spans the lexicon does not know.

It reads a sentence only where the rules leave one of its figures without a claim
(``stages``), and there only the clause windows in front of figures whose region has no
lexicon name, so most text never reaches it. The model ships in ``pipeline/ner/models/indicator`` and loads
offline; ``zhibiao train`` rebuilds it. spaCy trains it; extraction runs its weights in
numpy (``ner_numpy``), which gives the same spans without spaCy's one-second import.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .weights import LABEL, MODEL_DIR, WEIGHTS  # noqa: F401 - re-exported for callers

# Confidence = the share of claims of a kind with no false-positive fact, measured in
# leave-one-document-out on corpus/ (`make loo`). On the five seeds (176 claims): lexicon
# 0.987, phrase alone 0.814, phrase with the model agreeing 0.808, model alone 1 of 2. On
# all twenty documents (507 claims) after the rules were corrected on the report excerpts:
# 0.994, 0.945, 0.944, 2 of 3, optimistic, since held out the excerpts scored 0.71-0.98
# precision. So the seed figures are kept, rounded down; the model-alone value is a prior.
LEXICON_CONFIDENCE = 0.95
PHRASE_CONFIDENCE = 0.8
AGREEMENT_CONFIDENCE = 0.8
MODEL_CONFIDENCE = 0.5


@dataclass
class ModelSpan:
    start: int  # sentence-local working offsets
    end: int
    text: str


class LexiconJieba:
    """spaCy tokenizer: the project's jieba (indicator lexicon loaded, HMM on).

    The same segmentation at training and at run time, and one jieba dictionary in memory
    instead of two (spaCy's own jieba segmenter would load the default one again).
    """

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words = [w for w in _tokens(text) if w]
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


def blank_pipeline():
    """``spacy.blank("zh")`` segmented by the project's jieba (no pretrained zh model is
    installable). The saved config names the ``char`` segmenter only so that loading does
    not initialise a second jieba dictionary; ``load`` puts ``LexiconJieba`` back."""
    import spacy

    cfg = {"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}}
    nlp = spacy.blank("zh", config=cfg)
    nlp.tokenizer = LexiconJieba(nlp.vocab)
    return nlp


def model_available(path: Path | None = None) -> bool:
    path = path or MODEL_DIR
    if not (path / "meta.json").exists():
        return False
    return (path / WEIGHTS).exists() or importlib.util.find_spec("spacy") is not None


def _tokens(text: str) -> list[str]:
    from ..text.segment import lexicon_jieba

    return lexicon_jieba().lcut(text, HMM=True)


@functools.lru_cache(maxsize=4)
def recognizer(path: str = str(MODEL_DIR)) -> Callable[[list[str]], list[list[tuple[int, int]]]]:
    """texts -> INDICATOR character spans of each: numpy inference where the model's weights
    were exported (``zhibiao train`` does it), spaCy otherwise."""
    if (Path(path) / WEIGHTS).exists():
        from .numpy_net import NumpyNER  # numpy is imported only when the model runs

        return NumpyNER(path, _tokens).pipe
    nlp = load(path)

    def run(texts: list[str], batch_size: int = 256) -> list[list[tuple[int, int]]]:
        return [[(e.start_char, e.end_char) for e in sd.ents if e.label_ == LABEL]
                for sd in nlp.pipe(texts, batch_size=batch_size)]

    return run


def check_model(path: Path | None = None) -> None:
    """ValueError naming the folder when the model there cannot be loaded and run (a damaged
    or truncated file): one option error before any document, not one error per document."""
    path = path or MODEL_DIR
    try:
        json.loads((path / "meta.json").read_text(encoding="utf-8"))
        recognizer(str(path))(["全市地区生产总值增长"])
    except Exception as exc:  # noqa: BLE001 - any failure to load is the one answer below
        recognizer.cache_clear()
        raise ValueError(f"the model in {path} cannot be loaded ({type(exc).__name__}: "
                         f"{str(exc)[:120] or 'damaged'}); retrain it or run with --no-model") from None


@functools.lru_cache(maxsize=4)
def load(path: str = str(MODEL_DIR)):
    """The spaCy pipeline (training, tests, tools); extraction uses ``recognizer``."""
    import spacy

    nlp = spacy.load(path, exclude=["tokenizer"])
    nlp.tokenizer = LexiconJieba(nlp.vocab)
    return nlp


def model_version(path: Path | None = None) -> str | None:
    """The version its ``meta.json`` gives the model at ``path`` (each document's ``source``
    carries it): read again only when the file changes (size and mtime)."""
    meta = (path or MODEL_DIR) / "meta.json"
    try:
        st = meta.stat()
    except OSError:
        return None
    return _version(str(meta), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _version(meta: str, size: int, mtime_ns: int) -> str | None:
    return json.loads(Path(meta).read_text(encoding="utf-8")).get("version")


def _windows(parts, all_figures: bool) -> list[tuple[int, int]]:
    """Clause windows around figures (sentence-local); only unnamed ones unless ``all_figures``."""
    spans: list[tuple[int, int]] = []
    for f in parts.figs:
        a = parts.clause_start(f.start)
        if not all_figures and any(a <= m.start and m.end <= f.start for m in parts.mentions):
            continue
        b = parts.clause_end(f.end)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return [(a, b) for a, b in spans if b - a >= 2]


def model_windows(doc, all_figures: bool = False):
    """(sentence, (a, b)) for every window of the document that the model reads."""
    for sent, parts in zip(doc.sentences, doc.parts, strict=True):
        if parts.figs:
            for w in _windows(parts, all_figures):
                yield sent, w


def annotate(doc, path: Path | None = None, batch_size: int = 256, only: list[int] | None = None) -> int:
    """Add model INDICATOR spans to ``doc.parts[i].model_spans`` (of the sentences ``only``
    lists, else of every sentence); returns how many."""
    find = recognizer(str(path or MODEL_DIR))
    jobs = []
    texts = []
    w = doc.working.text
    for i in range(len(doc.parts)) if only is None else only:
        sent, parts = doc.sentences[i], doc.parts[i]
        if not parts.figs:
            continue
        for a, b in _windows(parts, all_figures=False):
            jobs.append((i, a))
            texts.append(w[sent.wstart + a:sent.wstart + b])
    n = 0
    for (i, a), text, spans in zip(jobs, texts, find(texts, batch_size=batch_size), strict=True):
        for s, e in spans:
            doc.parts[i].model_spans.append(ModelSpan(a + s, a + e, text[s:e]))
            n += 1
    return n
