"""Packaging a user can trust: a lean run install, spaCy only to train, help with examples."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from zhibiao import cli

tomllib = pytest.importorskip("tomllib")  # Python 3.11+
ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def names(reqs: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.-]+", r).group().lower() for r in reqs}


def test_running_needs_pyarrow_but_not_spacy():
    deps = names(PROJECT["dependencies"])
    assert "pyarrow" in deps and "spacy" not in deps


def test_spacy_and_scikit_learn_are_the_train_extra_and_the_tests_get_them():
    extras = PROJECT["optional-dependencies"]
    assert {"spacy", "scikit-learn"} <= set(names(extras["train"]))
    assert {"spacy", "scikit-learn"} <= set(names(extras["test"]))
    assert not {"spacy", "scikit-learn"} & set(names(PROJECT["dependencies"]))


def test_make_run_installs_the_package_alone_and_make_test_the_extras():
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install -q \.  ", mk.replace("$(BIN)/", ""), flags=re.M)  # no extras
    assert "pip install -q -e '.[test,train]'" in mk


def test_train_without_spacy_is_one_line_naming_the_extra(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if spaCy were not installed
    code = cli.main(["train", "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3 and len(err) == 1
    assert err[0].startswith("zhibiao: error:") and "pip install 'zhibiao[train]'" in err[0]
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("argv", [[], ["export"], ["query"], ["serve"], ["train"], ["eval"]])
def test_help_shows_examples(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([*argv, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "zhibiao " + (argv[0] if argv else "extract") in out


def test_readme_says_how_to_reach_the_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in readme and ".venv/bin/zhibiao" in readme
    assert "zhibiao[train]" in readme
