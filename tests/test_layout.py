"""The package's shape: stages in sub-packages, no import cycles, no private names reached
across modules (the layout issue's rules, checked on the source)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "pipeline"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["zhibiao", *parts])


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every relative import in the file, lazy ones inside functions too
    (not those for type checking only)."""
    pkg = module_name(path).split(".")
    if path.name != "__init__.py":
        pkg = pkg[:-1]
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(block)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and id(node) not in typing_only:
            base = pkg[:len(pkg) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            out.append((target, [a.name for a in node.names]))
    return out


def graph() -> dict[str, set[str]]:
    mods = {module_name(p): p for p in ROOT.rglob("*.py")}
    g: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        for target, names in imports(p):
            for n in names:  # from .ner import runtime: the module zhibiao.ner.runtime
                if f"{target}.{n}" in mods:
                    g[m].add(f"{target}.{n}")
                elif target in mods:
                    g[m].add(target)
    return g


def test_no_import_cycles():
    g = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for n in sorted(g[m]):
            if n.endswith("__init__") or n == "zhibiao":
                continue
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif not state.get(n):
                visit(n, stack + [n])
        state[m] = 2

    for m in sorted(g):
        if not state.get(m):
            visit(m, [m])
    assert cycles == []


def test_no_private_name_is_imported_from_another_module():
    leaks = [(module_name(p), t, n) for p in ROOT.rglob("*.py") for t, names in imports(p)
             for n in names if n.startswith("_") and not n.startswith("__")]
    assert leaks == []


def test_the_stages_live_in_their_sub_packages():
    for pkg in ("text", "grammar", "linking", "context", "ner", "io", "run", "dev", "serve", "ruleset"):
        assert (ROOT / pkg / "__init__.py").exists(), pkg
    assert sorted(p.name for p in ROOT.glob("*.py")) == sorted(
        ["__init__.py", "api.py", "assemble.py", "cache.py", "cli.py", "document.py", "panel.py",
         "settings.py", "stages.py", "version.py"])


# The layers, lowest first (docs/architecture.md): a module imports only from its own package
# or from a lower layer. The package's __init__ (``zhibiao``) is the public face, on top.
LAYERS = (
    ("version", "cache", "document", "settings"),  # no imports of their own
    ("ruleset",),  # rules/*.yaml loaded and compiled; the indicator catalogue, the division table
    ("text",),  # decoding, normalizing, sentences, words
    ("grammar",),  # figures in a sentence
    ("context",),  # dates, places, periods, kind, sections
    ("linking",),  # a figure to its indicator
    ("ner", "scorer"),  # the model's spans; the claim scorer
    ("assemble",),  # a claim from its parts
    ("stages",),  # the stages in order
    ("io",),  # formats: JSONL and its schema, tables, the --meta CSV
    ("api",),  # the Extractor: text in, Document out
    ("run",),  # files, streamed files, the worker pool, the batch journal
    ("dev",),  # evaluation, damage suite, rule cases, training
    ("panel",),  # targets joined with outcomes
    ("serve",),  # query and the web page
    ("cli",),
    ("zhibiao",),
)
RANK = {name: i for i, tier in enumerate(LAYERS) for name in tier}


def package_of(module: str) -> str:
    """zhibiao.grammar.figures -> grammar; zhibiao.api -> api; zhibiao -> zhibiao."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_edges() -> dict[tuple[str, str], tuple[str, str]]:
    """(importing package, imported package) -> one module edge that makes it."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for m, targets in graph().items():
        for t in sorted(targets):
            a, b = package_of(m), package_of(t)
            if a != b:
                out.setdefault((a, b), (m, t))
    return out


def test_every_package_has_its_layer():
    assert sorted({package_of(m) for m in graph()} - set(RANK)) == []


def test_no_import_reaches_up_or_sideways_to_another_package():
    wrong = [f"{m} -> {t} ({a} is below or beside {b})" for (a, b), (m, t) in sorted(package_edges().items())
             if RANK[b] >= RANK[a]]
    assert wrong == []


def test_packages_import_each_other_in_no_cycle():
    edges = package_edges()
    succ: dict[str, set[str]] = {}
    for a, b in edges:
        succ.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n == goal:
                return True
            if n not in seen:
                seen.add(n)
                todo += succ.get(n, ())
        return False

    cycles = [f"{a} -> {b} via {m} -> {t}, and back" for (a, b), (m, t) in sorted(edges.items()) if reaches(b, a)]
    assert cycles == []


def test_a_regular_install_ships_every_package():
    """pyproject.toml lists the packages (an editable install finds any; a wheel only these)."""
    import pytest

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    listed = set(tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    folders = {module_name(p.parent / "__init__.py") for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts}
    assert sorted(folders - listed) == []
