#!/usr/bin/env python3
"""Real-dev at the Pi camera's lores size: every photo scaled down so its longer side is
at most 640 px (the lores stream is 640x480), replayed, and scored with the shared
scorer.

    python bench/score_lores.py [--side 640] [--images ../shared/datasets/real-dev/images]

The photos keep their names (the scorer matches by name); JPEGs are written at quality
95, after their EXIF rotation is applied.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile

import cv2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.sources import open_replay  # noqa: E402
from replay_score import SHARED, scorer_summary  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", type=int, default=640, help="longer side of every photo, in pixels")
    ap.add_argument("--images", default=os.path.join(SHARED, "datasets", "real-dev", "images"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as scaled:
        source = open_replay(a.images)
        for frame in source.frames():
            h, w = frame.image.shape[:2]
            scale = min(1.0, a.side / max(h, w))  # smaller photos stay as they are
            small = cv2.resize(frame.image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
            name = os.path.basename(frame.source)
            params = [cv2.IMWRITE_JPEG_QUALITY, 95] if name.lower().endswith((".jpg", ".jpeg")) else []
            cv2.imwrite(os.path.join(scaled, name), small, params)
        source.close()
        summary = scorer_summary(scaled)
    print(f"real-dev with the longer side at {a.side} px: {summary}")


if __name__ == "__main__":
    main()
