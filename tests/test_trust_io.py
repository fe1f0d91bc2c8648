"""Batch runs and output files that can be trusted: resume, locks, names, odd files, modes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import stat
import sys
from pathlib import Path

import pytest
from conftest import SPEECHES
from zhibiao import cli
from zhibiao.api import Extractor
from zhibiao.io.export import AtomicWriter, validate
from zhibiao.run import batch, pool
from zhibiao.run.batch import BatchError, config_key, run_batch
from zhibiao.run.inputs import iter_inputs
from zhibiao.run.pool import doc_ids
from zhibiao.text.ingest import IngestError, read_document

RULES_ONLY = Extractor(use_model=False)
GBK_NAME = b"\xd6\xd0\xce\xc4\xb1\xa8\xb8\xe6.txt"  # 中文报告.txt in GBK


@contextlib.contextmanager
def no_hang(seconds: int = 20):
    """Fail instead of hanging forever on a FIFO or a device."""
    def boom(signum, frame):
        raise TimeoutError("hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture()
def small(tmp_path):
    """Four real speeches in a folder."""
    d = tmp_path / "in"
    d.mkdir()
    for p in sorted(SPEECHES.glob("*.txt"))[:4]:
        shutil.copy(p, d / p.name)
    return d


def files_of(folder) -> list[str]:
    return [p for p, r in iter_inputs([str(folder)]) if r is None]


def lines_of(path) -> list[bytes]:
    return open(path, "rb").read().splitlines()


def interrupted(paths, out, n, extractor=RULES_ONLY) -> None:
    """A run stopped (Ctrl-C) after ``n`` documents."""
    seen = []

    def stop(p):
        seen.append(p)
        if len(seen) == n:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(paths, str(out), workers=1, extractor=extractor, on_done=stop)


# 1. torn partial lines

def stopped_run(small, tmp_path, done: int):
    """A full reference run and a run stopped after ``done`` documents: (paths, reference,
    output, its partial, the reference lines the partial lacks)."""
    paths = files_of(small)
    ref = tmp_path / "ref.jsonl"
    run_batch(paths, str(ref), workers=1, extractor=RULES_ONLY)
    out = tmp_path / "out.jsonl"
    interrupted(paths, out, done)
    part = tmp_path / "out.jsonl.partial"
    have = set(lines_of(part))
    return paths, ref, out, part, [x for x in lines_of(ref) if x not in have]


def test_resume_drops_a_torn_last_line_cut_inside_a_character_and_redoes_that_document(small, tmp_path):
    paths, ref, out, part, lacking = stopped_run(small, tmp_path, 2)
    missing = lacking[0]
    cut = next(i for i in range(len(missing) // 2, len(missing)) if 0x80 <= missing[i] < 0xC0)
    with open(part, "ab") as fh:  # killed mid-write, inside a multi-byte character
        fh.write(missing[:cut])
    stats = run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert out.read_bytes() == ref.read_bytes()
    assert stats.reused == 2 and stats.documents == len(paths)


def test_resume_drops_a_complete_but_broken_line(small, tmp_path):
    paths, ref, out, part, lacking = stopped_run(small, tmp_path, 1)
    a, b = lacking[:2]
    with open(part, "ab") as fh:  # what an older version left: a fragment, then a document
        fh.write(a[: len(a) // 2] + b + b"\n")
    run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert out.read_bytes() == ref.read_bytes()


# 2. the partial is keyed on the configuration

def test_resume_with_other_options_discards_the_partial_and_says_so(small, tmp_path, capsys):
    paths = files_of(small)
    ref = tmp_path / "ref.jsonl"
    run_batch(paths, str(ref), workers=1, extractor=RULES_ONLY)
    out = tmp_path / "out.jsonl"
    interrupted(paths, out, 2, extractor=Extractor(use_model=False, max_bytes=100))  # all too_large
    capsys.readouterr()
    stats = run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert stats.reused == 0 and not stats.failed
    assert out.read_bytes() == ref.read_bytes()
    err = capsys.readouterr().err
    assert "partial" in err and len(err.strip().splitlines()) == 1


def test_a_finished_output_made_with_other_options_is_not_reused(small, tmp_path):
    paths = files_of(small)
    out = tmp_path / "out.jsonl"
    run_batch(paths, str(out), workers=1, extractor=Extractor(use_model=False, max_bytes=100))
    stats = run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
    assert stats.reused == 0 and not stats.failed
    assert run_batch(paths, str(out), workers=1, extractor=RULES_ONLY).reused == len(paths)


def test_config_key_follows_version_rules_bytes_model_and_options(tmp_path, monkeypatch):
    base = config_key(RULES_ONLY)
    assert config_key(Extractor(use_model=False)) == base
    assert config_key(Extractor(use_model=False, max_bytes=10)) != base
    assert config_key(Extractor(use_model=False, disabled_rules=frozenset({"link.pairs"}))) != base
    assert config_key(RULES_ONLY, meta={"a.txt": {"date": "2025"}}) != base
    assert config_key(Extractor()) != base  # with the model
    monkeypatch.setattr(batch, "__version__", "999.0")
    assert config_key(RULES_ONLY) != base
    monkeypatch.undo()
    rules = tmp_path / "rules"
    shutil.copytree(RULES_ONLY.rules.path(), rules)
    assert config_key(Extractor(use_model=False, rules_dir=str(rules))) == base  # the same bytes
    with open(rules / "cues.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert config_key(Extractor(use_model=False, rules_dir=str(rules))) != base


def test_config_key_follows_the_packages_code(tmp_path, monkeypatch):
    base = config_key(RULES_ONLY)
    code = tmp_path / "pipeline"
    shutil.copytree(batch.CODE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(batch, "CODE_DIR", code)
    assert config_key(RULES_ONLY) == base  # the same code
    with open(code / "assemble.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert config_key(RULES_ONLY) != base  # a resumed run after a code change starts again


def test_config_key_follows_the_model_files(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(batch.ner.MODEL_DIR, model)
    a = config_key(Extractor(model_dir=str(model)))
    meta = model / "meta.json"
    meta.write_bytes(meta.read_bytes() + b"\n")
    assert config_key(Extractor(model_dir=str(model))) != a


# 3. -o onto an input, a FIFO, a device

def run_cli(*args: str) -> int:
    return cli.main(["extract", *args])


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhibiao: error: "), err
    return lines[0]


def test_output_equal_to_an_input_file_is_refused(small, capsys):
    src = files_of(small)[0]
    before = Path(src).read_bytes()
    assert run_cli(src, "-o", src, "-j", "1", "--no-model") == 2
    one_error_line(capsys.readouterr().err)
    assert Path(src).read_bytes() == before


def test_output_onto_a_symlink_to_a_device_is_refused(small, tmp_path, capsys):
    link = tmp_path / "out.jsonl"
    link.symlink_to("/dev/null")
    assert run_cli(str(small), "-o", str(link), "-j", "1", "--no-model") == 2
    one_error_line(capsys.readouterr().err)
    assert link.is_symlink()


def test_output_onto_a_fifo_is_refused_without_hanging(small, tmp_path, capsys):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    with no_hang():
        assert run_cli(str(small), "-o", str(fifo), "-j", "1", "--no-model") == 2
    one_error_line(capsys.readouterr().err)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_that_cannot_be_written_exits_3_with_one_line(small, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run_cli(str(small), "-o", str(blocker / "out.jsonl"), "-j", "1", "--no-model") == 3
    one_error_line(capsys.readouterr().err)


# 4. one run per output

def test_a_second_run_on_the_same_output_fails_at_once_while_the_first_runs(small, tmp_path):
    paths = files_of(small)
    out = tmp_path / "out.jsonl"
    errors = []

    def second_run(_p):
        if not errors:
            with pytest.raises(BatchError) as e:
                run_batch(paths, str(out), workers=1, extractor=RULES_ONLY)
            errors.append(str(e.value))

    run_batch(paths, str(out), workers=1, extractor=RULES_ONLY, on_done=second_run)
    assert "another zhibiao run" in errors[0] and str(out) in errors[0]
    assert len(lines_of(out)) == len(paths)
    assert run_batch(paths, str(out), workers=1, extractor=RULES_ONLY).reused == len(paths)  # lock released


# 5. file names that are not UTF-8

def test_a_file_name_that_is_not_utf8_is_carried_with_its_exact_bytes(small, tmp_path):
    raw = os.fsencode(str(small)) + b"/" + GBK_NAME
    shutil.copy(files_of(small)[0], raw)
    out = tmp_path / "out.jsonl"
    assert run_cli(str(small), "-o", str(out), "-j", "1", "--no-model") == 0
    docs = [json.loads(x) for x in out.read_bytes().decode("utf-8").splitlines()]
    odd = [d for d in docs if "path_bytes" in d["source"]]
    assert len(odd) == 1 and len(docs) == 5
    assert bytes.fromhex(odd[0]["source"]["path_bytes"]) == raw
    assert "\ufffd" in odd[0]["source"]["path"] and "\ufffd" in odd[0]["doc_id"]
    assert odd[0]["claims"] and odd[0]["claims"][0]["id"].startswith(odd[0]["doc_id"] + ":")
    for d in docs:
        validate(d)
    assert run_batch(files_of(small), str(out), workers=1, extractor=RULES_ONLY).reused == 5


def test_a_file_name_that_is_not_utf8_goes_to_stdout_as_valid_utf8(tmp_path, capsysbinary):
    raw = os.fsencode(str(tmp_path)) + b"/" + GBK_NAME
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write("全年地区生产总值增长6%。")
    assert run_cli(os.fsdecode(raw), "-j", "1", "--no-model") == 0
    doc = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert bytes.fromhex(doc["source"]["path_bytes"]) == raw


# 9. unique doc ids, every file once

def test_same_stem_with_two_suffixes_keeps_the_suffixes(tmp_path):
    assert doc_ids([str(tmp_path / "a.txt"), str(tmp_path / "a.html"), str(tmp_path / "b.txt")]) \
        == {str(tmp_path / "a.txt"): "a.txt", str(tmp_path / "a.html"): "a.html", str(tmp_path / "b.txt"): "b"}


def test_doc_ids_are_unique_whatever_the_names(tmp_path):
    names = ["x/a.txt", "x/a.html", "x/a.txt.txt", "y/a.txt", "a.txt", "x/b.txt", "y/b.txt"]
    paths = [str(tmp_path / n) for n in names]
    ids = doc_ids(paths)
    assert len(set(ids.values())) == len(paths)
    assert ids[str(tmp_path / "x/b.txt")] == "x/b" and ids == doc_ids(list(paths))  # stable


def test_a_file_given_twice_is_processed_once(small, tmp_path, capsys):
    src = files_of(small)[0]
    out = tmp_path / "out.jsonl"
    again = os.path.join(os.path.dirname(src), ".", os.path.basename(src))
    assert run_cli(src, again, src, "-o", str(out), "-j", "1", "--no-model") == 0
    docs = [json.loads(x) for x in lines_of(out)]
    assert [d["doc_id"] for d in docs] == [os.path.splitext(os.path.basename(src))[0]]
    stats = run_batch([src, src], str(tmp_path / "b.jsonl"), workers=1, extractor=RULES_ONLY)
    assert stats.documents == 1 and len(lines_of(tmp_path / "b.jsonl")) == 1


# 10. only regular files are read

def test_a_fifo_and_a_link_to_dev_zero_in_a_folder_are_error_records_not_hangs(small, tmp_path):
    os.mkfifo(small / "pipe.txt")
    (small / "zero.txt").symlink_to("/dev/zero")
    out = tmp_path / "out.jsonl"
    with no_hang():
        stats = run_batch(files_of(small), str(out), workers=1, extractor=RULES_ONLY)
    docs = {d["doc_id"]: d for d in (json.loads(x) for x in lines_of(out))}
    assert len(docs) == 6
    for name in ("pipe", "zero"):
        assert docs[name]["errors"][0]["code"] == "unreadable"
        assert "regular file" in docs[name]["errors"][0]["message"]
    assert sorted(os.path.basename(p) for p, _c, _m in stats.failed) == ["pipe.txt", "zero.txt"]


def test_reading_dev_zero_stops_at_once(tmp_path):
    with no_hang(), pytest.raises(IngestError) as e:
        read_document("/dev/zero", max_bytes=1000)
    assert e.value.code == "unreadable"


def test_the_byte_limit_applies_while_reading(tmp_path, monkeypatch):
    p = tmp_path / "grows.txt"
    p.write_text("增长5%。" * 100, encoding="utf-8")
    monkeypatch.setattr(os.path, "getsize", lambda _p: 1)  # it grew after the size was taken
    with pytest.raises(IngestError) as e:
        read_document(str(p), max_bytes=50)
    assert e.value.code == "too_large"


# 13. bookkeeping grows linearly

class Counted(str):
    """A string that counts equality tests (list membership and list.count make them)."""

    tests = 0

    def __eq__(self, other):
        Counted.tests += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def bookkeeping_tests(n: int, monkeypatch) -> int:
    split = os.path.splitext
    monkeypatch.setattr(os.path, "splitext", lambda p: tuple(Counted(x) for x in split(p)))
    paths = [Counted(f"/in/{i % 7}/doc{i}.txt") for i in range(n)]
    keys = {p: (p, "0" * 64) for p in paths}
    done = {keys[p]: i for i, p in enumerate(paths) if i % 2}
    Counted.tests = 0
    doc_ids(paths)
    batch.plan(paths, keys, done, {})
    monkeypatch.undo()
    return Counted.tests


def test_bookkeeping_makes_a_linear_number_of_comparisons(monkeypatch):
    small, large = bookkeeping_tests(1000, monkeypatch), bookkeeping_tests(4000, monkeypatch)
    assert large <= 4 * small + 100  # quadratic bookkeeping made 16 times as many


# 19. options are checked at start

@pytest.mark.parametrize("args", [["--timeout", "-1"], ["--timeout", "nan"], ["--timeout", "inf"],
                                  ["--timeout", "0"], ["--max-bytes", "0"], ["-j", "-2"],
                                  ["--model", "/nonexistent/model"]])
def test_bad_options_are_refused_with_one_line_and_exit_2(small, tmp_path, capsys, args):
    out = tmp_path / "out.jsonl"
    assert run_cli(str(small), "-o", str(out), *args) == 2
    one_error_line(capsys.readouterr().err)
    assert not out.exists()


def test_a_model_folder_without_a_model_is_refused(small, tmp_path, capsys):
    assert run_cli(str(small), "--model", str(tmp_path)) == 2
    assert "model" in one_error_line(capsys.readouterr().err)


# 23. file modes and spools

def test_a_new_output_honours_the_umask_and_an_existing_one_keeps_its_mode(tmp_path):
    old = os.umask(0o022)
    try:
        with AtomicWriter(str(tmp_path / "new.jsonl")) as w:
            w.write("{}")
        assert stat.S_IMODE(os.stat(tmp_path / "new.jsonl").st_mode) == 0o644
        keep = tmp_path / "keep.jsonl"
        keep.write_text("")
        os.chmod(keep, 0o640)
        with AtomicWriter(str(keep)) as w:
            w.write("{}")
        assert stat.S_IMODE(os.stat(keep).st_mode) == 0o640
    finally:
        os.umask(old)


def test_an_output_through_a_symlink_keeps_the_link(tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    (tmp_path / "link.jsonl").symlink_to(target)
    with AtomicWriter(str(tmp_path / "link.jsonl")) as w:
        w.write("{}")
    assert (tmp_path / "link.jsonl").is_symlink() and target.read_text() == "{}\n"


def test_spools_go_beside_the_output_and_stale_ones_are_removed(small, tmp_path, monkeypatch):
    import functools
    import tempfile

    made = []
    mkstemp = tempfile.mkstemp

    def spy(*args, **kw):
        fd, name = mkstemp(*args, **kw)
        made.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    monkeypatch.setattr(pool, "read_file", functools.partial(pool.read_file, stream_bytes=2000))
    out = tmp_path / "o" / "out.jsonl"
    out.parent.mkdir()
    stale = out.parent / f".out.jsonl{batch.SPOOL_MARK}123-abc.jsonl"
    stale.write_text("left by a killed run")
    run_batch(files_of(small), str(out), workers=1, extractor=RULES_ONLY)
    spools = [m for m in made if batch.SPOOL_MARK in m]
    assert spools and all(os.path.dirname(m) == str(out.parent) for m in spools)
    assert [f for f in os.listdir(out.parent) if not f.endswith(".zhibiao-key")] == ["out.jsonl"]


def test_sigterm_stops_a_run_and_leaves_no_spool(small, tmp_path):
    out = tmp_path / "out.jsonl"

    def term(_p):
        (tmp_path / f".out.jsonl{batch.SPOOL_MARK}{os.getpid()}-x.json").write_text("half")
        os.kill(os.getpid(), signal.SIGTERM)

    with cli.terminate_as_exit(), pytest.raises(SystemExit):
        run_batch(files_of(small), str(out), workers=1, extractor=RULES_ONLY, on_done=term)
    assert sorted(os.listdir(tmp_path)) == ["in", "out.jsonl.partial"]


# stdin

def test_dash_reads_one_document_from_stdin(tmp_path, monkeypatch, capsys):
    text = "全年地区生产总值增长6%，城镇新增就业1.2万人。".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    assert run_cli("-", "-j", "1", "--no-model") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["doc_id"] == "stdin" and doc["source"]["path"] == "-"
    assert [c["growth"]["rate"] for c in doc["claims"] if c["growth"]] == [6.0]
    validate(doc)


def test_dash_with_an_output_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("全年地区生产总值增长6%。".encode())))
    out = tmp_path / "out.jsonl"
    assert run_cli("-", "-o", str(out), "-j", "1", "--no-model") == 0
    doc = json.loads(out.read_bytes())
    assert doc["source"]["path"] == "-" and doc["doc_id"] == "stdin" and doc["claims"]
