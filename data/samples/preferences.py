#!/usr/bin/env python3
"""Writes support-zh-preferences.jsonl: the records of support-zh.jsonl as preference pairs.

For each question the chosen answer is its own policy's answer; the rejected one is the answer of another policy of
the same category (a fluent, on-topic answer that states the wrong rule: the mistake a support model makes), drawn
with a fixed seed. Records with an `input` (the answer depends on the order's state), without an answer, and the
two deliberately wrong rows of the sample are left out. Deterministic: run it again and the file is byte-identical.
    python3 data/samples/preferences.py
"""
import json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261202)


def main():
    records = [json.loads(line) for line in open(os.path.join(HERE, "support-zh.jsonl"), encoding="utf-8")]
    # Each policy's answer, as most of its records give it (the sample's noise edits a few).
    answers = {}
    for r in records:
        if r.get("output", "").strip() and not r.get("input"):
            answers.setdefault(r["policy"], {}).setdefault(r["output"], 0)
            answers[r["policy"]][r["output"]] += 1
    canonical = {p: max(a, key=a.get) for p, a in answers.items()}
    category = {r["policy"]: r["category"] for r in records}
    written = 0
    with open(os.path.join(HERE, "support-zh-preferences.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            if r.get("input") or not r.get("output", "").strip() or r["output"] != canonical[r["policy"]]:
                continue
            others = sorted(p for p in canonical if p != r["policy"] and category[p] == r["category"]) \
                or sorted(p for p in canonical if p != r["policy"])
            rejected = canonical[rng.choice(others)]
            f.write(json.dumps({"id": r["id"], "category": r["category"], "prompt": r["instruction"],
                                "chosen": r["output"], "rejected": rejected}, ensure_ascii=False) + "\n")
            written += 1
    print(f"wrote {written} pairs")


if __name__ == "__main__":
    main()
