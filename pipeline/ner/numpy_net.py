"""The shipped NER run in numpy: spaCy's arithmetic without importing spaCy.

The model is spaCy's transition-based ``ner``: a HashEmbedCNN tok2vec (hashed NORM, PREFIX,
SUFFIX and SHAPE embeddings, a maxout layer, two residual window layers), a linear
projection, and a greedy BILUO parser whose state reads three tokens. ``export`` writes
its weights to ``numpy.npz`` beside the spaCy model (``zhibiao train`` does it);
``NumpyNER`` computes the same spans from them. Importing spaCy costs about a second in
every process; numpy is loaded already. ``tests/test_ner_numpy.py`` checks that both
give the same entities on the corpus.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .weights import WEIGHTS

CACHE_WORDS = 50_000  # embedded words kept between documents (about 20 MB at most)
_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy's StringStore hashes strings (seed 1)."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[end:], "little")) * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    return h ^ (h >> 47)


def word_shape(text: str) -> str:
    """spaCy's SHAPE: x/X for letters (any script), d for digits, runs cut at four."""
    if len(text) >= 100:
        return "LONG"
    out, last, seq = [], "", 0
    for ch in text:
        c = ("X" if ch.isupper() else "x") if ch.isalpha() else "d" if ch.isdigit() else ch
        if c == last:
            seq += 1
        else:
            seq, last = 0, c
        if seq < 4:
            out.append(c)
    return "".join(out)


_U = np.uint64


def thinc_hash(ids: np.ndarray, seed: int) -> np.ndarray:
    """thinc's ``ops.hash``: four 32-bit keys per 64-bit id (its MurmurHash3 variant)."""
    with np.errstate(over="ignore"):
        h1 = ids.astype(np.uint64) * _U(0x87C37B91114253D5)
        h1 = (h1 << _U(31)) | (h1 >> _U(33))
        h1 = h1 * _U(0x4CF5AD432745937F)
        h1 ^= _U(seed)
        h1 ^= _U(8)
        h2 = np.full_like(h1, _U(seed) ^ _U(8))
        h1 = h1 + h2
        h2 = h2 + h1
        out = []
        for h in (h1, h2):
            h = h ^ (h >> _U(33))
            h = h * _U(0xFF51AFD7ED558CCD)
            h = h ^ (h >> _U(33))
            h = h * _U(0xC4CEB9FE1A85EC53)
            out.append(h ^ (h >> _U(33)))
        h1, h2 = out
        h1 = h1 + h2
        h2 = h2 + h1
    lo = _U(0xFFFFFFFF)
    return np.stack([h1 & lo, h1 >> _U(32), h2 & lo, h2 >> _U(32)], axis=1).astype(np.uint32)


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True) + 1e-08
    y = (x - mu) * var ** (-1.0 / 2.0)
    y = y * g
    y += b
    return y


def _maxout(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    n_out, n_pieces, n_in = w.shape
    y = x @ w.reshape(n_out * n_pieces, n_in).T
    y += b.reshape(n_out * n_pieces)
    y = y.reshape(len(x), n_out, n_pieces)
    best = y[:, :, 0]
    for p in range(1, n_pieces):
        best = np.maximum(best, y[:, :, p])
    return best


def _seq2col(x: np.ndarray) -> np.ndarray:
    """Each row next to its neighbours (window 1), zeros beyond the ends."""
    z = np.zeros((1, x.shape[1]), dtype=x.dtype)
    return np.concatenate([np.concatenate([z, x[:-1]]), x, np.concatenate([x[1:], z])], axis=1)


def one_blas_thread() -> Callable[[], contextlib.AbstractContextManager]:
    """A context in which BLAS runs on one thread. The model's products are small: OpenBLAS's
    second thread, waiting for a core the machine keeps busy, cost more than the product
    (15 ms a call on a loaded two-core machine, the model's time doubled)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a dependency; without it BLAS keeps its threads
        return contextlib.nullcontext
    ctl = ThreadpoolController()
    return lambda: ctl.limit(limits=1, user_api="blas")


# BILUO moves as spaCy numbers them (ner.pyx)
BEGIN, IN, LAST, UNIT, OUT = 1, 2, 3, 4, 5


def _moves_allowed(moves: np.ndarray, labelled: np.ndarray, op: bool, two: bool, sp: bool) -> list[bool]:
    """Which of ``moves`` a doc may take: an entity open (``op``), at least two tokens left
    (``two``), the token a space (``sp``, where no entity begins)."""
    out = []
    for m, lab in zip(moves, labelled, strict=True):
        if not lab:
            out.append(bool(not op) if m == OUT else False)
        elif m == BEGIN:
            out.append(bool(not op and two and not sp))
        elif m == IN:
            out.append(bool(op and two))
        elif m == LAST:
            out.append(bool(op))
        elif m == UNIT:
            out.append(bool(not op and not sp))
        else:
            out.append(False)
    return out


class NumpyNER:
    """Greedy BILUO NER over jieba tokens, from the weights ``export`` wrote."""

    def __init__(self, path: Path | str, tokenize: Callable[[str], list[str]]):
        z = np.load(Path(path) / WEIGHTS)
        self.w = {k: z[k] for k in z.files}
        self.tokenize = tokenize
        self.moves = self.w["moves"]  # (n_classes,) move codes
        self.labelled = self.w["labelled"].astype(bool)  # class has the entity label
        self.unseen = self.w["unseen"].astype(bool)
        self.norms = dict(zip(self.w["norm_keys"].tolist(), self.w["norm_values"].tolist(), strict=True))
        # reserved strings (POS tags, attribute names, "X", "_") have small fixed ids
        self._symbols = dict(zip(self.w["symbol_keys"].tolist(), self.w["symbol_values"].tolist(), strict=True))
        self._ids: dict[str, int] = dict(self._symbols)
        self._vec: dict[str, np.ndarray] = {}
        self._one_thread = one_blas_thread()

    def _string_id(self, s: str) -> int:
        v = self._ids.get(s)
        if v is None:
            v = self._ids[s] = murmurhash64a(s.encode("utf-8"))
        return v

    def _embed(self, words: list[str]) -> None:
        """Cache the embedding layer's output for words not seen yet."""
        new = [t for t in dict.fromkeys(words) if t not in self._vec]
        if not new:
            return
        if len(self._vec) + len(new) > CACHE_WORDS:  # memory stays flat over any archive
            self._vec.clear()
            self._ids.clear()
            self._ids.update(self._symbols)
            new = list(dict.fromkeys(words))
        sid = self._string_id
        ids = np.array([[sid(self.norms.get(t) or t.lower()), sid(t[0]), sid(t[-3:]), sid(word_shape(t))] for t in new],
                       dtype=np.uint64)
        cols = []
        for c in range(4):
            table = self.w[f"E{c}"]
            keys = thinc_hash(ids[:, c], int(self.w["seeds"][c])) % np.uint32(len(table))
            v = table[keys[:, 0]].copy()
            for j in (1, 2, 3):
                v += table[keys[:, j]]
            cols.append(v)
        x = _maxout(np.concatenate(cols, axis=1), self.w["embed_W"], self.w["embed_b"])
        x = _layer_norm(x, self.w["embed_G"], self.w["embed_B"])
        for t, row in zip(new, x, strict=True):
            self._vec[t] = row

    def _token_vectors(self, docs: list[list[str]]) -> np.ndarray:
        """Tok2vec output of all docs, concatenated (thinc's ``with_array`` padding kept)."""
        pad = 2  # the encoder's receptive field: window 1, depth 2
        width = self.w["embed_W"].shape[0]
        zeros = np.zeros((pad, width), dtype=np.float32)
        parts = []
        for words in docs:
            parts += [zeros, np.stack([self._vec[t] for t in words])]
        parts.append(zeros)
        x = np.concatenate(parts)
        for i in range(2):
            h = _maxout(_seq2col(x), self.w[f"enc{i}_W"], self.w[f"enc{i}_b"])
            x = x + _layer_norm(h, self.w[f"enc{i}_G"], self.w[f"enc{i}_B"])
        keep = np.zeros(len(x), dtype=bool)
        pos = pad
        for words in docs:
            keep[pos:pos + len(words)] = True
            pos += len(words) + pad
        x = x[keep]
        y = x @ self.w["proj_W"].T
        y += self.w["proj_b"]
        return y

    def _parse(self, docs: list[list[str]]) -> list[list[tuple[int, int]]]:
        """Entity token spans [start, end) of each doc, by greedy BILUO decoding."""
        x = self._token_vectors(docs)
        lw = self.w["lower_W"]  # (nF, nO, nP, nI)
        n_f, n_o, n_p, n_i = lw.shape
        cached = np.empty((len(x) + 1, n_f, n_o, n_p), dtype=np.float32)
        cached[1:] = (x @ lw.reshape(n_f * n_o * n_p, n_i).T).reshape(len(x), n_f, n_o, n_p)
        cached[0] = self.w["lower_pad"][0]  # row 0: the padding features of absent tokens
        lens = np.array([len(d) for d in docs])
        offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
        space = np.array([t.isspace() for d in docs for t in d], dtype=bool)
        open_at = np.full(len(docs), -1)
        spans: list[list[tuple[int, int]]] = [[] for _ in docs]
        moves = self.moves
        for t in range(int(lens.max(initial=0))):
            act = np.nonzero(lens > t)[0]
            b0 = offsets[act] + t
            op = open_at[act] >= 0
            r1 = np.where(op, offsets[act] + open_at[act] + 1, 0)
            r2 = np.where(op, b0, 0)  # B(0) - 1, shifted by the padding row
            h = cached[b0 + 1, 0] + cached[r1, 1] + cached[r2, 2]
            h += self.w["lower_b"]
            scores = np.maximum(h[:, :, 0], h[:, :, 1]) if n_p == 2 else h.max(axis=2)
            scores = scores @ self.w["upper_W"].T
            scores += self.w["upper_b"]
            if self.unseen.any():
                scores[:, self.unseen] = scores.min()
            valid = self._valid(scores.shape, op, (lens[act] - t) >= 2, space[b0])
            guess = np.where(valid, scores, -np.inf).argmax(axis=1)
            self._step(t, act.tolist(), moves[guess].tolist(), open_at, spans)
        return spans

    def _valid(self, shape: tuple[int, ...], op, two, sp):
        """Which moves each active doc may take: BILUO constraints (B and U not on spaces),
        the row of ``_moves_allowed`` for its (open, two tokens left, space) state."""
        return self._allowed[op.astype(np.intp) * 4 + two * 2 + sp]

    @functools.cached_property
    def _allowed(self) -> np.ndarray:
        """The moves allowed in each of the eight states (open, two tokens left, space),
        indexed by open * 4 + two * 2 + space: one look-up a step instead of a test a move."""
        rows = []
        for state in range(8):
            op, two, sp = np.array([state >> 2 & 1, state >> 1 & 1, state & 1], dtype=bool)
            rows.append(_moves_allowed(self.moves, self.labelled, op, two, sp))
        return np.array(rows, dtype=bool)

    @staticmethod
    def _step(t: int, docs: list[int], guesses: list[int], open_at, spans: list[list[tuple[int, int]]]) -> None:
        """Apply each doc's move at token ``t``: open, close or single-token spans."""
        for i, g in zip(docs, guesses, strict=True):
            if g == BEGIN:
                open_at[i] = t
            elif g == LAST:
                spans[i].append((int(open_at[i]), t + 1))
                open_at[i] = -1
            elif g == UNIT:
                spans[i].append((t, t + 1))

    def pipe(self, texts: Sequence[str], batch_size: int = 256) -> list[list[tuple[int, int]]]:
        """Character spans [start, end) of the entities of each text."""
        with self._one_thread():
            return self._pipe(texts, batch_size)

    def _pipe(self, texts: Sequence[str], batch_size: int) -> list[list[tuple[int, int]]]:
        out: list[list[tuple[int, int]]] = []
        for i in range(0, len(texts), batch_size):
            batch = [[w for w in self.tokenize(t) if w] for t in texts[i:i + batch_size]]
            full = [d for d in batch if d]
            self._embed([w for d in full for w in d])
            parsed = iter(self._parse(full) if full else [])
            for words in batch:
                if not words:
                    out.append([])
                    continue
                starts = np.concatenate([[0], np.cumsum([len(w) for w in words])]).tolist()
                out.append([(starts[a], starts[b]) for a, b in next(parsed)])
        return out


def export(nlp, path: Path | str) -> None:
    """Write the weights of ``nlp``'s ``ner`` to ``path/numpy.npz`` (spaCy needed here only)."""
    ner = nlp.get_pipe("ner")
    cfg = nlp.config["components"]["ner"]["model"]
    t2v = cfg["tok2vec"]
    expected = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                "extra_state_tokens": False, "use_upper": True}
    if any(cfg.get(k) != v for k, v in expected.items()) or t2v.get("@architectures") != "spacy.HashEmbedCNN.v2" \
            or t2v.get("window_size") != 1 or t2v.get("depth") != 2 or not t2v.get("subword_features") \
            or t2v.get("pretrained_vectors"):
        raise ValueError("numpy inference covers HashEmbedCNN.v2 (window 1, depth 2) + TransitionBasedParser.v2 ner")
    model = ner.model
    nodes = list(model.walk(order="dfs_pre"))
    embeds = sorted((n for n in nodes if n.name == "hashembed"), key=lambda n: n.attrs["column"])
    maxouts = [n for n in nodes if n.name == "maxout"]
    norms = [n for n in nodes if n.name == "layernorm"]
    tok2vec, lower, upper = model.layers
    proj = tok2vec.layers[-1]
    w: dict[str, np.ndarray] = {}
    for c, e in enumerate(embeds):
        w[f"E{c}"] = np.asarray(e.get_param("E"), dtype=np.float32)
    w["seeds"] = np.array([e.attrs["seed"] for e in embeds], dtype=np.uint32)
    for name, mo, ln in zip(("embed", "enc0", "enc1"), maxouts, norms, strict=True):
        w[f"{name}_W"], w[f"{name}_b"] = mo.get_param("W"), mo.get_param("b")
        w[f"{name}_G"], w[f"{name}_B"] = ln.get_param("G"), ln.get_param("b")
    w["proj_W"], w["proj_b"] = proj.get_param("W"), proj.get_param("b")
    w["lower_W"], w["lower_b"], w["lower_pad"] = (lower.get_param(k) for k in ("W", "b", "pad"))
    w["upper_W"], w["upper_b"] = upper.get_param("W"), upper.get_param("b")
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]  # "B-INDICATOR", "O"
    w["moves"] = np.array(["MBILUO".index(n[0]) for n in names], dtype=np.int32)
    w["labelled"] = np.array([n.partition("-")[2] != "" for n in names], dtype=bool)
    unseen = model.attrs.get("unseen_classes") or set()
    w["unseen"] = np.array([i in unseen for i in range(len(names))], dtype=bool)
    from spacy.lang.norm_exceptions import BASE_NORMS  # spaCy's vocab applies them to NORM
    from spacy.symbols import IDS  # the StringStore gives these strings their symbol ids

    w["symbol_keys"] = np.array(list(IDS))
    w["symbol_values"] = np.array(list(IDS.values()), dtype=np.uint64)
    w["norm_keys"] = np.array(list(BASE_NORMS))
    w["norm_values"] = np.array(list(BASE_NORMS.values()))
    np.savez(Path(path) / WEIGHTS, **{k: np.ascontiguousarray(v) for k, v in w.items()})
