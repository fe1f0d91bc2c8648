"""Switch each rule of rules/*.yaml off in turn and run its own examples and negatives again.

    python scripts/rule_ablation.py            # every rule; lists those whose cases do not notice
    python scripts/rule_ablation.py link.topic # one rule

A rule whose own cases all still hold without it is not shown by them: its examples pass
through another rule, or it does nothing. The goal is that this list is empty. The
grammars as a whole (``figures``, ``indicators``) are not switched off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, sys
from zhibiao.dev.rule_cases import cases, check
rule = sys.argv[1]
own = [c for c in cases() if c.rule == rule]
failed = [c.text for c in own if check(c) is not None]
print(json.dumps({"cases": len(own), "failed": failed}, ensure_ascii=False))
"""


def rule_ids() -> list[str]:
    from zhibiao.dev.rule_cases import cases

    ids = dict.fromkeys(c.rule for c in cases())
    return [r for r in ids if r not in ("value.unit", "indicators")]  # a whole file each


def probe(rule: str) -> dict:
    env = {**os.environ, "ZHIBIAO_DISABLE_RULES": rule}
    run = subprocess.run([sys.executable, "-c", PROBE, rule], env=env, capture_output=True, text=True)
    if run.returncode:  # the pipeline cannot run without it: every case notices
        last = (run.stderr.strip().splitlines() or ["?"])[-1]
        return {"cases": "?", "failed": [f"(crashed: {last[:60]})"]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    rules = argv or rule_ids()
    silent = []
    for rule in rules:
        got = probe(rule)
        noticed = len(got["failed"])
        print(f"{rule:26} {noticed:3} of {got['cases']:>3} own cases fail without it"
              + (f"  {got['failed'][0]}" if got['failed'] and got['failed'][0].startswith('(crashed') else ''))
        if not noticed:
            silent.append(rule)
    print(f"\nrules whose own cases do not notice their removal: {len(silent)}"
          + (f" ({', '.join(silent)})" if silent else ""))
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
