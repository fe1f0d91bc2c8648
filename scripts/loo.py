"""Leave-one-document-out: train without a gold document, evaluate rules alone vs
rules + model on it. Usage: python scripts/loo.py [corpus] [--epochs N]"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from zhibiao.dev.evaluate import Score, find_doc_text, load_gold, score_document
from zhibiao.dev.train_ner import train_from_corpus
from zhibiao.ner import runtime as ner
from zhibiao.run.files import extract_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default="corpus")
    ap.add_argument("--epochs", type=int, default=20)
    a = ap.parse_args()
    corpus = Path(a.corpus)
    gold = load_gold(str(corpus / "gold"))
    totals = {"rules": Score(), "rules+model": Score()}
    rows = []
    model_claims = [0, 0]
    by_method: dict[str, list[int]] = {}
    for doc_id, g in gold.items():
        with tempfile.TemporaryDirectory() as tmp:
            train_from_corpus(corpus, Path(tmp), exclude={doc_id}, epochs=a.epochs, log=lambda *_: None)
            path = str(corpus / "speeches" / f"{doc_id}.txt")
            res = {}
            for name, use in (("rules", False), ("rules+model", True)):
                out = extract_file(path, use_model=use, model_dir=tmp).to_dict()
                text = find_doc_text(doc_id, str(corpus / "speeches"), out)
                sc = score_document(doc_id, text, g, out)
                totals[name].add(sc)
                res[name] = sc.figures()
                if use:
                    model_claims[0] += sum(c["method"] != "rule" for c in out["claims"])
                    model_claims[1] += len(out["claims"])
                    fp_ids = {id(p.claim) for p in sc.false_pos}
                    for c in out["claims"]:
                        key = c["method"] + ("/lexicon" if c["indicator"]["canonical"] else "/phrase")
                        m = by_method.setdefault(key, [0, 0])
                        m[1] += 1
                        m[0] += id(c) not in fp_ids
            ner.load.cache_clear()
            ner.recognizer.cache_clear()
        rows.append((doc_id, res))
    print(f"{'document':26} {'rules P':>8} {'R':>6} {'F1':>6}   {'+model P':>8} {'R':>6} {'F1':>6}")
    for doc_id, res in rows + [("OVERALL", {k: v.figures() for k, v in totals.items()})]:
        r, m = res["rules"], res["rules+model"]
        print(f"{doc_id[:26]:26} {r['precision']:8.3f} {r['recall']:6.3f} {r['f1']:6.3f}   "
              f"{m['precision']:8.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
    print(f"claims named with the model's help: {model_claims[0]} of {model_claims[1]}")
    for m, (ok, n) in sorted(by_method.items()):
        print(f"  {m:18}: {n:4} claims, {ok / n:.3f} with no false-positive fact (confidence basis)")


if __name__ == "__main__":
    main()
