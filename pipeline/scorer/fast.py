"""The scorer at extraction: ``ScorerModel.probability(features_of(x))`` without the strings.

``features_of`` makes some 61 strings a claim and looks each up. Here each run of families
that read one source (``features.FAMILIES``: the name's character pairs and form marks, the
eight of the rules' chain…) has a table: the value of the source -> the weights of its
features, filled on first sight from the model's weights (a family whose label is its
source, b3, has them all from the start). A claim is then 26 look-ups, and the weights are
summed in the order of ``features_of`` (a float sum depends on its order), so the
probability is the same float to the last bit (``tests/test_scorer_fast.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from itertools import chain, groupby
from operator import attrgetter, getitem, itemgetter

from .features import FAMILIES, Family, FeatureInput, as_is, sources_of
from .model import ScorerModel, calibrate, load

MEMO = 20_000  # values kept a table; a full table starts again empty


class _Memo(dict):
    """A value computed on first sight of its key and kept (at most MEMO: a full memo starts
    again empty)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[Hashable], object]):
        super().__init__()
        self.compute = compute

    def __missing__(self, k: Hashable):
        v = self.compute(k)
        if len(self) >= MEMO:
            self.clear()
        self[k] = v
        return v


class _Known(dict):
    """The weights of a family whose label is its source, a string (b3: the three characters
    before the figure), all in it from the start: a string not in it weighs nothing."""

    __slots__ = ("weigh",)
    NONE = (0.0,)

    def __init__(self, known: dict[str, float], weigh: Callable[[Hashable], tuple[float, ...]]):
        super().__init__((k, (w,)) for k, w in known.items())
        self.weigh = weigh

    def __missing__(self, v: Hashable) -> tuple[float, ...]:
        return self.NONE if type(v) is str else self.weigh(v)


class _Labels(dict):
    """Label -> weight of one family, the model's labels of it in it from the start: a string
    label not in it weighs nothing; another (True, 3, None) is weighed on first sight."""

    __slots__ = ("head", "weights")

    def __init__(self, weights: dict[str, float], name: str, known: dict[str, float]):
        super().__init__(known)
        self.head, self.weights = f"{name}:", weights

    def __missing__(self, label: Hashable) -> float:
        if type(label) is str:
            return 0.0
        w = self[label] = self.weights.get(f"{self.head}{label}", 0.0)  # a few: bools, buckets
        return w


def by_family(weights: dict[str, float]) -> dict[str, dict[str, float]]:
    """The model's weights by family: unit:亿元 -> {"unit": {"亿元": w}}."""
    out: dict[str, dict[str, float]] = {}
    for k, w in weights.items():
        name, _, label = k.partition(":")
        out.setdefault(name, {})[label] = w
    return out


def _run(weights: dict[str, float], families: list[Family], known: dict[str, dict[str, float]]) -> dict:
    """The table of a run of families: the value of their source -> their weights."""
    specs = [(fam.label, _Labels(weights, fam.name, known.get(fam.name, {})), fam.many) for fam in families]

    def weigh(v: Hashable) -> tuple[float, ...]:
        out: list[float] = []
        for label, memo, many in specs:
            if many:
                out += map(memo.__getitem__, label(v))
            else:
                out.append(memo[label(v)])
        return tuple(out)

    if len(families) == 1 and families[0].label is as_is:
        return _Known(known.get(families[0].name, {}), weigh)
    return _Memo(weigh)


class FastScorer:
    """A model's probability of a claim (``FeatureInput``), the weights kept by source."""

    def __init__(self, model: ScorerModel):
        self.model = model
        runs = [(src, list(fams)) for src, fams in groupby(FAMILIES, key=attrgetter("source"))]
        self._runs = runs
        self._sources = itemgetter(*(src for src, _ in runs))  # the source of each run
        self.tables: tuple[dict, ...] = ()
        self.clear()

    def raw(self, x: FeatureInput) -> float:
        """The model's score: ``ScorerModel.raw(features_of(x))``, the same float."""
        runs = map(getitem, self.tables, self._sources(sources_of(x)))  # the weights of each run
        return self.model.intercept + sum(chain.from_iterable(runs))

    def probability(self, x: FeatureInput) -> float:
        """The calibrated probability that the claim is right."""
        m = self.model
        return calibrate(self.raw(x), m.xs, m.ys)

    def clear(self) -> None:
        """Empty tables, as the model is loaded (a benchmark's pass over the same texts again)."""
        w = self.model.weights
        known = by_family(w)
        self.tables = tuple(_run(w, fams, known) for _, fams in self._runs)


@functools.lru_cache(maxsize=4)
def fast_scorer(model: ScorerModel) -> FastScorer:
    """The fast path of ``model``, built once: dropped with the other caches of the package
    when other rules come in force (the name's marks read the rules' count verbs)."""
    return FastScorer(model)


def clear_memo() -> None:
    """Start the shipped scorer's fast path again from empty tables, built now (a benchmark's
    pass over the same texts again)."""
    fast_scorer.cache_clear()
    model = load()
    if model is not None:
        fast_scorer(model)
