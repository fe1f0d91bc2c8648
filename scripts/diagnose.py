"""Print kind, period and subject disagreements and invented numbers against gold."""

import sys

from zhibiao.dev.evaluate import _contains, _facts, _matches, find_doc_text, load_gold
from zhibiao.run.files import extract_file

gold_dir = sys.argv[1] if len(sys.argv) > 1 else "corpus/gold"
docs_dir = sys.argv[2] if len(sys.argv) > 2 else "corpus/speeches"
for doc_id, rows in load_gold(gold_dir).items():
    d = extract_file(f"{docs_dir}/{doc_id}.txt").to_dict()
    text = find_doc_text(doc_id, docs_dir, d)
    gf, pf = [], []
    for g in rows:
        a = text.find(g["sent"])
        gf += _facts(g, doc_id, (a, a + len(g["sent"])), [g["indicator"]] + g.get("alt", []),
                     g["tier"] == "core", g["sent"])
    for c in d["claims"]:
        pf += _facts(c, doc_id, (c["sentence"]["start"], c["sentence"]["end"]),
                     [c["indicator"]["name"]], True, c["sentence"]["text"])
    used = set()
    for g in gf:
        for i, p in enumerate(pf):
            if i not in used and _matches(p, g):
                used.add(i)
                gc, pc = g.claim, p.claim
                if pc["kind"] != gc["kind"]:
                    print("KIND", doc_id[:3], gc["kind"], "pred", pc["kind"], g.names[0], "|", g.sentence[:60])
                if gc.get("period") and not (pc.get("period") and _contains(pc["period"], gc["period"])):
                    print("PERIOD", doc_id[:3], gc["period"], "pred", pc["period"], g.names[0], "|", g.sentence[:50])
                if not _contains(pc.get("subject"), gc.get("subject")):
                    print("SUBJ", doc_id[:3], gc["subject"], "pred", pc["subject"], g.names[0], "|", g.sentence[:50])
                break
    for i, p in enumerate(pf):
        if i not in used and not p.masked and p.number is not None and any(
                g.masked and g.type == p.type and p.span[0] < g.span[1] and g.span[0] < p.span[1] for g in gf):
            print("INVENTED", p.type, p.number, p.names, p.sentence[:80])
