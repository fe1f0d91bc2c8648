"""Print a short summary of an extract output file (used by ``make run``)."""

import json
import sys
from collections import Counter

path = sys.argv[1]
docs = claims = 0
kinds: Counter = Counter()
errors = []
with open(path, encoding="utf-8") as fh:
    for line in fh:
        d = json.loads(line)
        docs += 1
        claims += len(d["claims"])
        kinds.update(c["kind"] for c in d["claims"])
        errors += [(d["doc_id"], e["code"]) for e in d["errors"]]
print(f"documents: {docs}")
print(f"claims:    {claims}  (" + ", ".join(f"{k} {v}" for k, v in kinds.most_common()) + ")")
if errors:
    print("failed:    " + ", ".join(f"{d} [{c}]" for d, c in errors))
print(f"output:    {path}")
