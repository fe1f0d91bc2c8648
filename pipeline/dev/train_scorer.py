"""Train the claim scorer on every gold document of ``corpus/`` (needs scikit-learn, the
``train`` extra): ``zhibiao train-scorer``.

Each predicted fact of the rules (with the shipped NER where present) is a row: the features
of its claim, and whether the evaluation matches it to a gold fact. A logistic model is fitted
on all rows; an isotonic table, fitted on out-of-fold scores (folds by document), calibrates
it. Leave-one-document-out (each document scored by a scorer trained and calibrated without
it) chooses the drop threshold and gives the figures: precision and recall with and without
the scorer, expected calibration error, the share right of facts given 0.9 or more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..run.files import extract_file
from ..text.ingest import read_document
from .evaluate import fact_labels, load_dates, load_gold

# gold folder, documents folder (each under the corpus): every annotated set but genres-heldout
SETS = (("gold", "speeches"), ("heldout/gold", "heldout/speeches"), ("genres/gold", "genres/docs"),
        ("provinces/gold", "provinces/docs"))
MAX_RECALL_LOSS = 0.005
ECE_BINS = 10


@dataclass
class Rows:
    docs: list[str]
    feats: list[list[str]]
    right: list[bool]
    core: list[bool]
    gold_core: dict[str, int]


def collect(corpus: Path, log=print) -> Rows:
    """Extract every gold document with the scorer off and label each predicted fact."""
    rows = Rows([], [], [], [], {})
    for gold_dir, docs_dir in SETS:
        g, d = corpus / gold_dir, corpus / docs_dir
        if not g.is_dir():
            continue
        years = load_dates(str(g))
        for stem, gold in load_gold(str(g)).items():
            path = d / f"{stem}.txt"
            doc = extract_file(str(path), scorer="collect")
            labels, n_core = fact_labels(stem, read_document(str(path)).text, gold, doc.to_dict(), years.get(stem))
            rows.gold_core[stem] = n_core
            for ci, right, core in labels:
                rows.docs.append(stem)
                rows.feats.append(doc.features[ci])
                rows.right.append(right)
                rows.core.append(core)
        log(f"zhibiao: scorer rows from {gold_dir}: {len(rows.docs)} facts so far")
    return rows


def _fit(feats: list[list[str]], y: list[bool], groups: list[str], seed: int, c: float):
    """A logistic model and its isotonic calibration from out-of-fold scores (by document)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    def model(fx, fy):
        vec = DictVectorizer()
        x = vec.fit_transform([dict.fromkeys(f, 1) for f in fx])
        lr = LogisticRegression(C=c, solver="lbfgs", random_state=seed, max_iter=2000).fit(x, fy)
        return vec, lr

    def raw(vec, lr, fx):
        return lr.decision_function(vec.transform([dict.fromkeys(f, 1) for f in fx]))

    yy = np.asarray(y)
    oof = np.zeros(len(y))
    n_groups = len(set(groups))
    for tr, te in GroupKFold(n_splits=min(5, n_groups)).split(feats, yy, groups):
        vec, lr = model([feats[i] for i in tr], yy[tr])
        oof[te] = raw(vec, lr, [feats[i] for i in te])
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, yy)
    vec, lr = model(feats, yy)
    return vec, lr, iso, raw


def to_dict(vec, lr, iso, threshold: float) -> dict:
    """The scorer as ``model.from_dict`` reads it: weights by feature, the calibration table."""
    names = vec.get_feature_names_out()
    w = {str(n): round(float(v), 6) for n, v in zip(names, lr.coef_[0], strict=True) if abs(v) > 1e-9}
    return {"version": 1, "intercept": round(float(lr.intercept_[0]), 6), "weights": dict(sorted(w.items())),
            "calibration": {"x": [round(float(v), 6) for v in iso.X_thresholds_],
                            "y": [round(float(v), 6) for v in iso.y_thresholds_]},
            "threshold": threshold}


def lodo(rows: Rows, seed: int, c: float, log=print) -> list[float]:
    """Each fact's calibrated probability from a scorer trained without its document."""
    from ..scorer.model import calibrate, from_dict

    probs = [0.0] * len(rows.docs)
    for k, held in enumerate(sorted(set(rows.docs))):
        tr = [i for i, d in enumerate(rows.docs) if d != held]
        vec, lr, iso, _ = _fit([rows.feats[i] for i in tr], [rows.right[i] for i in tr],
                               [rows.docs[i] for i in tr], seed, c)
        m = from_dict(to_dict(vec, lr, iso, 0.0))
        for i, d in enumerate(rows.docs):
            if d == held:
                probs[i] = calibrate(m.raw(rows.feats[i]), m.xs, m.ys)
        if (k + 1) % 20 == 0:
            log(f"zhibiao: leave-one-document-out {k + 1} documents")
    return probs


def at_threshold(rows: Rows, probs: list[float], t: float) -> dict:
    """Pooled precision and recall when facts below ``t`` are dropped."""
    kept = [i for i, p in enumerate(probs) if p >= t]
    ok = sum(rows.right[i] for i in kept)
    hit = sum(rows.core[i] for i in kept)
    n_core = sum(rows.gold_core.values())
    return {"threshold": t, "facts": len(kept), "precision": ok / len(kept) if kept else 1.0,
            "recall": hit / n_core if n_core else 1.0}


def reliability(rows: Rows, probs: list[float], bins: int = ECE_BINS) -> tuple[list[dict], float]:
    """Confidence bins (tenths) against the share right, and the expected calibration error."""
    table, ece, n = [], 0.0, len(probs)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, p in enumerate(probs) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
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


def train_scorer(corpus: Path, out: Path, seed: int = 13, c: float = 0.3, plot_to: Path | None = None,
                 log=print) -> dict:
    """Collect, evaluate by leave-one-document-out, fit on everything, write ``out``; returns
    the figures."""
    rows = collect(corpus, log)
    probs = lodo(rows, seed, c, log)
    chosen = choose_threshold(rows, probs)
    table, ece = reliability(rows, probs)
    high = [i for i, p in enumerate(probs) if p >= 0.9]
    figures = {"documents": len(rows.gold_core), "facts": len(rows.docs),
               "rules": at_threshold(rows, probs, 0.0), "scorer": chosen, "ece": round(ece, 4),
               "right_at_0.9": round(sum(rows.right[i] for i in high) / len(high), 4) if high else None,
               "facts_at_0.9": len(high), "reliability": table}
    vec, lr, iso, _ = _fit(rows.feats, rows.right, rows.docs, seed, c)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(to_dict(vec, lr, iso, chosen["threshold"]), ensure_ascii=False, indent=0) + "\n",
                   encoding="utf-8")
    tmp.replace(out)
    if plot_to is not None:
        plot(table, plot_to)
    return figures
