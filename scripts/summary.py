"""Print a short summary of an extract output file (used by ``make run``): what came out,
where it is, and what to try next."""

import json
import sys
from collections import Counter

path = sys.argv[1]
docs = claims = 0
kinds: Counter = Counter()
asked: Counter = Counter()  # (indicator, year) pairs the query hint can use: it must find something
years: Counter = Counter()
errors = []
with open(path, encoding="utf-8") as fh:
    for line in fh:
        d = json.loads(line)
        docs += 1
        claims += len(d["claims"])
        kinds.update(c["kind"] for c in d["claims"])
        asked.update((c["indicator"]["name"], (c.get("period_range") or {}).get("from", "")[:4])
                     for c in d["claims"] if c["indicator"].get("canonical"))
        years[(d.get("date") or {}).get("year")] += 1
        errors += [(d["doc_id"], e["code"]) for e in d["errors"]]
print(f"documents: {docs}  (dated: " + ", ".join(f"{y} {n}" for y, n in sorted(years.items(), key=str)) + ")")
print(f"claims:    {claims}  (" + ", ".join(f"{k} {v}" for k, v in kinds.most_common()) + ")")
if errors:
    print("failed:    " + ", ".join(f"{d} [{c}]" for d, c in errors))
print(f"output:    {path}")
(name, year), _n = max(asked.items(), key=lambda kv: (bool(kv[0][1]), kv[1]), default=(("地区生产总值", ""), 0))
query = f"zhibiao query {path} {name}" + (f" --year {year}" if year else "")
print(f"""
next (after: source .venv/bin/activate):
  {query}   # claims, figures as written, sentence
  zhibiao export {path} --to sqlite -o out/claims.db && zhibiao serve out/claims.db   # search page
  zhibiao eval --gold corpus/gold                       # precision / recall on the gold set
  make robustness                                        # F1 on damaged pages""")
