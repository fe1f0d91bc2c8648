"""Loading the YAML rule files of ``rules/`` (safe_load, checked, cached)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

RULE_FILES = ("normalize", "figures", "cues", "indicators", "exclusions")


class RuleError(ValueError):
    """A rule file is missing or malformed; the message names the file."""


def rules_dir() -> Path:
    """The rules folder: the source tree's ``rules/`` or the copy installed with the package."""
    here = Path(__file__).resolve().parent.parent / "rules"
    if (here / "figures.yaml").exists():
        return here
    return Path(str(resources.files("pipeline").joinpath("rulefiles")))


@functools.cache
def load_rules(name: str) -> dict[str, Any]:
    path = rules_dir() / f"{name}.yaml"
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise RuleError(f"{path}: rule file not found") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RuleError(f"{path}: expected a mapping with 'version: 1'")
    return data
