#!/usr/bin/env python3
"""Per-frame time on hostile frames (noise, thousands of specks, a giant blob, stripes,
a page packed with digits, a page of small print; 640x480, 1280x960 and 4000x3000):
the working size and the candidate cap must keep the worst frame bounded. Reports
median and worst per kind, measured in one run.

    python bench/bench_hostile.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.classify import Classifier  # noqa: E402
from edge_app.frames import Frame  # noqa: E402
from edge_app.heap import keep_frame_memory  # noqa: E402
from edge_app.pipeline import Pipeline  # noqa: E402


def hostile(kind: str, h: int, w: int, rng) -> np.ndarray:
    if kind == "noise":
        return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    img = np.full((h, w, 3), 220, np.uint8)
    if kind == "specks":
        for _ in range(5000):
            y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
            s = int(rng.integers(2, max(3, h // 40)))
            cv2.rectangle(img, (x, y), (x + s, y + 2 * s), (30, 30, 30), -1)
    elif kind == "blob":
        img[h // 8: -h // 8, w // 8: -w // 8] = 20
    elif kind == "stripes":
        img[:, ::12] = 20
    elif kind == "text":  # a page of small print: thousands of letter-sized blobs
        rows = h // 24
        for r in range(rows):
            text = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz    "), 200))
            cv2.putText(img, text, (4, 20 + r * 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6 * h / 960, (35, 35, 35), 1, cv2.LINE_AA)
    elif kind == "digits":  # a page packed with digits: more candidates than the cap
        rows, size = 16, h / 16
        for r in range(rows):
            text = "".join(str(int(d)) for d in rng.integers(0, 10, 60))
            cv2.putText(img, text, (4, int((r + 0.8) * size)), cv2.FONT_HERSHEY_SIMPLEX, size / 40, (30, 30, 30), max(1, int(size / 12)))
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    keep_frame_memory()  # as the app does
    pipeline = Pipeline(Classifier.from_path(os.path.join(ROOT, "models", "digits_int8.tflite")))
    rng = np.random.default_rng(0)
    worst_all = 0.0
    print(f"{'frame':24s} {'median ms':>10s} {'worst ms':>9s} {'candidates':>11s}")
    for h, w in [(480, 640), (960, 1280), (3000, 4000)]:
        for kind in ("noise", "specks", "blob", "stripes", "digits", "text"):
            image = hostile(kind, h, w, rng)
            times, count = [], 0
            for _ in range(a.repeats):
                t = time.perf_counter()
                result = pipeline.process(Frame(image, 0, 0.0, "bench"))
                times.append((time.perf_counter() - t) * 1e3)
                count = len(result.boxes)
            worst_all = max(worst_all, max(times))
            print(f"{kind + f' {w}x{h}':24s} {np.median(times):10.1f} {max(times):9.1f} {count:11d}")
    print(f"worst hostile frame: {worst_all:.1f} ms")


if __name__ == "__main__":
    main()
