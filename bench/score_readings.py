#!/usr/bin/env python3
"""Score the app's own readings (its numbers, in the order it reads them) against a
labels.csv in real-dev's format. The shared scorer rebuilds reading order from the
boxes itself; this measures what a user of the app sees.

    edge-app replay ../shared/datasets/real-dev/images --no-show --jsonl /tmp/dev.jsonl
    python bench/score_readings.py /tmp/dev.jsonl [--labels ../shared/datasets/real-dev/labels.csv] [--verbose]

seq: 1 - edit distance / length between the truth's digits and the readings joined in
order (images marked SCATTERED are left out); groups: true numbers (split at '|' and
spaces) that the app reads as one reading, digit for digit.
"""
from __future__ import annotations

import argparse
import csv
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--labels", default=os.path.join(ROOT, "..", "shared", "datasets", "real-dev", "labels.csv"))
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    truth = {}
    with open(a.labels, newline="") as f:
        for row in csv.DictReader(f):
            if "SCATTERED" not in row["notes"]:
                truth[os.path.basename(row["file"])] = row["digits"]
    seq, exact, groups, group_hits, seen = 0.0, 0, 0, 0, set()
    with open(a.log) as f:
        for line in f:
            record = json.loads(line)
            name = os.path.basename(record["source"])
            if name not in truth or name in seen:
                continue
            seen.add(name)
            texts = [r["text"] for r in record["readings"]]
            want = truth[name].replace("|", "").replace(" ", "")
            got = "".join(texts)
            seq += max(0.0, 1 - edit_distance(got, want) / len(want))
            exact += got == want
            numbers = [g for text_line in truth[name].split("|") for g in text_line.split(" ") if g]
            groups += len(numbers)
            group_hits += sum(g in texts for g in numbers)
            if a.verbose and got != want:
                print(f"{name:45s} truth={truth[name]:40s} read={' '.join(texts)}")
    print(f"images={len(seen)} seq={seq / max(len(seen), 1):.3f} exact={exact}/{len(seen)} groups={group_hits}/{groups}")


if __name__ == "__main__":
    main()
