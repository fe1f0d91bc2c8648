"""Train the claim scorer on every gold document of ``corpus/`` (needs scikit-learn, the
``train`` extra): ``zhibiao train-scorer``.

Each predicted fact of the rules (with the shipped NER where present) is a row: the features
of its claim, and whether the evaluation matches it to a gold fact. The rules were tuned on
this gold, so their output on it holds few of the false claims unseen text brings; with
``--weakened`` training also reads the output of weakened rules (each rule that names or
excludes a figure switched off in turn, and each such group: ``weakened``), whose new facts
are extra rows of the same document (weighing ``EXTRA_WEIGHT``). A logistic model is fitted
on all rows; an isotonic table, fitted on out-of-fold scores of the normal output's rows
(folds by document), calibrates it. Leave-one-document-out
(each document scored by a scorer trained and calibrated without any row of it, the test fold
its normal output alone) chooses the drop threshold and gives the figures: precision and
recall with and without the scorer, expected calibration error, the share right of facts
given 0.9 or more; and the same held-out scorer on the document's output under random sets
of rules switched off that training never read (``weak_lodo``: what the scorer buys where
the rules are weak, as on unseen text).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..run.files import extract_file
from ..settings import Settings
from ..text.ingest import read_document
from .evaluate import fact_labels, load_dates, load_gold

# gold folder, documents folder (each under the corpus): every annotated set but genres-heldout
SETS = (("gold", "speeches"), ("heldout/gold", "heldout/speeches"), ("genres/gold", "genres/docs"),
        ("provinces/gold", "provinces/docs"), ("national-parts/gold", "national-parts/docs"),
        ("written/gold", "written/docs"))
MAX_RECALL_LOSS = 0.005
ECE_BINS = 10
# Weakened rules: the groups of rules that name a figure or keep a false one out (exclude.*,
# link.*…), each rule off in turn and each group off; an output this broken (precision under
# 0.8 or recall under 0.75: growth.verb off reads every growth as a value) is no text's errors
WEAK_GROUPS = ("exclude", "link", "indicators", "indicator", "figures", "growth", "normalize", "table", "rank")
WEAK_FLOOR = (0.8, 0.75)
WEAK_TESTS, WEAK_TEST_SIZE = 8, 8  # weakened-rules LODO: random sets of 8 rules off, by seed
# the families that tell one fact from another (a weakened output's fact that differs from the
# normal one only by its kind, period or genre is the same fact: not a new row)
EXTRA_WEIGHT = 1.0  # a weakened output's row weighs as a normal one's
FACT_FAMILIES = ("b3:", "a2:", "ng:", "unit:", "types:", "strat:", "namelen:", "mag:")


@dataclass
class Rows:
    docs: list[str]
    feats: list[list[str]]
    right: list[bool]
    core: list[bool]
    gold_core: dict[str, int]
    extra: list[bool] = field(default_factory=list)  # a weakened output's row: training only

    def add(self, doc: str, feats: list[str], right: bool, core: bool, extra: bool = False) -> None:
        self.docs.append(doc)
        self.feats.append(feats)
        self.right.append(right)
        self.core.append(core)
        self.extra.append(extra)

    def normal(self) -> list[int]:
        """The rows of the normal output (all rules in force)."""
        return [i for i, e in enumerate(self.extra) if not e]


def _gold_docs(corpus: Path) -> list[tuple[str, Path, list[dict], int | None]]:
    """Every gold document: (stem, text path, gold, year)."""
    out = []
    for gold_dir, docs_dir in SETS:
        g, d = corpus / gold_dir, corpus / docs_dir
        if g.is_dir():
            years = load_dates(str(g))
            out += [(stem, d / f"{stem}.txt", gold, years.get(stem)) for stem, gold in load_gold(str(g)).items()]
    return out


def _labelled(docs, off: frozenset[str]):
    """(stem, features, right, core) of each predicted fact with the rules ``off`` switched
    off, and each document's number of core gold facts."""
    settings = Settings(scorer="collect", disabled_rules=off)
    facts, cores = [], {}
    for stem, path, gold, year in docs:
        doc = extract_file(str(path), settings=settings)
        labels, cores[stem] = fact_labels(stem, read_document(str(path)).text, gold, doc.to_dict(), year)
        facts += [(stem, doc.features[ci], right, core) for ci, right, core in labels]
    return facts, cores


def _fact_key(doc: str, feats: list[str], right: bool) -> tuple:
    return doc, right, tuple(sorted(f for f in feats if f.startswith(FACT_FAMILIES)))


def _weak_enough(facts, cores: dict[str, int]) -> bool:
    """An output whose errors look like text's: precision and recall over ``WEAK_FLOOR``."""
    n_core = sum(cores.values())
    precision = sum(f[2] for f in facts) / len(facts) if facts else 0.0
    return precision >= WEAK_FLOOR[0] and (sum(f[3] for f in facts) / n_core if n_core else 1.0) >= WEAK_FLOOR[1]


def rule_ids() -> list[str]:
    """The ids of the rules that can be switched off one by one (not a whole file's)."""
    from .rule_cases import cases

    return [r for r in dict.fromkeys(c.rule for c in cases()) if r not in ("value.unit", "indicators")]


def weakened(ids: list[str]) -> list[frozenset[str]]:
    """The weakened rule sets training reads: each rule of ``WEAK_GROUPS`` off, each group off."""
    mine = [r for r in ids if r.split(".")[0] in WEAK_GROUPS]
    groups = {g: frozenset(r for r in mine if r.split(".")[0] == g) for g in WEAK_GROUPS}
    return [frozenset({r}) for r in mine] + [s for s in groups.values() if len(s) > 1]


def weak_tests(ids: list[str], seed: int) -> list[frozenset[str]]:
    """Random sets of ``WEAK_TEST_SIZE`` rules of any kind, by seed: no training set is one."""
    rnd = random.Random(seed)
    return [frozenset(rnd.sample(ids, WEAK_TEST_SIZE)) for _ in range(WEAK_TESTS * 3)]


def collect(corpus: Path, log=print, weak: bool = False, seed: int = 13) -> tuple[Rows, list[Rows]]:
    """Extract every gold document with the scorer collecting features and label each predicted
    fact; with ``weak``, also the new facts of weakened rules (extra rows); and the outputs of
    the weakened-rules LODO (up to ``WEAK_TESTS`` random sets whose output is weak enough)."""
    docs = _gold_docs(corpus)
    rows = Rows([], [], [], [], {})
    facts, rows.gold_core = _labelled(docs, frozenset())
    for f in facts:
        rows.add(*f)
    log(f"zhibiao: scorer rows: {len(rows.docs)} facts of {len(docs)} documents")
    ids = rule_ids()
    if weak:
        _add_weakened(rows, docs, ids, {_fact_key(d, f, r) for d, f, r, _ in facts})
        wrong = sum(e and not r for e, r in zip(rows.extra, rows.right, strict=True))
        log(f"zhibiao: weakened rules: {sum(rows.extra)} extra rows ({wrong} wrong)")
    tests: list[Rows] = []
    for off in weak_tests(ids, seed):
        facts, cores = _labelled(docs, off)
        if _weak_enough(facts, cores):
            tests.append(Rows([f[0] for f in facts], [f[1] for f in facts], [f[2] for f in facts],
                              [f[3] for f in facts], cores, [False] * len(facts)))
        if len(tests) == WEAK_TESTS:
            break
    return rows, tests


def _add_weakened(rows: Rows, docs, ids: list[str], seen: set) -> None:
    """The facts of the weakened rules' outputs that the normal output lacks, as extra rows."""
    for off in weakened(ids):
        facts, cores = _labelled(docs, off)
        if not _weak_enough(facts, cores):
            continue
        for d, f, r, c in facts:
            if (k := _fact_key(d, f, r)) not in seen:
                seen.add(k)
                rows.add(d, f, r, c, extra=True)


def counts(feats: list[str]) -> Counter:
    """A claim's features as the model weighs them at extraction: a feature twice (a name's
    character pair that repeats, 增长…增长) counts twice, as its weight is summed twice."""
    return Counter(feats)


def matrix(feats: list[list[str]]):
    """The rows as the model reads them: a vectorizer and its sparse matrix (row i: ``feats[i]``)."""
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    return vec, vec.fit_transform([counts(f) for f in feats]).tocsr()


def _fit(feats: list[list[str]], y: list[bool], groups: list[str], seed: int, c: float,
         extra: list[bool] | None = None, extra_weight: float | None = None, data=None):
    """A logistic model and its isotonic calibration from out-of-fold scores (by document) of
    the rows not ``extra`` (the normal output's: the weakened outputs' train, weighing
    ``extra_weight`` each, and never calibrate). ``data``: ``matrix(feats)`` made once for
    more rows than these (leave-one-document-out): a feature no row here has keeps weight 0,
    so the model is the same. BLAS runs on one thread: on 2 shared cores its threads make each
    fit many times slower."""
    import numpy as np
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    vec, x = data if data is not None else matrix(feats)
    yy = np.asarray(y)
    calib = ~np.asarray(extra if extra is not None else [False] * len(y), dtype=bool)
    w = np.where(calib, 1.0, EXTRA_WEIGHT if extra_weight is None else extra_weight)

    def model(idx):
        return LogisticRegression(C=c, solver="lbfgs", random_state=seed, max_iter=3000).fit(
            x[idx], yy[idx], sample_weight=w[idx])

    oof = np.zeros(len(y))
    with threadpool_limits(1):
        for tr, te in GroupKFold(n_splits=min(5, len(set(groups)))).split(feats, yy, groups):
            te = te[calib[te]]
            oof[te] = model(tr).decision_function(x[te])
        lr = model(np.arange(len(y)))
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof[calib], yy[calib])
    return vec, lr, iso, raw


def raw(vec, lr, feats: list[list[str]]):
    """The model's scores of rows (before calibration)."""
    return lr.decision_function(vec.transform([counts(f) for f in feats]))


def to_dict(vec, lr, iso, threshold: float) -> dict:
    """The scorer as ``model.from_dict`` reads it: weights by feature, the calibration table."""
    names = vec.get_feature_names_out()
    w = {str(n): round(float(v), 6) for n, v in zip(names, lr.coef_[0], strict=True) if abs(v) > 1e-9}
    return {"version": 1, "intercept": round(float(lr.intercept_[0]), 6), "weights": dict(sorted(w.items())),
            "calibration": {"x": [round(float(v), 6) for v in iso.X_thresholds_],
                            "y": [round(float(v), 6) for v in iso.y_thresholds_]},
            "threshold": threshold}


def lodo(rows: Rows, seed: int, c: float, log=print, tests: list[Rows] = ()) -> tuple[list[float], list[list[float]]]:
    """Each normal fact's calibrated probability from a scorer trained without any row of its
    document; and, by the same scorer, each fact's of the weakened outputs ``tests``."""
    from ..scorer.model import calibrate, from_dict

    probs = [0.0] * len(rows.docs)
    test_probs = [[0.0] * len(t.docs) for t in tests]
    every = matrix(rows.feats)  # once: each fold's rows are a slice of it
    for k, held in enumerate(sorted(set(rows.docs))):
        tr = [i for i, d in enumerate(rows.docs) if d != held]
        vec, lr, iso, _ = _fit([rows.feats[i] for i in tr], [rows.right[i] for i in tr],
                               [rows.docs[i] for i in tr], seed, c, [rows.extra[i] for i in tr],
                               data=(every[0], every[1][tr]))
        m = from_dict(to_dict(vec, lr, iso, 0.0))
        for r, out in ((rows, probs), *zip(tests, test_probs, strict=True)):
            for i, d in enumerate(r.docs):
                if d == held and not r.extra[i]:
                    out[i] = calibrate(m.raw(r.feats[i]), m.xs, m.ys)
        if (k + 1) % 20 == 0:
            log(f"zhibiao: leave-one-document-out {k + 1} documents")
    return probs, test_probs


def at_threshold(rows: Rows, probs: list[float], t: float) -> dict:
    """Pooled precision and recall of the normal output when facts below ``t`` are dropped."""
    kept = [i for i in rows.normal() if probs[i] >= t]
    ok = sum(rows.right[i] for i in kept)
    hit = sum(rows.core[i] for i in kept)
    n_core = sum(rows.gold_core.values())
    return {"threshold": t, "facts": len(kept), "precision": ok / len(kept) if kept else 1.0,
            "recall": hit / n_core if n_core else 1.0}


def reliability(rows: Rows, probs: list[float], bins: int = ECE_BINS) -> tuple[list[dict], float]:
    """Confidence bins (tenths) against the share right, and the expected calibration error."""
    normal = rows.normal()
    table, ece, n = [], 0.0, len(normal)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i in normal if lo <= probs[i] < hi or (b == bins - 1 and probs[i] == 1.0)]
        if not idx:
            continue
        conf = sum(probs[i] for i in idx) / len(idx)
        acc = sum(rows.right[i] for i in idx) / len(idx)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "facts": len(idx), "confidence": round(conf, 4),
                      "right": round(acc, 4)})
        ece += len(idx) / n * abs(conf - acc)
    return table, ece


PRECISION_TIE = 0.001  # thresholds this close to the best precision keep more claims instead


def choose_threshold(rows: Rows, probs: list[float]) -> dict:
    """The lowest threshold (hundredths up to 0.9) whose precision is within PRECISION_TIE
    of the best at recall within MAX_RECALL_LOSS of keeping every fact: a flat curve keeps
    its claims."""
    base = at_threshold(rows, probs, 0.0)
    ok = [base] + [r for r in (at_threshold(rows, probs, k / 100) for k in range(1, 91))
                   if r["recall"] >= base["recall"] - MAX_RECALL_LOSS]
    top = max(r["precision"] for r in ok)
    return next(r for r in ok if r["precision"] >= top - PRECISION_TIE)


def plot(table: list[dict], path: Path) -> None:
    """The reliability plot (confidence bin against share right) as PNG, where matplotlib is."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 4.2), dpi=100)
    ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--", label="perfect calibration")
    ax.plot([r["confidence"] for r in table], [r["right"] for r in table], "o-", color="#c0392b",
            label="claim scorer (leave-one-document-out)")
    for r in table:
        ax.annotate(str(r["facts"]), (r["confidence"], r["right"]), fontsize=7, xytext=(3, -9),
                    textcoords="offset points")
    ax.set_xlabel("confidence (bin mean)")
    ax.set_ylabel("share of facts right")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def weak_lodo(tests: list[Rows], test_probs: list[list[float]], t: float) -> dict:
    """Precision and recall pooled over the weakened outputs, keeping every fact and at ``t``."""
    out = {}
    for name, floor in (("rules", 0.0), ("scorer", t)):
        got = [at_threshold(r, p, floor) for r, p in zip(tests, test_probs, strict=True)]
        n_core = [sum(r.gold_core.values()) for r in tests]
        facts = sum(g["facts"] for g in got)
        out[name] = {"facts": facts,
                     "precision": round(sum(g["precision"] * g["facts"] for g in got) / facts, 4) if facts else 1.0,
                     "recall": round(sum(g["recall"] * n for g, n in zip(got, n_core, strict=True))
                                     / max(1, sum(n_core)), 4)}
    return {"outputs": len(tests), **out}


def train_scorer(corpus: Path, out: Path, seed: int = 13, c: float = 0.3, plot_to: Path | None = None,
                 log=print, weak: bool = False) -> dict:
    """Collect, evaluate by leave-one-document-out, fit on everything, write ``out``; returns
    the figures (with the weakened-rules LODO). ``weak``: train on the weakened rules' facts too."""
    rows, tests = collect(corpus, log, weak, seed)
    probs, test_probs = lodo(rows, seed, c, log, tests)
    chosen = choose_threshold(rows, probs)
    table, ece = reliability(rows, probs)
    normal = rows.normal()
    high = [i for i in normal if probs[i] >= 0.9]
    figures = {"documents": len(rows.gold_core), "facts": len(normal), "extra_rows": len(rows.docs) - len(normal),
               "rules": at_threshold(rows, probs, 0.0), "scorer": chosen, "ece": round(ece, 4),
               "right_at_0.9": round(sum(rows.right[i] for i in high) / len(high), 4) if high else None,
               "facts_at_0.9": len(high), "reliability": table}
    if tests:
        figures["weakened_rules"] = weak_lodo(tests, test_probs, chosen["threshold"])
    vec, lr, iso, _ = _fit(rows.feats, rows.right, rows.docs, seed, c, rows.extra)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(to_dict(vec, lr, iso, chosen["threshold"]), ensure_ascii=False, indent=0) + "\n",
                   encoding="utf-8")
    tmp.replace(out)
    if plot_to is not None:
        plot(table, plot_to)
    return figures
