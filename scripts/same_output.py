"""The equality harness of speed work: extract fixed folders, keep the output, and later
re-extract and diff it claim by claim.

    python scripts/same_output.py save  [--dir /tmp/same-output]   # today's output, kept
    python scripts/same_output.py check [--dir /tmp/same-output]   # re-extract, diff, exit 1 on any change

Each folder is extracted with the rules alone and with the model (``--no-model`` skips the
model pass), one JSON line per document exactly as ``zhibiao extract`` writes it. ``check``
compares line by line, byte for byte; where a line differs it names the document and the
first claims that differ (by position, with the fields that changed). The output holds no
run time stamp, so nothing is ignored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from zhibiao import extract_file
from zhibiao.io.export import dumps
from zhibiao.run.inputs import iter_inputs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus-unlabeled"
FOLDERS = {
    "gwr2026": SHARED / "gwr2026",
    "national": SHARED / "national-1954-1989",
    "speeches": ROOT / "corpus" / "speeches",
    "genres": ROOT / "corpus" / "genres" / "docs",
}


def extract_folder(folder: Path, use_model: bool) -> list[str]:
    """One output line per document of ``folder``, in the CLI's order."""
    return [dumps(extract_file(p, use_model=use_model).to_dict())
            for p, skip in iter_inputs([str(folder)]) if skip is None]


def _passes(no_model: bool) -> list[tuple[str, bool]]:
    return [("rules", False)] + ([] if no_model else [("model", True)])


def _claim_diff(old: dict, new: dict) -> list[str]:
    """What differs between two documents' claims: position and the fields changed."""
    out = []
    a, b = old.get("claims", []), new.get("claims", [])
    if len(a) != len(b):
        out.append(f"    {len(a)} claims before, {len(b)} now")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            out.append(f"    claim {i}: {', '.join(f'{k}: {x.get(k)!r} -> {y.get(k)!r}' for k in keys)}")
        if len(out) >= 6:
            break
    rest = sorted(k for k in set(old) | set(new) if k != "claims" and old.get(k) != new.get(k))
    if rest:
        out.append(f"    document fields: {', '.join(rest)}")
    return out


def compare(name: str, kept: list[str], now: list[str]) -> int:
    """Print the differences of one folder's pass; the number of documents that differ."""
    if len(kept) != len(now):
        print(f"{name}: {len(kept)} documents before, {len(now)} now")
        return max(len(kept), len(now))
    bad = 0
    for old, new in zip(kept, now, strict=True):
        if old == new:
            continue
        bad += 1
        o, n = json.loads(old), json.loads(new)
        print(f"{name}: {o.get('doc_id')} differs")
        print("\n".join(_claim_diff(o, n)) or "    (bytes only: key order or number format)")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("--dir", default="/tmp/same-output")
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--only", nargs="*", help="folder names to do (default: all)")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    bad = docs = chars = 0
    for name, folder in FOLDERS.items():
        if args.only and name not in args.only:
            continue
        if not folder.is_dir():
            print(f"{name}: {folder} not present, skipped")
            continue
        for label, use_model in _passes(args.no_model):
            path = Path(args.dir) / f"{name}.{label}.jsonl"
            t0 = time.perf_counter()
            lines = extract_folder(folder, use_model)
            took = time.perf_counter() - t0
            docs += len(lines)
            chars += sum(len(json.loads(x).get("claims", [])) for x in lines)
            if args.action == "save":
                path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
                print(f"{name} {label}: {len(lines)} documents kept in {path} ({took:.1f} s)")
                continue
            kept = path.read_text(encoding="utf-8").splitlines()
            n = compare(f"{name} {label}", kept, lines)
            bad += n
            print(f"{name} {label}: {len(lines) - n}/{len(lines)} documents identical ({took:.1f} s)")
    print(f"{docs} documents, {chars} claims" + ("" if args.action == "save" else f", {bad} differ"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
