"""Archives: recursive, parallel, deterministic, resumable, nothing lost or duplicated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SPEECHES, interrupt_after
from zhibiao.api import Extractor
from zhibiao.run.batch import run_batch
from zhibiao.run.inputs import iter_inputs
from zhibiao.run.pool import doc_ids

RULES_ONLY = Extractor(use_model=False)
N_DOCS = len(list(SPEECHES.glob("*.txt"))) + 2  # the speeches, one HTML page, one empty file


@pytest.fixture()
def archive(tmp_path):
    a = tmp_path / "archive"
    (a / "2013" / "余杭").mkdir(parents=True)
    (a / "2019").mkdir()
    for i, p in enumerate(sorted(SPEECHES.glob("*.txt"))):
        dest = a / ("2013/余杭" if i % 2 else "2019") / p.name
        shutil.copy(p, dest)
    (a / "2019" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (a / "2019" / "empty.txt").write_bytes(b"")  # an error in its document, not a lost batch
    (a / "2019" / "讲话 稿.html").write_text("<html><body><p>全年地区生产总值增长6%。</p></body></html>",
                                             encoding="utf-8")
    return a


def paths_of(folder) -> list[str]:
    return [p for p, r in iter_inputs([str(folder)]) if r is None]


def ids_in(path) -> list[str]:
    return [json.loads(x)["doc_id"] for x in open(path, encoding="utf-8")]


def test_walk_is_recursive_and_lists_other_files(archive):
    files = list(iter_inputs([str(archive)]))
    assert [p for p, r in files if r] == [str(archive / "2019" / "notes.pdf")]
    assert len(paths_of(archive)) == N_DOCS


def test_worker_count_does_not_change_the_output(archive, tmp_path):
    paths = paths_of(archive)
    run_batch(paths, str(tmp_path / "w1.jsonl"), workers=1, extractor=RULES_ONLY)
    run_batch(paths, str(tmp_path / "w2.jsonl"), workers=2, extractor=RULES_ONLY)
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
    assert len(ids_in(tmp_path / "w1.jsonl")) == N_DOCS


def test_resume_after_interruption_loses_and_duplicates_nothing(archive, tmp_path):
    paths = paths_of(archive)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(paths, str(out), workers=1, extractor=RULES_ONLY, on_done=interrupt_after(2))
    assert not out.exists()
    part = Path(str(out) + ".partial").read_text(encoding="utf-8").splitlines(True)
    assert part[0].startswith('{"zhibiao_partial":') and len(part) == 3  # the key, two documents
    stats = run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert stats.reused == 2 and stats.documents == N_DOCS
    full = tmp_path / "full.jsonl"
    full_stats = run_batch(paths, str(full), workers=1, extractor=RULES_ONLY)
    assert out.read_bytes() == full.read_bytes()
    # counts read back from reused lines agree with the workers' own counts
    assert (stats.claims, stats.kinds, stats.failed) == (full_stats.claims, full_stats.kinds, full_stats.failed)
    assert [f[:2] for f in stats.failed] == [(str(archive / "2019" / "empty.txt"), "empty")]
    assert not (tmp_path / "out.jsonl.partial").exists()
    # a third run finds everything done and rewrites the same bytes
    assert run_batch(paths, str(out), workers=2, extractor=RULES_ONLY).reused == N_DOCS
    assert out.read_bytes() == full.read_bytes()


def test_changed_file_is_done_again(archive, tmp_path):
    paths = paths_of(archive)
    out = tmp_path / "out.jsonl"
    run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    html = archive / "2019" / "讲话 稿.html"
    html.write_text("<p>全年地区生产总值增长7%。</p>", encoding="utf-8")
    stats = run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert stats.reused == N_DOCS - 1  # all but the changed page
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    rates = [c["growth"]["rate"] for d in docs if d["doc_id"] == "讲话 稿" for c in d["claims"]]
    assert rates == [7.0] and len(docs) == N_DOCS


def test_same_stem_in_two_folders_gets_two_ids(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_text("地区生产总值增长5%。", encoding="utf-8")
    ids = doc_ids([str(tmp_path / "a" / "report.txt"), str(tmp_path / "b" / "report.txt")])
    assert sorted(ids.values()) == ["a/report", "b/report"]


def test_lines_are_copied_in_blocks_without_loss(archive, tmp_path, monkeypatch):
    import zhibiao.run.batch as batch

    paths = paths_of(archive)
    ref = tmp_path / "ref.jsonl"
    ref_stats = run_batch(paths, str(ref), workers=1, extractor=RULES_ONLY)
    monkeypatch.setattr(batch, "BLOCK", 7)  # every line, every UTF-8 character cut across blocks
    small = tmp_path / "small.jsonl"
    run_batch(paths, str(small), workers=1, extractor=RULES_ONLY)
    stats = run_batch(paths, str(small), workers=1, extractor=RULES_ONLY)  # resume: all reused, re-indexed
    assert stats.reused == len(paths)
    assert small.read_bytes() == ref.read_bytes()
    assert (stats.claims, stats.kinds) == (ref_stats.claims, ref_stats.kinds)
