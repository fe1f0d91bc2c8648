"""The shipped claim scorer, read from JSON and run in pure Python (no scikit-learn).

A logistic model over binary features gives a score; an isotonic table fitted on held-out
folds turns it into the probability that the claim's facts are right. Claims below the
model's ``threshold`` (chosen by leave-one-document-out) are dropped unless the caller
chooses another (``--min-confidence``; 0 keeps all).
"""

from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "scorer.json"
_ZEROS = repeat(0.0)  # the weight of a feature the model has none for


@dataclass(frozen=True, eq=False)  # one model is one object: a key of the fast path's cache
class ScorerModel:
    intercept: float
    weights: dict[str, float]
    xs: tuple[float, ...]  # calibration: raw scores, ascending
    ys: tuple[float, ...]  # and the probability at each
    threshold: float

    def raw(self, feats: list[str]) -> float:
        return self.intercept + sum(map(self.weights.get, feats, _ZEROS))

    def probability(self, feats: list[str]) -> float:
        """The calibrated probability that a claim with these features is right."""
        return calibrate(self.raw(feats), self.xs, self.ys)


def calibrate(z: float, xs: tuple[float, ...], ys: tuple[float, ...]) -> float:
    """Linear interpolation in the isotonic table, flat beyond its ends (as scikit-learn's
    ``IsotonicRegression(out_of_bounds='clip')``)."""
    if z <= xs[0]:
        return ys[0]
    if z >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, z)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (z - x0) / (x1 - x0)


def from_dict(d: dict) -> ScorerModel:
    return ScorerModel(float(d["intercept"]), {k: float(v) for k, v in d["weights"].items()},
                       tuple(d["calibration"]["x"]), tuple(d["calibration"]["y"]), float(d["threshold"]))


@functools.cache
def load(path: str | None = None) -> ScorerModel | None:
    """The scorer at ``path`` (else the shipped one); None when no scorer is there."""
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    return from_dict(json.loads(p.read_text(encoding="utf-8")))
