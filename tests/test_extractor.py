"""One Extractor built from Settings (as spaCy's nlp): it holds the rule set, the segmenter
and the limits, travels to a worker process, and leaves no option in a module global."""

from __future__ import annotations

import multiprocessing
import pickle
import shutil
import sys
import types
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import ROOT
from zhibiao import extract_text
from zhibiao.api import Extractor
from zhibiao.ruleset.load import RuleError
from zhibiao.settings import Settings

TEXT = "全市实现地区生产总值42亿元，增长9.1%。规上工业增加值增长6.2%，社会消费品零售总额18.5亿元。"
NO_LEXICON = frozenset({"link.lexicon"})  # names then come from the phrase before the figure


def claims(doc) -> list[tuple[str, str, float | None]]:
    return [(c.indicator.name, c.rule, c.value.amount if c.value else None) for c in doc.claims]


def module_state() -> dict[tuple[str, str], str]:
    """Every module-level value of zhibiao that is not code, a type, a module or a cache."""
    out = {}
    for name, mod in list(sys.modules.items()):
        if not name.startswith("zhibiao") or mod is None:
            continue
        for k, v in vars(mod).items():
            if k.startswith("__") or isinstance(v, (types.ModuleType, type, types.FunctionType)) \
                    or hasattr(v, "cache_info") or callable(v) or k == "_BLOCKS":  # jieba's loaded dictionary
                continue
            out[(name, k)] = repr(v)
    return out


def test_extract_text_with_settings_gives_what_the_extractor_of_those_settings_gives():
    nlp = Extractor(Settings(use_model=False))
    assert claims(nlp(TEXT)) == claims(extract_text(TEXT, settings=Settings(use_model=False)))
    assert claims(nlp(TEXT)) == claims(extract_text(TEXT, use_model=False))
    assert nlp(TEXT).to_dict() == nlp.extract_text(TEXT).to_dict()


def test_two_extractors_with_other_rules_run_one_after_another_and_change_no_module_global():
    plain = Extractor(use_model=False)
    first = claims(plain(TEXT))
    assert [r.split("+")[1] for _, r, _ in first] == ["link.lexicon"] * 3
    before = module_state()
    ablated = claims(Extractor(use_model=False, disabled_rules=NO_LEXICON)(TEXT))
    again = claims(plain(TEXT))
    assert module_state() == before
    assert again == first
    assert [r.split("+")[1] for _, r, _ in ablated] == ["link.phrase"] * 3
    assert extract_text(TEXT, use_model=False).claims[0].rule == first[0][1]  # the default rules again


def test_extractors_with_other_rules_in_parallel_threads_give_what_each_gives_alone():
    """The tables derived from rules are cached per process: threads with other rules take turns."""
    from concurrent.futures import ThreadPoolExecutor

    text = sorted((ROOT / "corpus" / "speeches").glob("000_*.txt"))[0].read_text(encoding="utf-8")[:8000]
    no_verbs = frozenset({"growth.verb"})  # read through a table of cues cached in a module
    plain, ablated = Extractor(use_model=False), Extractor(use_model=False, disabled_rules=no_verbs)
    alone = {id(plain): claims(plain(text)), id(ablated): claims(ablated(text))}
    assert alone[id(plain)] != alone[id(ablated)]
    jobs = [plain, ablated] * 8
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda ex: (id(ex), claims(ex(text))), jobs))
    assert all(c == alone[i] for i, c in got)


def test_other_rules_inside_a_running_extractor_of_the_same_thread_are_an_error_not_a_deadlock():
    plain, ablated = Extractor(use_model=False), Extractor(use_model=False, disabled_rules=NO_LEXICON)
    with plain.active():
        doc = ablated(TEXT)
        assert plain(TEXT).claims  # the same rules again: fine
    assert not doc.claims and "other rules is running in this thread" in doc.errors[0]["message"]
    assert claims(ablated(TEXT))  # after the block it runs


def test_a_thread_waiting_for_other_rules_gives_up_at_its_timeout_instead_of_hanging():
    """A pool started inside a running block waits on that block: the waiting document gets a
    timeout error after its timeout, and the block goes on."""
    from concurrent.futures import ThreadPoolExecutor

    plain = Extractor(use_model=False)
    waiting = Extractor(use_model=False, disabled_rules=NO_LEXICON, timeout=0.5)
    with plain.active(), ThreadPoolExecutor(1) as pool:
        doc = pool.submit(waiting, TEXT).result(timeout=60)
        assert plain(TEXT).claims
    assert not doc.claims and doc.errors[0]["code"] == "timeout" and "take turns" in doc.errors[0]["message"]
    assert claims(waiting(TEXT)) == claims(Extractor(use_model=False, disabled_rules=NO_LEXICON)(TEXT))


def test_a_task_of_an_event_loop_wanting_other_rules_while_another_task_holds_them_fails_at_once():
    import asyncio

    plain, other = Extractor(use_model=False), Extractor(use_model=False, disabled_rules=NO_LEXICON)

    async def holder():
        with plain.active():
            await asyncio.sleep(0.2)
            return claims(plain(TEXT))

    async def wants_other():
        await asyncio.sleep(0.05)
        return other(TEXT)

    async def both():
        return await asyncio.wait_for(asyncio.gather(holder(), wants_other()), timeout=30)

    held, doc = asyncio.run(both())
    assert held and not doc.claims and "in force in this thread" in doc.errors[0]["message"]


def test_each_sentences_figures_are_let_go_unless_kept_for_training():
    assert Extractor(use_model=False)(TEXT).parts == []
    kept = Extractor(use_model=False, keep_figures=True)(TEXT)
    assert len(kept.parts) == len(kept.sentences) and any(p.figs for p in kept.parts)


def _rule_ids() -> list[str]:
    from zhibiao.ruleset.load import rule_ids, shipped_rules_dir

    return sorted(rule_ids(shipped_rules_dir())[0])  # sections; a whole file cannot be switched off


PAGES = sorted((ROOT / "corpus" / "genres" / "docs").glob("*.txt"))


def test_every_rule_can_be_switched_off_and_the_pages_are_still_read_without_an_error():
    """Ablation switches a rule's patterns and words to match nothing; what else it holds
    (a unit, where to look, named groups the code reads) stays, so nothing breaks."""
    text = "\n".join(p.read_text(encoding="utf-8")[:1500] for p in PAGES[::4]) + TEXT
    for rid in _rule_ids():
        doc = Extractor(use_model=False, disabled_rules=frozenset({rid}))(text)
        assert doc.errors == [], (rid, doc.errors)


def test_a_pickled_extractor_gives_the_same_output_and_keeps_its_settings():
    nlp = Extractor(use_model=False, disabled_rules=NO_LEXICON, timeout=30.0)
    back = pickle.loads(pickle.dumps(nlp))
    assert back.settings == nlp.settings and back.rules == nlp.rules
    assert back(TEXT).to_dict() == nlp(TEXT).to_dict()


def _run_in_worker(nlp: Extractor) -> dict:
    return nlp(TEXT, doc_id="w").to_dict()


def test_a_spawned_worker_process_receives_the_extractor_and_nothing_else():
    nlp = Extractor(use_model=False, disabled_rules=NO_LEXICON)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(_run_in_worker, nlp).result(timeout=300)
    assert there == nlp(TEXT, doc_id="w").to_dict()
    assert "link.phrase" in there["claims"][0]["rule"]


@pytest.mark.parametrize(("options", "message"), [
    ({"segmenter": "thulac"}, "unknown segmenter 'thulac'"),
    ({"scorer": "maybe"}, "scorer must be one of on, off, collect"),
    ({"max_bytes": 0}, "max_bytes must be at least 1"),
    ({"timeout": -1}, "timeout must be a positive number"),
    ({"rules_dir": "/nonexistent/rules"}, "is not a folder"),
    ({"disabled_rules": {"link.pairs"}}, "disabled_rules must be a frozenset"),
])
def test_settings_no_extraction_can_honour_fail_when_the_extractor_is_built(options, message):
    with pytest.raises((TypeError, ValueError), match=message):
        Extractor(**options)


def test_a_rules_folder_of_its_own_is_compiled_when_the_extractor_is_built(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(Extractor(use_model=False).rules.path(), rules)
    same = Extractor(use_model=False, rules_dir=str(rules))
    assert claims(same(TEXT)) == claims(Extractor(use_model=False)(TEXT))
    (rules / "cues.yaml").write_text("version: 1\ngrowth: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"cues\.yaml:\d+: not valid YAML"):
        Extractor(use_model=False, rules_dir=str(rules))
    assert claims(extract_text(TEXT, use_model=False)) == claims(Extractor(use_model=False)(TEXT))


def test_extract_file_keeps_the_limits_its_settings_give():
    from zhibiao import extract_file

    path = str(ROOT / "corpus" / "national" / "gwr_1958.txt")
    doc = extract_file(path, settings=Settings(use_model=False, max_bytes=100))
    assert [e["code"] for e in doc.errors] == ["too_large"]
    assert extract_file(path, max_bytes=10**9, settings=Settings(use_model=False, max_bytes=100)).errors == []


@pytest.mark.parametrize("ids, said", [({"link.lexcon"}, "no rule has the id 'link.lexcon'"),
                                       ({"value.unit"}, "a whole rule file's id")])
def test_switching_off_a_rule_that_is_not_one_fails_when_the_extractor_is_built(ids, said):
    with pytest.raises(ValueError, match=said):
        Extractor(use_model=False, disabled_rules=frozenset(ids))
