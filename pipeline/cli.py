"""The ``zhibiao`` command: a thin layer over the library API."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import math
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

from .api import DEFAULT_TIMEOUT, Extractor
from .dev.evaluate import (
    GoldError,
    evaluate,
    failed_documents,
    load_gold,
    load_output,
    missing_documents,
    report,
)
from .io.export import schema
from .io.meta import MetaError, check_date, load_meta
from .io.textsafe import for_terminal, json_for_terminal
from .ner import runtime as ner
from .ruleset import catalogue
from .run.batch import BatchError, BatchStats, Engine, run_batch, run_to_stream
from .run.cluster import ClusterError
from .run.files import extract_file
from .run.inputs import iter_inputs, output_problem, spool_stdin, unique_inputs
from .run.pool import STDIN
from .settings import Settings
from .text.ingest import DEFAULT_MAX_BYTES
from .version import __version__

# exit codes: all went well; some documents failed; a usage or option error; the run failed
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3


def _error(message: str, code: int) -> int:
    """Say one line on stderr (``zhibiao: error: ...``) and give back the exit code."""
    print(f"zhibiao: error: {for_terminal(message)}", file=sys.stderr)
    return code


def _progress(total: int):
    """A progress bar (documents/s) on a terminal; nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, smoothing=0.1)


def _model_flag(a: argparse.Namespace) -> bool | None:
    """False for --no-model, else None: the model (--model's, or the shipped one) where present."""
    return False if getattr(a, "no_model", False) else None


def _fail(message: str, code: int) -> int:
    """One line on stderr, and the exit code (2: usage or option, 3: the run failed)."""
    print(f"zhibiao: error: {message}", file=sys.stderr)
    return code


def _engine_error(a: argparse.Namespace) -> str | None:
    """What is wrong with ``--engine``/``--scheduler``: dask not installed, or a scheduler without it."""
    if a.scheduler and a.engine != "dask":
        return f"--scheduler {a.scheduler} needs --engine dask"
    if a.engine == "dask":
        from .run.cluster import missing

        return missing()
    return None


def _option_error(a: argparse.Namespace) -> str | None:
    """What is wrong with the options of ``extract``, checked before any work."""
    if not (math.isfinite(a.timeout) and a.timeout > 0):
        return f"--timeout must be a positive number of seconds, not {a.timeout:g}"
    if a.max_bytes < 1:
        return f"--max-bytes must be at least 1, not {a.max_bytes}"
    if a.workers < 0:
        return f"--workers must be 0 (one per core) or more, not {a.workers}"
    if a.min_confidence is not None and not 0.0 <= a.min_confidence <= 1.0:
        return f"--min-confidence must be between 0 and 1, not {a.min_confidence:g}"
    engine = _engine_error(a)
    if engine:
        return engine
    if a.model and not ner.model_available(Path(a.model)):
        return f"--model {a.model}: no model there (a folder from 'zhibiao train --out')"
    model_dir = Path(a.model) if a.model else ner.MODEL_DIR
    if not a.no_model and ner.model_available(model_dir):
        try:
            ner.check_model(model_dir)
        except ValueError as exc:
            return f"--model {a.model}: {exc}" if a.model else str(exc)
    if a.date:
        try:
            check_date(a.date)
        except ValueError as exc:
            return f"--date: {exc}"
    return None


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C (exit 143): partial output kept, spools removed."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _engine(a: argparse.Namespace) -> Engine | None:
    """Where documents are extracted: None for the worker pool, else Dask's (``--engine dask``)."""
    if a.engine != "dask":
        return None
    from .run.cluster import engine

    return engine(a.scheduler)


def _run(a: argparse.Namespace, todo: list[str], extractor: Extractor, meta: dict | None,
         stdin_file: str | None) -> BatchStats:
    workers = max(1, a.workers or os.cpu_count() or 1)
    bar = _progress(len(todo))
    try:
        with terminate_as_exit():
            run = functools.partial(run_batch, todo, a.output) if a.output else \
                functools.partial(run_to_stream, todo, sys.stdout)
            return run(workers, extractor, meta=meta, stdin_file=stdin_file,
                       on_done=(lambda _p: bar.update(1)) if bar else None, engine=_engine(a))
    finally:
        if bar:
            bar.close()


def _summary(a: argparse.Namespace, stats: BatchStats, skipped: list[str]) -> None:
    """The run in a few lines on stderr; file names and messages with control characters
    escaped (a name can carry terminal escape sequences)."""
    from .io.textsafe import for_terminal as safe

    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.kinds.items()))
    print(f"zhibiao: {stats.documents} documents, {stats.claims} claims ({kinds or 'none'})"
          + (f", {stats.reused} already done" if getattr(stats, "reused", 0) else "")
          + (f", {len(skipped)} files skipped" if skipped else "")
          + (f" -> {safe(a.output)}" if a.output else ""), file=sys.stderr)
    for p in skipped:
        print(f"  skipped (not .txt/.html): {safe(p)}", file=sys.stderr)
    for p, code, msg in stats.failed:
        print(f"  failed [{code}] {safe(p)}: {safe(msg)}", file=sys.stderr)


def cmd_extract(a: argparse.Namespace) -> int:
    """Exit codes: 0 all documents done, 1 some failed (error records in the output),
    2 a usage or option error, 3 the run failed (output not writable, locked...)."""
    problem = _option_error(a)
    if problem:
        return _fail(problem, 2)
    try:
        extractor = Extractor(Settings(use_model=_model_flag(a), timeout=a.timeout, date=a.date, model_dir=a.model,
                                       min_confidence=a.min_confidence, segmenter=a.segmenter,
                                       max_bytes=a.max_bytes))
    except (RuntimeError, ValueError, TypeError) as exc:
        return _fail(str(exc), 2)
    files = list(iter_inputs(a.inputs))
    todo = unique_inputs([p for p, r in files if r is None])
    skipped = [p for p, r in files if r is not None]
    problem = a.output and output_problem(a.output, todo)
    if problem:
        return _fail(problem, 2)
    meta = None
    if a.meta:
        try:
            meta = load_meta(a.meta, todo)
        except MetaError as exc:
            return _fail(str(exc), 2)
    stdin_file = spool_stdin(sys.stdin.buffer, a.max_bytes) if STDIN in todo else None
    try:
        stats = _run(a, todo, extractor, meta, stdin_file)
    except (OSError, BatchError, ClusterError) as exc:
        return _fail(str(exc), 3)
    except KeyboardInterrupt:
        return _fail(interrupted_note(a.output), 3)
    finally:
        if stdin_file:
            os.unlink(stdin_file)
    _summary(a, stats, skipped)
    return 1 if stats.failed else 0


def interrupted_note(output: str | None) -> str:
    """What Ctrl-C leaves: how many documents are saved and how to go on."""
    if not output:
        return "interrupted"
    partial = output + ".partial"
    try:
        with open(partial, "rb") as fh:
            saved = max(0, sum(1 for line in fh if line.endswith(b"\n")) - 1)  # less the header
    except OSError:
        return "interrupted"
    return (f"interrupted: {saved} documents saved in {partial}; run the same command again "
            "to resume")


def cmd_eval(a: argparse.Namespace) -> int:
    use_model = _model_flag(a)
    docs_dir = a.docs or os.path.join(os.path.dirname(os.path.abspath(a.gold)), "speeches")
    try:
        gold = load_gold(a.gold)
        outputs = load_output(a.output) if a.output else {}
    except GoldError as exc:
        return _error(str(exc), EXIT_USAGE)
    if not a.output:
        outputs = {}
        for p, r in iter_inputs([docs_dir]):
            if r is None:
                d = extract_file(p, use_model=use_model, model_dir=a.model).to_dict()
                outputs[d["doc_id"]] = d
    missing = missing_documents(gold, outputs)
    for doc_id in missing:
        print(f"zhibiao: warning: no output for gold document {for_terminal(doc_id)}: "
              "all its gold facts count as misses", file=sys.stderr)
    failed = failed_documents(gold, outputs)
    for doc_id, codes in failed.items():
        print(f"zhibiao: warning: gold document {for_terminal(doc_id)} was not read whole "
              f"({', '.join(codes)}): it kept no claims, so all its gold facts count as misses", file=sys.stderr)
    total, per = evaluate(a.gold, outputs, docs_dir)
    if a.json:
        print(json.dumps({"overall": total.figures(), "missing_documents": missing, "failed_documents": failed,
                          "documents": {k: v.figures() for k, v in per.items()}},
                         ensure_ascii=False, indent=2))
    else:
        print(report(total, per, details=not a.quiet))
    return 0


def cmd_train(a: argparse.Namespace) -> int:
    import importlib.util

    if importlib.util.find_spec("spacy") is None:
        return _error("training needs spaCy: pip install 'zhibiao[train]'", EXIT_FAILED)
    from .dev.train_ner import train_from_corpus

    out = a.out or str(ner.MODEL_DIR)
    facts = train_from_corpus(Path(a.corpus), Path(out), seed=a.seed, epochs=a.epochs,
                              exclude=set(a.exclude or []),
                              log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(facts, ensure_ascii=False))
    print(f"zhibiao: model written to {out}", file=sys.stderr)
    return 0


def cmd_train_scorer(a: argparse.Namespace) -> int:
    import importlib.util

    if importlib.util.find_spec("sklearn") is None:
        return _error("training the scorer needs scikit-learn: pip install 'zhibiao[train]'", EXIT_FAILED)
    from .dev.train_scorer import train_scorer
    from .scorer.model import MODEL_PATH

    if not Path(a.corpus, "gold").is_dir():
        return _error(f"--corpus {a.corpus}: no gold/ folder there", EXIT_USAGE)
    out = Path(a.out) if a.out else MODEL_PATH
    figures = train_scorer(Path(a.corpus), out, seed=a.seed, plot_to=Path(a.plot) if a.plot else None,
                           log=lambda m: print(m, file=sys.stderr), weak=a.weakened)
    print(json.dumps(figures, ensure_ascii=False))
    print(f"zhibiao: scorer written to {out}", file=sys.stderr)
    return 0


def cmd_suggest(a: argparse.Namespace) -> int:
    """Names the model found that the lexicon does not have, for a person to accept."""
    from .dev.suggest import unknown_names

    docs: list[dict] = []
    for src in a.inputs:
        if src.endswith(".jsonl"):
            docs += load_output(src).values()
        else:
            docs += [extract_file(p, use_model=True, model_dir=a.model).to_dict()
                     for p, r in iter_inputs([src]) if r is None]
    found = unknown_names(docs)
    for name, sents in found[: a.top]:
        print(f"{len(sents):5}  {name}\t{sents[0][:80]}")
    print(f"zhibiao: {len(found)} model-found names not in rules/indicators.yaml", file=sys.stderr)
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    from .io.tables import EXPORTERS, SUFFIX, check_destination

    dest = a.output or os.path.splitext(a.source)[0] + SUFFIX[a.to]
    if a.part_rows is not None and (a.to != "parquet" or a.part_rows < 1):
        return _error(f"--part-rows needs --to parquet and N of at least 1, not {a.part_rows}", EXIT_USAGE)
    try:
        check_destination(a.source, dest)
    except ValueError as exc:
        return _error(str(exc), EXIT_USAGE)
    try:
        if a.part_rows:
            from .io.parquet import export_parquet_parts

            n = export_parquet_parts(a.source, dest, a.part_rows)
        else:
            n = EXPORTERS[a.to](a.source, dest)
    except RuntimeError as exc:
        return _error(str(exc), EXIT_USAGE)
    print(f"zhibiao: {n} claims -> {for_terminal(dest)}", file=sys.stderr)
    return EXIT_OK


def _panel_summary(df) -> str:
    pairs = df.met.notna()
    met = int((df.met == "yes").sum())
    return f"{len(df)} rows, {int(pairs.sum())} targets with their outcome ({met} met)"


def cmd_panel(a: argparse.Namespace) -> int:
    """Targets against outcomes; exit 2 on a missing or unreadable input or a bad -o."""
    from .panel import panel, write_panel

    if a.output and not a.output.lower().endswith((".csv", ".parquet")):
        return _error(f"-o {a.output}: the panel is written as .csv or .parquet", EXIT_USAGE)
    for p in a.inputs:
        if os.path.isdir(p):
            return _error(f"{p} is a folder; give extract outputs (.jsonl) or SQLite exports (.db)", EXIT_USAGE)
        if not os.path.isfile(p):
            return _error(f"no such file: {p}", EXIT_USAGE)
    try:
        df = panel(a.inputs, canonical=a.canonical, level=a.level)
    except ValueError as exc:
        return _error(str(exc), EXIT_USAGE)
    if a.output:
        write_panel(df, a.output)
        print(f"zhibiao: {_panel_summary(df)} -> {for_terminal(a.output)}", file=sys.stderr)
    else:
        df.to_csv(sys.stdout, index=False)
        print(f"zhibiao: {_panel_summary(df)}", file=sys.stderr)
    return EXIT_OK


def _print_rows(rows: list[dict], a: argparse.Namespace) -> None:
    """The first ``--limit`` rows, as text or JSON Lines, saying when the list was cut."""
    shown = rows[: a.limit]
    if a.json:
        for r in shown:
            print(json_for_terminal(json.dumps(r, ensure_ascii=False)))
        if len(rows) > len(shown):
            print(f"zhibiao: showing {len(shown):,} of {len(rows):,} claims; --limit N to see more",
                  file=sys.stderr)
    else:
        from .serve.query import render

        print(render(shown, color=sys.stdout.isatty(), total=len(rows)))


def cmd_query(a: argparse.Namespace) -> int:
    from .serve.query import load_rows, search

    rows = search(load_rows(a.source), a.indicator or "", subject=a.subject, kind=a.kind,
                  year=a.year, doc=a.doc, period=a.period, canonical=a.canonical, exact=a.exact,
                  min_confidence=a.min_confidence)
    _print_rows(rows, a)
    return EXIT_OK


def cmd_serve(a: argparse.Namespace) -> int:
    from .serve.server import serve

    try:
        serve(a.db, host=a.host, port=a.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return _error(f"port {a.port} on {a.host} is in use (try --port N)", EXIT_FAILED)
        raise
    return EXIT_OK


def cmd_schema(a: argparse.Namespace) -> int:
    print(json.dumps(schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_indicators(a: argparse.Namespace) -> int:
    """The indicator catalogue: key, Chinese and English name, unit class, names."""
    import csv

    rows = [{"key": e.key, "zh": e.zh, "en": e.en, "unit": e.unit, "names": list(e.names)}
            for e in catalogue.entries()]
    if a.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["key", "zh", "en", "unit", "names"])
    for r in rows:
        w.writerow([r["key"], r["zh"], r["en"], r["unit"], "|".join(r["names"])])
    return 0


MAIN_EPILOG = """examples:
  zhibiao extract corpus/speeches -o out/claims.jsonl
  zhibiao export out/claims.jsonl --to sqlite        # out/claims.db
  zhibiao query out/claims.db 财政收入 --kind target
  zhibiao serve out/claims.db                        # http://127.0.0.1:8765/

exit codes: 0 ok, 1 some documents failed, 2 usage or option error, 3 the run failed"""


def _examples(*lines: str) -> dict:
    return {"epilog": "examples:\n" + "\n".join("  " + x for x in lines),
            "formatter_class": argparse.RawDescriptionHelpFormatter}


def _limit(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def _confidence(text: str) -> float:
    x = float(text)
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return x


def _add_export(sub) -> None:
    x = sub.add_parser("export", help="one row per claim: csv, parquet or sqlite", **_examples(
        "zhibiao export out/claims.jsonl --to sqlite", "zhibiao export out/claims.jsonl --to csv -o claims.csv"))
    x.add_argument("source", help="extract output (.jsonl)")
    x.add_argument("--to", choices=["csv", "parquet", "sqlite"], required=True)
    x.add_argument("-o", "--output", help="destination (default: beside the source)")
    x.add_argument("--part-rows", type=int, metavar="N",
                   help="with --to parquet: a folder of part files of at most N rows each, written "
                        "without holding the claims in memory (for results larger than memory)")
    x.set_defaults(func=cmd_export)


def _add_query(sub) -> None:
    q = sub.add_parser("query", help="find claims by indicator (synonyms, either script)", **_examples(
        "zhibiao query out/claims.db 财政收入 --kind target --year 2023",
        "zhibiao query out/claims.db GDP --exact          # 生产总值, not 单位GDP能耗",
        "zhibiao query out/claims.jsonl --canonical gdp --min-confidence 0.9 --json"))
    q.add_argument("source", help="a SQLite export (.db) or an extract output (.jsonl)")
    q.add_argument("indicator", nargs="?", help="e.g. 财政收入, GDP, 地區生產總值")
    q.add_argument("--exact", action="store_true",
                   help="whole indicator names only (the query's synonyms), no substring matches")
    q.add_argument("--canonical", metavar="KEY", help="the lexicon's key, e.g. gdp (rules/indicators.yaml)")
    q.add_argument("--subject", help="whose figure: 全省, 全市… ('本地' for the speaker's own)")
    q.add_argument("--kind", choices=["actual", "target", "forecast"])
    q.add_argument("--year", help="a year in the period, document id or title")
    q.add_argument("--period", help="e.g. 上半年")
    q.add_argument("--doc", help="one document id")
    q.add_argument("--min-confidence", type=_confidence, metavar="X", help="claims at confidence X or more")
    q.add_argument("--limit", type=_limit, default=200, metavar="N",
                   help="show the first N (default %(default)s; says when more matched)")
    q.add_argument("--json", action="store_true", help="rows as JSON Lines")
    q.set_defaults(func=cmd_query)


def _add_panel(sub) -> None:
    p = sub.add_parser("panel", help="targets against outcomes: one row per place, year and indicator",
                       **_examples("zhibiao panel out/claims.jsonl -o panel.csv",
                                   "zhibiao panel 2024.jsonl 2025.jsonl --canonical gdp cpi --level province",
                                   "zhibiao panel out/claims.db -o panel.parquet"))
    p.add_argument("inputs", nargs="+", help="extract outputs (.jsonl) or SQLite exports (.db)")
    p.add_argument("-o", "--output", help="panel.csv (UTF-8 with BOM) or panel.parquet, written "
                   "atomically; CSV on stdout when absent")
    p.add_argument("--canonical", nargs="+", metavar="KEY", help="indicator keys to keep (gdp, cpi, new_jobs…)")
    p.add_argument("--level", help="jurisdictions of this level only (national, province, city…)")
    p.set_defaults(func=cmd_panel)


def _add_serve(sub) -> None:
    w = sub.add_parser("serve", help="browse claims in a local web page", **_examples(
        "zhibiao serve out/claims.db", "zhibiao serve out/claims.db --port 9000"))
    w.add_argument("db", help="a SQLite export (zhibiao export out.jsonl --to sqlite)")
    w.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default %(default)s; 0.0.0.0 exposes the claims to the network)")
    w.add_argument("--port", type=int, default=8765)
    w.set_defaults(func=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="zhibiao", description="Quantitative claims from Chinese "
                                 "government speeches, each linked to its source sentence.",
                                 epilog=MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"zhibiao {__version__}")
    ap.add_argument("--debug", action="store_true",
                    help="show the traceback of an unexpected error (or set ZHIBIAO_DEBUG=1)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract", help="extract claims from files or folders to JSON Lines")
    e.add_argument("inputs", nargs="+", help="files or folders (.txt, .html, .htm); - reads stdin")
    e.add_argument("-o", "--output", help="JSONL file (written atomically); stdout when absent")
    e.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                   help="larger files are reported as too_large (default %(default)s)")
    e.add_argument("--segmenter", choices=["jieba", "pkuseg"], default="jieba",
                   help="word segmenter (pkuseg is an optional extra, see README)")
    e.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help="seconds per document (per chunk of a streamed file) before it is "
                        "reported as timeout (default %(default)s)")
    e.add_argument("-j", "--workers", type=int, default=0,
                   help="processes (default: the number of cores); with --engine dask, the local cluster's")
    e.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: a pool of processes; dask: Dask tasks, on a local cluster or --scheduler's "
                        "(needs pip install 'zhibiao[dask]'; the same output)")
    e.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running Dask scheduler (tcp://host:8786); its workers must "
                        "see the input files and the output's folder by the same paths")
    e.add_argument("--no-model", action="store_true", help="rules alone (no statistical model)")
    e.add_argument("--date", metavar="YYYY[-MM[-DD]]",
                   help="the date every document speaks from (what 今年 means); else each one's own")
    e.add_argument("--meta", metavar="CSV",
                   help="an archive's CSV of path,date,jurisdiction,title: what it knows wins over the text")
    e.add_argument("--model", help="a model folder from 'zhibiao train --out' (default: the shipped one)")
    e.add_argument("--min-confidence", type=float, metavar="X",
                   help="drop claims the scorer gives less than X (default 0: keep all; the scorer's threshold, 0.41 now, is the recommended floor)")
    e.set_defaults(func=cmd_extract)
    v = sub.add_parser("eval", help="score output against gold files (docs/evaluation.md)", **_examples(
        "zhibiao eval --gold corpus/gold", "zhibiao eval --gold corpus/gold --output out/claims.jsonl --json"))
    v.add_argument("--gold", required=True, help="folder of gold *.jsonl")
    v.add_argument("--docs", help="folder of the documents (default: speeches/ beside the gold)")
    v.add_argument("--output", help="extract output JSONL (default: extract --docs now)")
    v.add_argument("--json", action="store_true", help="figures as JSON")
    v.add_argument("-q", "--quiet", action="store_true", help="figures only, no error listing")
    v.add_argument("--no-model", action="store_true", help="rules alone")
    v.add_argument("--model", help="a model folder (default: the shipped one)")
    v.set_defaults(func=cmd_eval)
    t = sub.add_parser("train", help="rebuild the INDICATOR model from corpus/ (fixed seed; needs "
                       "pip install 'zhibiao[train]')", **_examples(
        "zhibiao train --corpus corpus", "zhibiao train --corpus corpus --out /tmp/model --exclude 000"))
    t.add_argument("--corpus", default="corpus", help="folder with speeches/, gold/, unlabeled/")
    t.add_argument("--out", help="model folder (default: the one shipped in the package)")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--epochs", type=int, default=20)
    t.add_argument("--exclude", nargs="*", help="gold documents to leave out (for evaluation)")
    t.set_defaults(func=cmd_train)
    ts = sub.add_parser("train-scorer", help="rebuild the claim scorer from the gold of corpus/ (fixed seed; "
                        "needs pip install 'zhibiao[train]')", **_examples(
        "zhibiao train-scorer --corpus corpus", "zhibiao train-scorer --out /tmp/scorer.json --plot rel.png"))
    ts.add_argument("--corpus", default="corpus", help="folder with gold/ and speeches/, heldout/, genres/")
    ts.add_argument("--out", help="scorer JSON (default: the one shipped in the package)")
    ts.add_argument("--seed", type=int, default=13)
    ts.add_argument("--plot", help="write the leave-one-document-out reliability plot here (PNG)")
    ts.add_argument("--weakened", action="store_true",
                    help="also train on the new facts of weakened rules (each rule that names or excludes a figure off)")
    ts.set_defaults(func=cmd_train_scorer)
    g = sub.add_parser("suggest-indicators", help="model-found indicator names not yet in rules/")
    g.add_argument("inputs", nargs="+", help="extract output (.jsonl) or files/folders to extract")
    g.add_argument("--top", type=int, default=50)
    g.add_argument("--model", help="a model folder (default: the shipped one)")
    g.set_defaults(func=cmd_suggest)
    _add_export(sub)
    _add_query(sub)
    _add_panel(sub)
    _add_serve(sub)
    s = sub.add_parser("schema", help="print the JSON Schema of the output")
    s.set_defaults(func=cmd_schema)
    c = sub.add_parser("indicators", help="print the indicator catalogue (keys, Chinese and English names)",
                       **_examples("zhibiao indicators > catalogue.csv",
                                   "zhibiao indicators --format json"))
    c.add_argument("--format", choices=["csv", "json"], default="csv")
    c.set_defaults(func=cmd_indicators)
    return ap


def main(argv: list[str] | None = None) -> int:
    # One BLAS thread per process, set before numpy loads (the model imports it late): the
    # model's matrices are small, a second thread did not speed up one process, and with
    # --workers each worker's pool would fight the others for the cores (1.14x vs 1.65x).
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    a = build_parser().parse_args(argv)
    debug = a.debug or os.environ.get("ZHIBIAO_DEBUG", "") not in ("", "0")
    try:
        return a.func(a)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK
    except KeyboardInterrupt:
        return _error("interrupted", EXIT_FAILED)
    except Exception as exc:  # the one place an unexpected error becomes a line, not a traceback
        if debug:
            traceback.print_exc()
        return _error(describe(exc), EXIT_FAILED)


def describe(exc: BaseException) -> str:
    """One line for the user: what failed and on which file (``Permission denied: out/x.csv``)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    if isinstance(exc, KeyError):  # str(KeyError(0)) is "0": say what it is
        return f"a required field is missing in the input: {exc.args[0]!r}" if exc.args else "KeyError"
    text = str(exc).strip().splitlines()
    if not text:
        return type(exc).__name__
    return text[0] if " " in text[0] else f"{type(exc).__name__}: {text[0]}"


if __name__ == "__main__":
    sys.exit(main())
