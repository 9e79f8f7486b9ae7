#!/usr/bin/env python3
"""Underlined, boxed and circled numbers and numbers on a form's blank: MNIST digits written
on a page with the line or outline touching them (underlines level, or falling by 3 or
6 px), at three sizes; how many numbers are read whole, against the same numbers with
nothing drawn.

    python bench/underlined.py [--without-underline-reading]
"""
from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "samples"))

from edge_app import locate  # noqa: E402
from edge_app.classify import Classifier  # noqa: E402
from edge_app.frames import Frame  # noqa: E402
from edge_app.pipeline import Pipeline  # noqa: E402
from layouts import written_number  # noqa: E402

NUMBERS = ([9, 3, 5], [3, 6, 1], [5, 8, 2], [2, 0, 2, 4], [4, 7], [1, 1, 8, 6], [7, 0, 9])
MARKS = {"nothing": ("nothing", 0), "underline": ("underline", 0), "underline falling 3 px": ("underline", 3),
         "underline falling 6 px": ("underline", 6), "box": ("box", 0), "circle": ("circle", 0), "blank": ("blank", 0)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--without-underline-reading", action="store_true", help="Leave underlined blobs to the column splits alone.")
    a = ap.parse_args()
    if a.without_underline_reading:
        locate.underline.digits_over_a_line = lambda crop: []
    pipeline = Pipeline(Classifier.from_path(os.path.join(ROOT, "models", "digits_int8.tflite")))
    for name in MARKS:
        whole = total = 0
        for labels in NUMBERS:
            for size in (40, 48, 64):
                result = pipeline.process(Frame(written_number(labels, size, *MARKS[name]), 0, 0.0, name))
                whole += [r.text for r in result.readings] == ["".join(map(str, labels))]
                total += 1
        print(f"{name:24s} {whole:2d} of {total} numbers read whole")


if __name__ == "__main__":
    main()
