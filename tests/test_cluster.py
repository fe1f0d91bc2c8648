"""--engine dask and the dask.bag API: the local run's output, timeouts, resume, atomic output.

Most tests share one in-process LocalCluster on loopback (processes=False: fast on 2 cores)
and reach it as a user reaches a remote one, by ``--scheduler ADDRESS``; one runs the default
local cluster of worker processes end to end.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import SPEECHES, interrupt_after

pytest.importorskip("distributed")
from distributed import Client, LocalCluster  # noqa: E402
from zhibiao.api import Extractor  # noqa: E402
from zhibiao.cli import main  # noqa: E402
from zhibiao.run import cluster  # noqa: E402
from zhibiao.run.batch import run_batch  # noqa: E402
from zhibiao.run.files import for_files  # noqa: E402
from zhibiao.run.pool import Worker, doc_ids, stream  # noqa: E402
from zhibiao.settings import Settings  # noqa: E402

RULES = Settings(use_model=False)


def worker(**settings) -> Worker:
    return Worker(for_files(Extractor(RULES, **settings)))


SMALL = ["005_jilin2026_review.txt", "006_henan2026_review.txt", "013_jiangsu2026_review.txt"]


@pytest.fixture(scope="module")
def dask_client():
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=":0", scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR) as lc, \
            Client(lc, set_as_default=False) as client:
        yield client


@pytest.fixture()
def archive(tmp_path):
    """Three real reports, two files of one stem, and files that cannot be read."""
    a = tmp_path / "archive"
    (a / "b").mkdir(parents=True)
    for name in SMALL:
        shutil.copy(SPEECHES / name, a / name)
    shutil.copy(SPEECHES / SMALL[0], a / "b" / SMALL[0])  # the same name in another folder
    (a / "empty.txt").write_bytes(b"")
    (a / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (a / "page.html").write_text("<html><body><p>全年地区生产总值增长6%。</p></body></html>", encoding="utf-8")
    return a


def extract(*args: str) -> int:
    return main(["extract", *args, "--no-model"])


def test_dask_engine_writes_the_local_runs_bytes_ids_order_and_errors(archive, tmp_path, dask_client):
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert extract(str(archive), "-o", str(local), "--workers", "1") == 1  # two files fail
    assert extract(str(archive), "-o", str(dask), "--engine", "dask",
                   "--scheduler", dask_client.scheduler.address) == 1
    assert dask.read_bytes() == local.read_bytes()
    docs = [json.loads(x) for x in dask.read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 7 and len({d["doc_id"] for d in docs}) == 7
    errors = {d["doc_id"]: d["errors"][0]["code"] for d in docs if d["errors"]}
    assert errors == {"binary": "binary", "empty": "empty"}
    assert not (tmp_path / "dask.jsonl.partial").exists() and not (tmp_path / "dask.jsonl.lock").exists()


def test_dask_engine_to_stdout_is_the_local_runs_in_input_order(archive, capsys, dask_client):
    assert extract(str(archive), "--workers", "1") == 1
    local = capsys.readouterr().out
    assert extract(str(archive), "--engine", "dask", "--scheduler", dask_client.scheduler.address) == 1
    assert capsys.readouterr().out == local


def test_a_resumed_dask_run_equals_an_uninterrupted_one(archive, tmp_path, dask_client):
    paths = sorted(str(p) for p in archive.rglob("*.txt"))
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    on_dask = cluster.engine(dask_client.scheduler.address)
    run_batch(paths, str(whole), 1, Extractor(RULES))
    with pytest.raises(KeyboardInterrupt):
        run_batch(paths, str(out), 1, Extractor(RULES), on_done=interrupt_after(2), engine=on_dask)
    assert not out.exists()  # nothing half-written under the output's name
    assert len((tmp_path / "out.jsonl.partial").read_text(encoding="utf-8").splitlines()) == 3  # header + 2
    stats = run_batch(paths, str(out), 1, Extractor(RULES), engine=on_dask)
    assert stats.reused == 2 and stats.documents == len(paths)
    assert out.read_bytes() == whole.read_bytes()


def _in_worker_thread(jobs, w):
    """run_jobs, recording that it ran outside the main thread (where SIGALRM cannot reach)."""
    out = cluster.run_jobs(jobs, w)
    for _, _, info in out:
        info["main_thread"] = threading.current_thread() is threading.main_thread()
    return out


def test_the_per_document_timeout_holds_in_a_dask_worker_thread(dask_client):
    big = str(SPEECHES / "001_bf553028553a4e53.txt")
    small = str(SPEECHES / SMALL[0])
    jobs = [(big, "big", {}), (small, "small", {})]
    timed = list(cluster.run_on(dask_client, jobs, worker(timeout=0.002), ordered=True, task=_in_worker_thread))
    assert not any(info["main_thread"] for _, _, info in timed)
    big_doc = json.loads(timed[0][1])
    assert big_doc["errors"][0]["code"] == "timeout" and big_doc["claims"] == []
    # the worker goes on: the next run's documents (same threads) are whole again
    again = list(cluster.run_on(dask_client, jobs, worker(), ordered=True))
    assert [json.loads(line)["errors"] for _, line, _ in again] == [[], []]
    assert len(json.loads(again[0][1])["claims"]) > 50


def _dies_on_x(jobs, w):
    if any(path.endswith("x.txt") for path, _, _ in jobs):
        os._exit(1)  # the worker process dies on this document (a segfault, the OOM killer)
    return [(path, json.dumps({"doc_id": doc_id}), {}) for path, doc_id, _ in jobs]


def test_only_the_document_a_worker_dies_on_gets_an_internal_error_record(tmp_path):
    import dask

    jobs = [(str(tmp_path / n), n[0], {}) for n in ("a.txt", "x.txt", "b.txt")]
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.worker.multiprocessing-method": "fork"}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                         silence_logs=logging.CRITICAL) as lc, \
            Client(lc, set_as_default=False) as client:
        out = list(cluster.run_on(client, jobs, None, ordered=True, task=_dies_on_x, per_task=3))
    assert [path for path, _, _ in out] == [p for p, _, _ in jobs]
    docs = [json.loads(line) for _, line, _ in out]
    assert [d["doc_id"] for d in docs] == ["a", "x", "b"]
    assert "errors" not in docs[0] and "errors" not in docs[2]  # its task-mates ran again, alone
    assert docs[1]["claims"] == [] and docs[1]["errors"][0]["code"] == "internal"
    assert "Dask worker died" in docs[1]["errors"][0]["message"] and out[1][2]["error"]["code"] == "internal"


def test_documents_are_grouped_into_tasks_that_leave_each_thread_several():
    assert cluster.docs_per_task(270, 2) == 16
    assert cluster.docs_per_task(40, 2) == 2
    assert cluster.docs_per_task(5, 2) == 1
    assert cluster.docs_per_task(10**7, 400) == 16


def test_scheduler_without_dask_engine_and_an_unreachable_scheduler_are_one_line_errors(archive, tmp_path,
                                                                                        capsys, monkeypatch):
    assert extract(str(archive), "--scheduler", "tcp://127.0.0.1:9") == 2
    assert capsys.readouterr().err.strip() == "zhibiao: error: --scheduler tcp://127.0.0.1:9 needs --engine dask"
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    out = tmp_path / "o.jsonl"
    assert extract(str(archive), "-o", str(out), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9") == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("zhibiao: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "\n" not in err and not out.exists()


def test_extract_bag_gives_each_paths_output_document_in_order(archive, dask_client):
    paths = sorted(str(p) for p in archive.rglob("*") if p.is_file())
    bag = cluster.extract_bag(paths, RULES, npartitions=3)
    docs = dask_client.compute(bag).result()
    ids = doc_ids(paths)
    assert [d["doc_id"] for d in docs] == [ids[p] for p in paths]
    local = [json.loads(line) for line in _local_lines(paths)]
    assert docs == local


def _local_lines(paths):
    return [line for _, line, _ in stream(paths, 1, worker())]


def test_extract_bag_refuses_wrong_options():
    with pytest.raises(TypeError):
        cluster.extract_bag(["a.txt"], {"use_model": False})
    with pytest.raises(TypeError):
        cluster.extract_bag([5])
    with pytest.raises((TypeError, ValueError)):
        cluster.extract_bag(["a.txt"], Settings(timeout="5"))


def test_the_default_local_cluster_of_processes_gives_the_local_runs_bytes(tmp_path):
    files = [str(SPEECHES / n) for n in SMALL[:2]]
    exe = os.path.join(os.path.dirname(sys.executable), "zhibiao")
    env = {**os.environ, "ZHIBIAO_CACHE": os.environ.get("ZHIBIAO_CACHE", str(tmp_path / "cache"))}
    runs = {}
    for name, extra in (("local", []), ("dask", ["--engine", "dask"])):
        out = tmp_path / f"{name}.jsonl"
        proc = subprocess.run([exe, "extract", *files, "-o", str(out), "--no-model", "--workers", "2", *extra],
                              capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.count("\n") == 1  # the summary line alone: no cluster logs
        runs[name] = out.read_bytes()
    assert runs["dask"] == runs["local"]


def test_a_partitioned_parquet_export_holds_every_claim_row_of_the_whole_one(archive, tmp_path):
    import pandas as pd
    from zhibiao.io.tables import COLUMNS, to_dataframe

    out = tmp_path / "out.jsonl"
    extract(str(archive), "-o", str(out), "--workers", "1")
    whole = to_dataframe(str(out))
    assert len(whole) > 40
    parts = tmp_path / "claims"
    assert main(["export", str(out), "--to", "parquet", "--part-rows", "20", "-o", str(parts)]) == 0
    files = sorted(p.name for p in parts.iterdir())
    assert files == [f"part-{i:05d}.parquet" for i in range(-(-len(whole) // 20))]
    back = pd.read_parquet(parts)
    assert list(back.columns) == COLUMNS and len(back) == len(whole)
    assert back["claim_id"].tolist() == whole["claim_id"].tolist()
    assert back["sentence"].tolist() == whole["sentence"].tolist()
    assert back["span_start"].tolist() == whole["span_start"].tolist()
    # run again: the folder is replaced whole, no part of the old one is left
    assert main(["export", str(out), "--to", "parquet", "--part-rows", "1000", "-o", str(parts)]) == 0
    assert [p.name for p in parts.iterdir()] == ["part-00000.parquet"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".claims.")]


def test_part_rows_needs_parquet(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    assert main(["export", str(out), "--to", "csv", "--part-rows", "5"]) == 2
    assert capsys.readouterr().err.startswith("zhibiao: error: --part-rows needs --to parquet")


def test_each_bag_partition_writes_its_own_parquet_part(archive, tmp_path, dask_client):
    import pandas as pd
    from zhibiao.io.parquet import bag_to_parquet
    from zhibiao.io.tables import to_dataframe

    paths = sorted(str(p) for p in archive.rglob("*.txt"))
    out = tmp_path / "out.jsonl"
    run_batch(paths, str(out), 1, Extractor(RULES))
    with dask_client.as_current():
        n = bag_to_parquet(cluster.extract_bag(paths, RULES, npartitions=2), str(tmp_path / "claims"))
    back = pd.read_parquet(tmp_path / "claims")
    whole = to_dataframe(str(out))
    assert n == len(back) == len(whole) and len(list((tmp_path / "claims").iterdir())) == 2
    assert back["claim_id"].tolist() == whole["claim_id"].tolist()


def test_an_archives_meta_rows_reach_the_dask_workers(archive, tmp_path, dask_client):
    meta = tmp_path / "meta.csv"
    meta.write_text(f"path,date,jurisdiction,title\n{SMALL[1]},2019-03-01,桐城市,\n"
                    f"{archive / SMALL[2]},2018,,政府工作报告\n", encoding="utf-8")
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    extract(str(archive), "-o", str(local), "--workers", "1", "--meta", str(meta))
    extract(str(archive), "-o", str(dask), "--meta", str(meta), "--engine", "dask",
            "--scheduler", dask_client.scheduler.address)
    assert dask.read_bytes() == local.read_bytes()
    docs = {d["doc_id"]: d for d in map(json.loads, local.read_text(encoding="utf-8").splitlines())}
    assert docs[SMALL[1][:-4]]["jurisdiction"]["name"] == "桐城市"
    assert docs[SMALL[2][:-4]]["date"]["year"] == 2018


def test_the_dask_engine_without_dask_installed_is_a_one_line_option_error(archive, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "missing", lambda: "--engine dask needs dask and distributed: "
                        "pip install 'zhibiao[dask]'")
    assert extract(str(archive), "--engine", "dask") == 2
    assert capsys.readouterr().err == ("zhibiao: error: --engine dask needs dask and distributed: "
                                       "pip install 'zhibiao[dask]'\n")
