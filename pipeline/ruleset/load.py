"""Loading the YAML rule files of ``rules/`` (safe_load, checked, cached).

Which rules are read is a ``RuleSource`` (a folder, the rule ids switched off). An
``Extractor`` makes its own active while it runs (``using_rules``, a context variable, as
``decimal.localcontext``); elsewhere the shipped rules are read, less those that
``ZHIBIAO_DISABLE_RULES`` switches off. Compiled data is cached per source.

    >>> with using_rules(RuleSource(disabled=frozenset({"link.pairs"}))):
    ...     sorted(disabled_rules())
    ['link.pairs']
"""

from __future__ import annotations

import contextlib
import functools
import json
import marshal
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import cached_bytes

RULE_FILES = ("normalize", "figures", "cues", "indicators", "exclusions", "linking", "document")


class RuleError(ValueError):
    """A rule file is missing or malformed; the message names the file."""


@functools.cache
def shipped_rules_dir() -> Path:
    """The shipped rules: the source tree's ``rules/`` or the copy installed with the package."""
    here = Path(__file__).resolve().parents[2] / "rules"
    if (here / "figures.yaml").exists():
        return here
    from importlib import resources

    return Path(str(resources.files("zhibiao").joinpath("rulefiles")))


NEVER = "(?!)"  # a pattern (and a word) that matches nothing: what a switched-off rule holds
DISABLE_ENV = "ZHIBIAO_DISABLE_RULES"  # comma-separated rule ids (scripts/rule_ablation.py)


@dataclass(frozen=True)
class RuleSource:
    """Which rules are read: ``folder`` (None: the shipped ones) less the ``disabled`` ids."""

    folder: str | None = None
    disabled: frozenset[str] = frozenset()
    stamp: str = ""  # a folder of one's own: its files' sizes and times, so that edits are read

    @classmethod
    def of(cls, folder: str | None = None, disabled: frozenset[str] = frozenset()) -> RuleSource:
        """The source of ``folder`` as its files are now (the shipped rules: as installed)."""
        if not folder:
            return cls(None, disabled)
        from ..cache import file_stamp

        files = sorted(Path(folder).glob("*.yaml"))
        return cls(folder, disabled, ";".join(f"{f.name}:{file_stamp(f)}" for f in files))

    def path(self) -> Path:
        return Path(self.folder) if self.folder else shipped_rules_dir()


def rule_ids(folder: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the rules in ``folder``'s files: those of sections, and those a whole file
    carries at its top (switching one off would switch off the file)."""
    sections: set[str] = set()
    tops: set[str] = set()

    def walk(node: Any, top: bool) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                (tops if top else sections).add(node["id"])
            for v in node.values():
                walk(v, False)
        elif isinstance(node, list):
            for v in node:
                walk(v, False)

    for f in sorted(folder.glob("*.yaml")):
        if f.stem != "vocabulary":
            walk(load_rule_file(f, f.stem), True)
    return frozenset(sections), frozenset(tops)


def env_disabled() -> frozenset[str]:
    """The rule ids ``ZHIBIAO_DISABLE_RULES`` switches off (comma-separated; for ablation)."""
    return frozenset(r for r in os.environ.get(DISABLE_ENV, "").split(",") if r)


class Compiled:
    """The data and compiled patterns of one rule source, filled as they are asked for."""

    __slots__ = ("source", "files", "patterns")

    def __init__(self, source: RuleSource) -> None:
        self.source = source
        self.files: dict[str, dict[str, Any]] = {}
        self.patterns: dict[tuple, Any] = {}


@functools.cache
def compiled(source: RuleSource) -> Compiled:
    """The compiled rules of ``source``, one per process."""
    return Compiled(source)


_ACTIVE: ContextVar[Compiled | None] = ContextVar("zhibiao_rules", default=None)


@functools.cache
def default_rules() -> RuleSource:
    """The shipped rules, less the ids of ``ZHIBIAO_DISABLE_RULES`` (read once per process)."""
    return RuleSource(disabled=env_disabled())


def _in_force() -> Compiled:
    """The running Extractor's rules, else ``default_rules()``."""
    rules = _ACTIVE.get()
    if rules is None:  # a call from outside an Extractor: the tables cached must be the default's
        rules = compiled(_derived_from(default_rules()))
    return rules


def active_rules() -> RuleSource:
    """The rule source in force: the running Extractor's, else ``default_rules()``."""
    return _in_force().source


@functools.lru_cache(maxsize=1)
def _derived_from(source: RuleSource) -> RuleSource:
    """Called with the source about to be read: when it is not the one read last, every
    table derived from rules and cached in a module (cues, lexicon, catalogue...) is
    dropped, to be built again from it. One source at a time per process for those tables:
    ``_GATE`` makes Extractors with other rules in other threads take turns."""
    for name, mod in list(sys.modules.items()):
        if not (name.startswith(("zhibiao.", "pipeline.")) and mod):
            continue
        for obj in list(vars(mod).values()):
            if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", None) == name \
                    and obj not in _KEEP:
                obj.cache_clear()
    return source


GATE_WAIT = 60.0  # seconds a document waits for other rules in force in other threads (its timeout, if less)


class RulesBusyError(RuntimeError):
    """Other rules stayed in force in other threads of this process longer than the wait."""


class _SourceGate:
    """One rule source in force across the threads of a process (the tables derived from it
    are cached per module): threads reading the same source run together; a thread that
    wants another waits, at most ``wait`` seconds, until the last reader of the first has
    left (then RulesBusyError: never a hang, even where the reader waits on the waiter, as a
    thread pool started inside a running block, or an event loop). Within one thread or
    task a block of other rules inside a running one is an error at once."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._source: RuleSource | None = None
        self._readers = 0
        self._threads: dict[int, int] = {}  # readers by thread: a task of an event loop would wait on its own thread
        self._held: ContextVar[RuleSource | None] = ContextVar("zhibiao_rules_held", default=None)

    def _enter(self, source: RuleSource, wait: float) -> None:
        deadline = time.monotonic() + wait
        with self._cond:
            if self._readers and self._source != source and threading.get_ident() in self._threads:
                raise RulesBusyError("other rules are in force in this thread (another task's block); "
                                     "run Extractors with other rules one after another")
            while self._readers and self._source != source:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RulesBusyError(f"other rules stayed in force in another thread for {wait:g} s "
                                         "(Extractors with other rules take turns in a process)")
                self._cond.wait(left)
            _derived_from(source)
            self._source = source
            self._join(1)

    def _join(self, n: int) -> None:
        """``n`` readers more (or fewer) in this thread; the lock is held."""
        me = threading.get_ident()
        self._readers += n
        self._threads[me] = self._threads.get(me, 0) + n
        if not self._threads[me]:
            del self._threads[me]

    @contextlib.contextmanager
    def holding(self, source: RuleSource, wait: float | None = None) -> Iterator[None]:
        held = self._held.get()
        if held is not None and held != source:
            raise RuntimeError("an Extractor with other rules is running in this thread; run them one after another")
        if held is None:
            self._enter(source, GATE_WAIT if wait is None else wait)
        else:  # the same rules again inside their own block: already in force
            with self._cond:
                self._join(1)
        token = self._held.set(source)
        try:
            yield
        finally:
            self._held.reset(token)
            with self._cond:
                self._join(-1)
                if not self._readers:
                    self._cond.notify_all()


_GATE = _SourceGate()


@contextlib.contextmanager
def using_rules(source: RuleSource, wait: float | None = None) -> Iterator[RuleSource]:
    """Read ``source`` in this block (in this thread or task; threads reading other rules
    wait for it to end, at most ``wait`` seconds: else ``GATE_WAIT``)."""
    with _GATE.holding(source, wait):
        token = _ACTIVE.set(compiled(source))
        try:
            yield source
        finally:
            _ACTIVE.reset(token)


def rules_dir() -> Path:
    """The folder of the rules in force."""
    return _in_force().source.path()


def load_rules(name: str) -> dict[str, Any]:
    """The data of rule file ``name`` of the rules in force (parsed, checked, compiled once)."""
    rules = _ACTIVE.get() or _in_force()
    data = rules.files.get(name)
    if data is None:
        data = rules.files[name] = _load(rules.source, name)
    return data


def _load(source: RuleSource, name: str) -> dict[str, Any]:
    data = load_rule_file(source.path() / f"{name}.yaml", name)
    if not source.disabled:
        return data
    from .schema import SCHEMAS, pattern_paths

    return _switch_off(data, source.disabled, {tuple(p) for p, _ in pattern_paths(SCHEMAS[name], data)})


def pattern(*key: str | int) -> Any:
    """The compiled pattern at a path in a rule file (compiled once per process and source):
    ``pattern("linking", "patterns", "topic_cut")``."""
    rules = _ACTIVE.get() or _in_force()
    found = rules.patterns.get(key)
    if found is None:
        import regex

        node: Any = load_rules(str(key[0]))
        for step in key[1:]:
            node = node[step]
        found = rules.patterns[key] = regex.compile(node)
    return found


@functools.lru_cache(maxsize=32)
def _reversed(p: Any) -> Any:
    import regex

    return regex.compile(p.pattern, p.flags | regex.REVERSE)


def search_ending(p: Any, text: str, lo: int, hi: int) -> Any:
    """``p.search(text, lo, hi)``, fast for a pattern that ends with ``$`` (全市 before
    地区生产总值 at ``hi``). A forward search tries every start in [lo, hi) in full; the same
    pattern read backwards (``regex.REVERSE``) finds a match wherever there is one, as any
    search does, and with ``$`` fails at once unless one ends at ``hi``: so the forward search,
    whose match is returned, runs only when there is one to find."""
    if _reversed(p).search(text, lo, hi, False) is None:  # False: keep the GIL (text/rx.py)
        return None
    return p.search(text, lo, hi, False)


def disabled_rules() -> frozenset[str]:
    """Rule ids switched off in the rules in force (``Settings.disabled_rules``, for ablation)."""
    return _in_force().source.disabled


def fragment(name: str) -> str:
    """A named fragment of rules/vocabulary.yaml, expanded (``fragment("rate_word")``)."""
    return fragments_of(rules_dir() / "vocabulary.yaml")[name]


_LEADING_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def _never(pat: str) -> str:
    """``pat`` made to match nothing, its groups kept (code may name them): ``(?!)(?:pat)``."""
    flags = _LEADING_FLAGS.match(pat)
    head = flags.group(0) if flags else ""
    return f"{head}(?!)(?:{pat[len(head):]})"


def _switch_off(node: Any, off: frozenset[str], patterns: set[tuple], path: tuple = (),
                inside: bool = False) -> Any:
    """The rule data with every section whose id is in ``off`` matching nothing: its
    patterns (``patterns``: their paths, as the schema marks them) match nothing with their
    groups kept and its word lists hold ``NEVER`` alone; numbers, examples and the other
    words (a unit, a place's name, what a field says where to look) stay."""
    if isinstance(node, dict):
        here = inside or node.get("id") in off
        return {k: v if k in ("id", "examples", "negatives") else _switch_off(v, off, patterns, (*path, k), here)
                for k, v in node.items()}
    if isinstance(node, list):
        if inside and node and all(isinstance(x, str) for x in node) and not any(
                (*path, i) in patterns for i in range(len(node))):
            return [NEVER]
        return [_switch_off(x, off, patterns, (*path, i), inside) for i, x in enumerate(node)]
    if inside and isinstance(node, str) and path in patterns:
        return _never(node)
    return node


def load_rule_file(path: Path, name: str) -> dict[str, Any]:
    """safe_load a rule file, check it against its schema, expand its ``{fragment}``
    references and compile every pattern; RuleError names file and line.

    A file whose exact text (and vocabulary) passed the checks before is neither parsed nor
    checked again: its data is kept in the zhibiao cache, keyed by the texts and the schema,
    which saves importing PyYAML and jsonschema at every start.
    """
    text = _read(path)
    vocab = "" if name == "vocabulary" else _read(vocabulary_beside(path))
    from .schema import SCHEMAS

    schema = json.dumps(SCHEMAS.get(name), sort_keys=True)
    key = "\0".join((name, schema, text, vocab, _code_stamp()))
    build = functools.partial(_parse, path, name, text)
    try:
        data = marshal.loads(cached_bytes("rules-data", key, build))
        if isinstance(data, dict):
            return data
    except (ValueError, EOFError, TypeError):
        pass
    return marshal.loads(build())  # a damaged entry, or one another version wrote: parse again


@functools.cache
def _code_stamp() -> str:
    """The loader's own code: another version of zhibiao sharing the cache folder (a second
    checkout, an upgrade) never reads data this one did not build."""
    from ..cache import file_stamp

    here = Path(__file__).resolve().parent
    return ";".join(file_stamp(here / f) for f in ("load.py", "schema.py"))


def vocabulary_beside(path: Path) -> Path:
    """The fragments a rule file uses: ``vocabulary.yaml`` in its folder, else the shipped one."""
    here = path.parent / "vocabulary.yaml"
    return here if here.exists() else shipped_rules_dir() / "vocabulary.yaml"


def _read(path: Path) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc


def _parse(path: Path, name: str, text: str) -> bytes:
    """Parse, check, expand and compile a rule file; raises RuleError, returns its data marshalled."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RuleError(f"{path}:1: expected a mapping with 'version: 1'")
    _check_schema(path, name, text, data)
    if name == "vocabulary":  # each fragment may use those above it
        fragments: dict[str, str] = {}
        for k in list(data["fragments"]):
            _expand_and_compile(path, name, text, data, fragments, only=["fragments", k])
            fragments[k] = data["fragments"][k]
    else:
        _expand_and_compile(path, name, text, data, fragments_of(vocabulary_beside(path)))
    return marshal.dumps(data)


def _check_schema(path: Path, name: str, text: str, data: dict[str, Any]) -> None:
    import jsonschema

    from .schema import SCHEMAS, line_of

    schema = SCHEMAS.get(name)
    if schema is None:
        raise RuleError(f"{path}:1: no schema for rule file {name!r} (pipeline/ruleset/schema.py)")
    err = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if err is not None:
        where = line_of(text, list(err.absolute_path))
        at = "/".join(map(str, err.absolute_path)) or "top level"
        raise RuleError(f"{path}:{where}: {at}: {err.message}")


def _expand_and_compile(path: Path, name: str, text: str, data: dict[str, Any],
                        fragments: dict[str, str], only: list | None = None) -> None:
    """Replace each pattern's ``{fragment}`` by its definition, in place, and compile it
    (``only``: just the pattern at that path)."""
    import regex

    from .schema import SCHEMAS, line_of, pattern_paths

    for key, pat in list(pattern_paths(SCHEMAS[name], data)):
        if only is not None and key != only:
            continue
        try:
            expanded = expand(pat, fragments)
            regex.compile(expanded)
        except (KeyError, regex.error) as exc:
            raise RuleError(f"{path}:{line_of(text, key)}: bad pattern: {exc}") from exc
        node = data
        for step in key[:-1]:
            node = node[step]
        node[key[-1]] = expanded


FRAGMENT_REF = re.compile(r"(?<!\\[pP])\{([a-z_]+)\}")  # {jurisdiction}; not \p{Han}


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """``{name}`` -> ``(?:definition)``, as Recognizers-Text composes its patterns.

    >>> expand("{level}的?平均", {"level": "全省|全市"})
    '(?:全省|全市)的?平均'
    """
    def sub(m: re.Match) -> str:
        if m.group(1) not in fragments:
            raise KeyError(f"unknown fragment {{{m.group(1)}}} (rules/vocabulary.yaml)")
        return f"(?:{fragments[m.group(1)]})"
    return FRAGMENT_REF.sub(sub, pattern)


@functools.cache
def fragments_of(path: Path) -> dict[str, str]:
    """The named fragments of ``vocabulary.yaml``, each expanded by those defined before it."""
    return load_rule_file(path, "vocabulary")["fragments"]


_KEEP = (compiled, _derived_from, shipped_rules_dir, default_rules, fragments_of, _code_stamp)  # keyed by source or path
