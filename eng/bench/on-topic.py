"""Share of answers on topic in Predict's predictions.jsonl files: a shop policy sentence (character LCS F1 >= 0.5
against one of the sample file's answers), and one of the question's own category.

    /usr/bin/python3 eng/bench/on-topic.py .nuke/cache/Predict/KEY/predictions.jsonl [...]   # any number of files
"""
import json
import os
import sys

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "data", "samples", "support-zh.jsonl")
MATCH = 0.5


def lcs_f1(a, b):
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return 2 * previous[-1] / (len(a) + len(b))


def main(paths):
    answers = {}
    with open(SAMPLES, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                answers.setdefault(row["output"], row.get("category"))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        for field in ("prediction", "base_prediction"):
            policy = on_topic = 0
            for row in rows:
                score, category = max((lcs_f1(row.get(field) or "", a), c) for a, c in answers.items())
                policy += score >= MATCH
                on_topic += score >= MATCH and category == row["category"]
            print(f"{path} {field}: a policy sentence {policy}/{len(rows)}, of the question's category {on_topic}/{len(rows)}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
