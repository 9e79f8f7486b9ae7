#!/usr/bin/env python3
"""Underlined numbers, boxed numbers and numbers on a form's blank: MNIST digits written
on a page with the line or outline touching them (underlines level, or falling by 3 or
6 px), at three sizes; how many numbers are read whole, against the same numbers with
nothing drawn.

    python bench/underlined.py [--without-underline-reading]
"""
from __future__ import annotations

import argparse
import os
import sys

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app import locate  # noqa: E402
from edge_app.classify import Classifier  # noqa: E402
from edge_app.frames import Frame  # noqa: E402
from edge_app.pipeline import Pipeline  # noqa: E402

NUMBERS = ([9, 3, 5], [3, 6, 1], [5, 8, 2], [2, 0, 2, 4], [4, 7], [1, 1, 8, 6], [7, 0, 9])
MARKS = {"nothing": None, "underline": 0, "underline falling 3 px": 3, "underline falling 6 px": 6, "box": None, "blank": None}


def page(digits, classes, labels, size, mark):
    sheet = np.full((480, 640, 3), 215, np.float32)
    left, top, step = 200, 200, int(0.9 * size)
    for k, label in enumerate(labels):
        digit = cv2.resize(digits[np.flatnonzero(classes == label)[0]], (size, size))
        sheet[top:top + size, left + step * k:left + step * k + size] -= 0.7 * digit[..., None].astype(np.float32)
    right, bottom = left + step * (len(labels) - 1) + size, top + size
    if mark == "box":
        cv2.rectangle(sheet, (left - 12, top - 12), (right + 12, bottom + 12), (60, 60, 60), 3)
    elif mark == "nothing":
        pass
    elif mark == "blank":
        cv2.line(sheet, (left - 20, bottom - 4), (left + 276, bottom - 4), (60, 60, 60), 3)
    else:
        cv2.line(sheet, (left - 6, bottom - 4), (right + 6, bottom - 4 + MARKS[mark]), (60, 60, 60), 3)
    return np.clip(sheet + np.random.default_rng(0).normal(0, 3, sheet.shape), 0, 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--without-underline-reading", action="store_true", help="Leave underlined blobs to the column splits alone.")
    a = ap.parse_args()
    if a.without_underline_reading:
        locate.underline.digits_over_a_line = lambda crop: []
    with np.load(os.path.join(ROOT, "tests", "fixtures", "mnist_small.npz")) as d:
        digits, classes = d["x_test"], d["y_test"]
    pipeline = Pipeline(Classifier.from_path(os.path.join(ROOT, "models", "digits_int8.tflite")))
    for mark in MARKS:
        whole = total = 0
        for labels in NUMBERS:
            for size in (40, 48, 64):
                result = pipeline.process(Frame(page(digits, classes, labels, size, mark), 0, 0.0, mark))
                whole += [r.text for r in result.readings] == ["".join(map(str, labels))]
                total += 1
        print(f"{mark:24s} {whole:2d} of {total} numbers read whole")


if __name__ == "__main__":
    main()
