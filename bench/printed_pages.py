#!/usr/bin/env python3
"""How many printed letters pass for digits: 18 pages of body text (six OpenCV fonts,
three sizes and weights, sensor noise) through the whole pipeline.

    python bench/printed_pages.py
"""
from __future__ import annotations

import os
import sys

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.classify import Classifier  # noqa: E402
from edge_app.frames import Frame  # noqa: E402
from edge_app.pipeline import Pipeline  # noqa: E402

LINES = ["The quick brown fox jumps over the lazy dog.", "Please sign below and return by post.",
         "Invoice total due on receipt of goods.", "Lorem ipsum dolor sit amet, consectetur.",
         "Meeting notes: agenda, actions, owners.", "Kind regards from all of us here."]
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
         cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX]


def main():
    pipeline = Pipeline(Classifier.from_path(os.path.join(ROOT, "models", "digits_int8.tflite")))
    rng = np.random.default_rng(0)
    letters = leaked = 0
    for font in FONTS:
        for scale, thickness in ((0.7, 1), (0.9, 2), (1.2, 2)):
            page = np.full((480, 640, 3), 225, np.uint8)
            size = scale * 1.6 if font == cv2.FONT_HERSHEY_PLAIN else scale
            for i, text in enumerate(LINES):
                cv2.putText(page, text, (15, 50 + i * 70), font, size, (35, 35, 35), thickness, cv2.LINE_AA)
            page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
            result = pipeline.process(Frame(page, 0, 0.0, "printed"))
            leaked += int(result.accepted.sum())
            letters += sum(len(text.replace(" ", "")) for text in LINES)
    print(f"printed letters read as digits: {leaked} of {letters} ({leaked / letters:.1%})")


if __name__ == "__main__":
    main()
