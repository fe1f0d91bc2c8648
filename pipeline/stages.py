"""The stages one ``Document`` flows through, in order (as spaCy's ``Language.pipeline``).

Reading a file (``text.ingest``) comes before them and writing (``io.export``) after. Each
stage adds to the document what its ``adds`` says; ``api.build_document`` runs them:

    >>> [s.name for s in STAGES]
    ['normalize', 'segment', 'speaker', 'figures', 'ner', 'about', 'claims']
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .assemble import make_claim
from .context.dates import GIVEN, DocDate, document_date, parse_given, speaks_at, title_of
from .context.genre import document_period, genre_of
from .context.jurisdiction import jurisdiction_of, resolve
from .context.scope import Scope
from .context.subject import speaker_level
from .document import Claim, Document, Sentence, check_deadline
from .grammar.figures import Fig, SentenceParts, analyse, cues
from .grammar.numbers import sentence_gaps
from .grammar.tables import Cell, read_tables
from .linking.drafts import Draft, Ind
from .linking.linker import SentenceLinker
from .ner import runtime as ner
from .ruleset.load import load_rules, pattern
from .scorer.fast import fast_scorer
from .scorer.features import FeatureInput, features_of, input_of
from .scorer.model import ScorerModel
from .scorer.model import load as load_scorer
from .settings import Settings
from .text.normalize import normalize
from .text.segment import split_sentences


@dataclass(frozen=True)
class Stage:
    name: str
    adds: str
    run: Callable[[Document, Settings], None]


def _normalize(doc: Document, settings: Settings) -> None:
    doc.working, doc.script = normalize(doc.text)


def _segment(doc: Document, settings: Settings) -> None:
    doc.sentences = split_sentences(doc.working)


def _speaker(doc: Document, settings: Settings) -> None:
    doc.speaker_level = speaker_level(doc.working.text)


def _figures(doc: Document, settings: Settings) -> None:
    w = doc.working
    gaps = sentence_gaps(doc.text, w.starts, w.ends, [(s.wstart, s.wend) for s in doc.sentences])
    doc.parts = []
    for s, g in zip(doc.sentences, gaps, strict=True):
        check_deadline()
        doc.parts.append(analyse(w.text[s.wstart:s.wend], g))


def _model_path(settings: Settings) -> Path:
    return Path(settings.model_dir) if settings.model_dir else ner.MODEL_DIR


def _ner(doc: Document, settings: Settings) -> None:
    """Whether the model runs; it reads a sentence in ``_claims``, where the rules need it."""
    path = _model_path(settings)
    use = ner.model_available(path) if settings.use_model is None else settings.use_model
    if use:
        doc.source["model"] = ner.model_version(path)


def _head_lines(text: str, n: int = 30) -> list[str]:
    return [ln.strip() for ln in text[:20000].split("\n") if ln.strip()][:n]


def _about(doc: Document, settings: Settings) -> None:
    """Title, date and jurisdiction; what the caller gives (``meta``, ``--date``) wins."""
    meta = doc.meta
    lines = _head_lines(doc.working.text)
    doc.title = meta.get("title") or meta.get("html_title") or title_of(lines)
    doc.genre = meta.get("genre") or genre_of(doc.title, lines, doc.working.text)
    given = meta.get("date") or settings.date
    if given:
        d = parse_given(given)
        strength = int(meta.get("date_strength", GIVEN)) if meta.get("date") else GIVEN
        doc.date = DocDate(d.year, d.month, d.day, meta.get("date_source") or ("meta" if meta.get("date") else "given"),
                           strength)
    else:
        # dates are read in the original too: cleaning drops 发布时间 lines as site furniture
        doc.date = document_date(lines + _head_lines(doc.text), doc.working.text, doc.source.get("path"),
                                 doc.title, meta.get("html_date"), doc.genre)
    doc.about = meta.get("about") or document_period(doc.genre, doc.title, lines)
    if doc.about is None and doc.genre == "statistical_communique" and doc.date and doc.date.year:
        doc.about = f"{doc.date.year - 1}年"  # issued the year after the one it is about
    doc.speaks_at = meta.get("speaks_at") or speaks_at(doc.date, doc.working.text)
    if meta.get("jurisdiction"):
        doc.jurisdiction = resolve(meta["jurisdiction"], "meta")
    else:
        doc.jurisdiction = jurisdiction_of(lines, doc.working.text, doc.source.get("path"),
                                           doc.speaker_level, doc.title)
    doc.speaker_level = _own_level(doc) or doc.speaker_level


_OWN_LEVELS = "省市县区旗盟州镇乡"


def _own_level(doc: Document) -> str | None:
    """The level its own name says, for a document whose title or head names it (仁寿县: 县, so
    全县 is its own and 全省 a benchmark, however often 全省 is said)."""
    j = doc.jurisdiction
    if j is None or not j.name or j.source not in ("title", "text", "meta"):
        return None
    return j.name[-1] if j.name[-1] in _OWN_LEVELS else None


def _scorer(settings: Settings) -> tuple[ScorerModel | None, float]:
    """The scorer to run (None: the rules' confidence) and the confidence a claim needs."""
    model = load_scorer() if settings.scorer == "on" else None
    if model is None:
        return None, 0.0
    # by default every claim is kept (the scorer only sets confidence): its recommended threshold
    # (model.threshold, chosen by leave-one-document-out) gains +0.013 precision held out, short of
    # the +0.03 that would make dropping the default, and drops right claims on text unlike most
    # of its training pages (the national reports' targets found fall at it); --min-confidence chooses
    return model, 0.0 if settings.min_confidence is None else settings.min_confidence


SCORE_BATCH = 256  # claims scored together: the scorer's tables stay warm between them


def _score(doc: Document, pending: list[tuple[Claim, FeatureInput]], model: ScorerModel | None) -> None:
    """Score the claims of ``pending`` (their confidence becomes the scorer's probability; with
    no model, ``collect``: keep their features for ``zhibiao train-scorer``), then empty it."""
    if model is None:
        doc.features += [features_of(x) for _, x in pending]
    else:
        p = fast_scorer(model).probability  # = model.probability(features_of(x)), the same float
        for claim, x in pending:
            claim.confidence = round(p(x), 3)
    pending.clear()


def _drop_below(doc: Document, floor: float, first: int) -> None:
    """Drop the claims from ``first`` on that the scorer gives less than ``floor``; the ones
    kept are numbered again in order (as ``make_claim`` numbers them)."""
    kept = [c for c in doc.claims[first:] if c.confidence >= floor]
    if len(kept) < len(doc.claims) - first:
        for n, c in enumerate(kept, first + 1):
            c.id = f"{doc.doc_id}:{n}"
        doc.claims[first:] = kept


def _table_drafts(sent: Sentence, parts: SentenceParts, cells: list[Cell]) -> list[Draft]:
    """The drafts of the table cells in ``sent`` (one per name, in order); the sentence's
    other figures that a cell covers, or that stand in a header row, are left out."""
    if not cells:
        return []
    at = sent.wstart
    parts.figs = [f for f in parts.figs
                  if not any(c.start < at + f.end and at + f.start < c.end for c in cells)]
    rows: dict[tuple[str, int], list[tuple[Draft, bool]]] = {}  # a row's drafts, with their column's kind
    out: list[Draft] = []  # every draft: a row of two levels (2024年|2025年) has two
    for c in cells:
        if c.fig is None:
            continue
        f = replace(c.fig, start=c.fig.start - at, end=c.fig.end - at)
        lo, hi = (c.name_start - at, c.name_end - at) if c.name_start >= at else (f.start, f.start)
        row = rows.setdefault((c.name, c.name_start), [])
        d = _row_draft(row, f, c) if row else None
        if d is None:
            if c.average:  # the span of the table's year columns, else the last level's year
                period, horizon = c.period or (row[-1][0].period if row else None), "average"
            else:
                period, horizon = c.period, None
            d = Draft(Ind(c.name, c.name, cues().canon.get(c.name), lo, hi, strategy="table.row"), period=period,
                      horizon=horizon, kind="target" if c.goal else None)
            row.append((d, c.cumulative))
            out.append(d)
        d.add(f, None)
    return out


def _row_draft(row: list[tuple[Draft, bool]], f: Fig, c: Cell) -> Draft | None:
    """The draft of a row a cell's figure joins: a growth the level of its kind (累计比上年同期增长
    to the 1-6月 column), else the first level whose column is no past year (2023年|2022年|增长%:
    2023年's); a level of its own column a draft of its own. None: a new draft."""
    if f.type != "growth":
        return None if row[-1][0].value is not None or row[-1][0].period != c.period else row[-1][0]
    free = [(d, cum) for d, cum in row if d.accepts(f, None)]
    if not free:
        return None
    if c.average:  # 2020年|2025年|年均增长: the average growth over the plan, a claim of its own
        return None
    same = [d for d, cum in free if cum == c.cumulative]
    current = [d for d in (same or [d for d, _ in free]) if not _past_column(d.period)]
    return (current or same or [free[0][0]])[0]


def _past_column(period: str | None) -> bool:
    """A column of an earlier period (上年, 2022年 beside 2023年): no growth of this period goes there."""
    return bool(period) and (period.startswith(("上年", "去年")) or period in _PAST_HEADERS)


_PAST_HEADERS = ("上年同期", "去年同期")


def _marks(parts: SentenceParts) -> list[tuple[str, str, bool]]:
    """What linking changes in a sentence's figures (a comparison read as a growth)."""
    return [(f.type, f.rule, f.comparison) for f in parts.figs]


def _link(doc: Document, cells: list[Cell], model: Path | None) -> list[list[Draft]]:
    """The drafts of every sentence: its table cells', then the rules'. Where the rules leave
    a figure without a claim, the model (at ``model``) reads the sentence, all such sentences
    of the document in one batch, and the rules link it again with its spans: a name where
    they found none, ``rule+model`` where it agrees. Run on every sentence, it took longer
    than the rules alone (+40-60%) and changed only the ``method`` of claims named already."""
    at = [c.start for c in cells]
    out: list[list[Draft]] = []
    redo: dict[int, tuple[int, list[tuple[str, str, bool]]]] = {}
    for i, (sent, parts) in enumerate(zip(doc.sentences, doc.parts, strict=True)):
        check_deadline()
        drafts = _table_drafts(sent, parts, cells[bisect_left(at, sent.wstart):bisect_left(at, sent.wend)])
        if parts.figs:
            marks = _marks(parts) if model is not None else []
            carried = out[-1][-1].ind.name if out and out[-1] else None  # the sentence before's last name
            linked = SentenceLinker(parts, doc.speaker_level, carried=carried).run()
            claimed = {id(f) for d in linked for f in d.figs}
            if model is not None and not all(id(f) in claimed for f in parts.figs):
                redo[i] = (len(drafts), marks)
            drafts += linked
        out.append(drafts)
    if model is not None and redo and ner.annotate(doc, model, only=list(redo)):
        for i, (n_table, marks) in redo.items():
            parts = doc.parts[i]
            if parts.model_spans:  # linked again from the figures as they were
                for f, (kind, rule, comparison) in zip(parts.figs, marks, strict=True):
                    f.type, f.rule, f.comparison = kind, rule, comparison
                out[i][n_table:] = SentenceLinker(parts, doc.speaker_level).run()
    return out


def plan_period(doc: Document) -> str | None:
    """The period a plan section of ``doc`` speaks of when its heading names none: a five-year
    plan's span (十二五时期), or the year a work report, a budget report or a speech is given in
    (cues.yaml kind.plan_year_genres)."""
    d = doc.date
    if doc.genre == "plan" and doc.title:  # 第十二个五年规划纲要: its goals are 十二五时期's
        m = pattern("document", "date", "title_plan").search(doc.title)
        if m:
            return f"十{m.group('n') or ''}五时期"
    genres = load_rules("cues")["kind"].get("plan_year_genres", [])
    return f"{d.year}年" if d and d.year and doc.genre in genres else None


def _claims(doc: Document, settings: Settings) -> None:
    model, floor = _scorer(settings)
    collect = settings.scorer == "collect"
    carried = doc.meta.get("scope")  # a streamed document's state at the end of the chunk before
    scope = Scope(**carried) if carried else Scope(period=doc.about, year_ref=doc.about, default_period=doc.about,
                                                   plan_period=plan_period(doc))
    w = doc.working.text
    linked = _link(doc, read_tables(w), _model_path(settings) if "model" in doc.source else None)
    first, pending = len(doc.claims), []
    for i, sent in enumerate(doc.sentences):
        check_deadline()
        parts, drafts = doc.parts[i], linked[i]
        text = w[sent.wstart:sent.wend]
        scope.open(sent, text)
        for d in drafts:
            claim = make_claim(doc, sent, parts, d, len(doc.claims) + 1, scope)
            if claim is not None:
                doc.claims.append(claim)
                if model or collect:
                    pending.append((claim, input_of(doc.genre, parts, d, claim)))
        if len(pending) >= SCORE_BATCH:
            _score(doc, pending, model)
        scope.close(sent, text, parts)
        linked[i] = None  # done with: a page of figures then peaks near the size of its claims
        if not settings.keep_figures:
            doc.parts[i] = None
    _score(doc, pending, model)
    if floor > 0:
        _drop_below(doc, floor, first)
    if not settings.keep_figures:
        doc.parts = []
    doc.scope_state = scope.state()


STAGES: tuple[Stage, ...] = (
    Stage("normalize", "working text with its offset map to the original; script", _normalize),
    Stage("segment", "sentences and paragraphs", _segment),
    Stage("speaker", "the speaker's own level (区, 市…)", _speaker),
    Stage("figures", "each sentence's figures, lexicon mentions, periods, clauses", _figures),
    Stage("ner", "whether the model reads the sentences the rules leave a figure unnamed in", _ner),
    Stage("about", "title, date (what 今年 refers to) and jurisdiction", _about),
    Stage("claims", "claims: indicators linked, kind, period, subject, offsets", _claims),
)
