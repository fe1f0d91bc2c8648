"""Compare today's output on corpus/ with the last release's (tests/release/*.jsonl.gz).

    python scripts/check_release.py            # lists every difference, exit 1 if any
    python scripts/check_release.py --update   # records today's output as the release's

A refactor must leave the output byte-identical; a change of behaviour lists here what it
changed, claim by claim and field by field, so that the note can justify each difference.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {"speeches": "corpus/speeches", "unlabeled": "corpus/unlabeled"}


def run(folder: str, out: Path) -> bytes:
    subprocess.run([sys.executable, "-m", "zhibiao.cli", "extract", folder, "-o", str(out)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out.read_bytes()


def by_doc(data: bytes) -> dict[str, dict]:
    docs = (json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip())
    return {d["doc_id"]: d for d in docs}


def field_diffs(old: dict, new: dict, prefix: str = "") -> list[str]:
    keys = sorted(set(old) | set(new))
    out = []
    for k in keys:
        a, b = old.get(k), new.get(k)
        if a != b:
            out.append(f"{prefix}{k}: {json.dumps(a, ensure_ascii=False)[:80]} -> "
                       f"{json.dumps(b, ensure_ascii=False)[:80]}")
    return out


def compare(name: str, old: bytes, new: bytes) -> int:
    if old == new:
        print(f"{name}: byte-identical ({len(new):,} bytes)")
        return 0
    a, b = by_doc(old), by_doc(new)
    n = 0
    for doc_id in sorted(set(a) | set(b)):
        da, db = a.get(doc_id, {}), b.get(doc_id, {})
        ca = {c["id"]: c for c in da.get("claims", [])}
        cb = {c["id"]: c for c in db.get("claims", [])}
        top = field_diffs({k: v for k, v in da.items() if k != "claims"},
                          {k: v for k, v in db.items() if k != "claims"})
        for line in top:
            print(f"{name} {doc_id}: {line}")
            n += 1
        for cid in sorted(set(ca) | set(cb), key=lambda s: int(s.rsplit(":", 1)[1])):
            for line in field_diffs(ca.get(cid, {}), cb.get(cid, {})):
                print(f"{name} {cid}: {line}")
                n += 1
    print(f"{name}: {n} differences")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="record today's output as the release's")
    args = ap.parse_args()
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in SETS.items():
            new = run(folder, Path(tmp) / f"{name}.jsonl")
            ref = ROOT / "tests" / "release" / f"{name}.jsonl.gz"
            if args.update:
                ref.write_bytes(gzip.compress(new, compresslevel=9, mtime=0))
                print(f"{name}: recorded {ref.relative_to(ROOT)}")
                continue
            total += compare(name, gzip.decompress(ref.read_bytes()), new)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
