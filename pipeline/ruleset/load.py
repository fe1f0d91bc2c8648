"""Loading the YAML rule files of ``rules/`` (safe_load, checked, cached)."""

from __future__ import annotations

import functools
import json
import marshal
import os
from pathlib import Path
from typing import Any

from ..cache import cached_bytes

RULE_FILES = ("normalize", "figures", "cues", "indicators", "exclusions", "linking")


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
    """safe_load a rule file and check it against its schema; RuleError names file and line.

    A file whose exact text passed the checks before is neither parsed nor checked again:
    its data is kept in the zhibiao cache, keyed by the text and the schema, which saves
    importing PyYAML and jsonschema at every start.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc
    from .schema import SCHEMAS

    schema = json.dumps(SCHEMAS.get(name), sort_keys=True)
    key = "\0".join((name, schema, text))
    try:
        return marshal.loads(cached_bytes("rules-data", key, lambda: _parse(path, name, text)))
    except (ValueError, EOFError, TypeError):  # a damaged cache entry: parse again
        return marshal.loads(_parse(path, name, text))


def _parse(path: Path, name: str, text: str) -> bytes:
    """Parse and check a rule file; raises RuleError, returns its data marshalled."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RuleError(f"{path}:1: expected a mapping with 'version: 1'")
    _check(path, name, text, data)
    return marshal.dumps(data)


def _check(path: Path, name: str, text: str, data: dict[str, Any]) -> None:
    """Schema and pattern checks; raises RuleError naming the file and line."""
    import jsonschema
    import regex

    from .schema import SCHEMAS, line_of

    schema = SCHEMAS.get(name)
    if schema:
        err = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
        if err is not None:
            where = line_of(text, list(err.absolute_path))
            at = "/".join(map(str, err.absolute_path)) or "top level"
            raise RuleError(f"{path}:{where}: {at}: {err.message}")
    for key, pat in _patterns(data):
        try:
            regex.compile(pat)
        except regex.error as exc:
            raise RuleError(f"{path}:{line_of(text, key)}: bad pattern: {exc}") from exc


def _patterns(data: Any, path: list | None = None):
    """(path, regex) of every value that is a pattern (keys named pattern, *_patterns, masks…)."""
    path = path or []
    if isinstance(data, dict):
        for k, v in data.items():
            if k in ("pattern", "masks", "modal", "past", "lead", "plan_heading", "review_heading",
                     "refers_back", "not_before", "to_level", "scope", "cues", "target", "target_near") \
                    and isinstance(v, str):
                yield path + [k], v
            elif k.endswith("_patterns") and isinstance(v, list):
                for i, p in enumerate(v):
                    yield path + [k, i], p
            else:
                yield from _patterns(v, path + [k])
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _patterns(v, path + [i])
