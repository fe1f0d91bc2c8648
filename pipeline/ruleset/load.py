"""Loading the YAML rule files of ``rules/`` (safe_load, checked, cached)."""

from __future__ import annotations

import functools
import json
import marshal
import os
import re
from pathlib import Path
from typing import Any

from ..cache import cached_bytes

RULE_FILES = ("normalize", "figures", "cues", "indicators", "exclusions", "linking", "document")


class RuleError(ValueError):
    """A rule file is missing or malformed; the message names the file."""


def rules_dir() -> Path:
    """The rules folder: the source tree's ``rules/`` or the copy installed with the package."""
    here = Path(__file__).resolve().parents[2] / "rules"
    if (here / "figures.yaml").exists():
        return here
    from importlib import resources

    return Path(str(resources.files("zhibiao").joinpath("rulefiles")))


NEVER = "(?!)"  # a pattern (and a word) that matches nothing: what a switched-off rule holds
DISABLE_ENV = "ZHIBIAO_DISABLE_RULES"  # comma-separated rule ids (scripts/rule_ablation.py)


@functools.cache
def load_rules(name: str) -> dict[str, Any]:
    data = load_rule_file(rules_dir() / f"{name}.yaml", name)
    off = disabled_rules()
    return _switch_off(data, off) if off else data


@functools.cache
def pattern(name: str, *path: str | int) -> Any:
    """The compiled pattern at ``path`` in rule file ``name`` (compiled once per process):
    ``pattern("linking", "patterns", "topic_cut")``."""
    import regex

    node: Any = load_rules(name)
    for step in path:
        node = node[step]
    return regex.compile(node)


def fragment(name: str) -> str:
    """A named fragment of rules/vocabulary.yaml, expanded (``fragment("rate_word")``)."""
    return fragments_of(rules_dir() / "vocabulary.yaml")[name]


@functools.cache
def disabled_rules() -> frozenset[str]:
    """Rule ids switched off for this process by ``ZHIBIAO_DISABLE_RULES`` (for ablation)."""
    return frozenset(r for r in os.environ.get(DISABLE_ENV, "").split(",") if r)


def _switch_off(node: Any, off: frozenset[str], inside: bool = False) -> Any:
    """The rule data with every section whose id is in ``off`` matching nothing: its
    patterns and words become ``NEVER`` (numbers and examples stay)."""
    if isinstance(node, dict):
        here = inside or node.get("id") in off
        return {k: v if k in ("id", "examples", "negatives") else _switch_off(v, off, here)
                for k, v in node.items()}
    if isinstance(node, list):
        if inside and node and all(isinstance(x, str) for x in node):
            return [NEVER]
        return [_switch_off(x, off, inside) for x in node]
    if inside and isinstance(node, str):
        return NEVER
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
    return here if here.exists() else rules_dir() / "vocabulary.yaml"


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
