"""Underlined numbers: a line drawn under a number touches its digits and makes one blob
of them all. Reading it without the line is one more way to read that blob; the
classifier then picks between it and the column splits (split.choose).
"""
from __future__ import annotations

import cv2
import numpy as np

from .lines import thicknesses

# A straight run of ink this many blob heights long is no digit's stroke (a 2's base or
# a 7's bar is under one digit height; the blob is a little taller than its digits).
RUN = 1.2
# An underline lies in this bottom share of the blob's rows, within this slope of level,
# and spans this share of the blob's width.
LOW = 0.3
LEVEL = 0.1
SPAN = 0.6
# What is left above the line is digits of at least this share of the blob's height.
DIGIT = 0.4


def digits_over_a_line(crop: np.ndarray) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """For a blob (ink bright on black) that is a line with digits standing on it: each
    digit's box (x, y, w, h) in the crop and its ink, without the line. Otherwise an
    empty list."""
    h, w = crop.shape
    run = int(RUN * h)
    if w <= run:
        return []
    ink = (crop > 0).astype(np.uint8)
    # A cheap test first (the Hough transform costs some 0.4 ms a blob): a run that long
    # along the bottom rows, thickened by two rows up and down for a line off level.
    bottom = cv2.dilate(ink[int((1 - LOW) * h):], np.ones((5, 1), np.uint8))
    if not cv2.morphologyEx(bottom, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)).any():
        return []
    segments = cv2.HoughLinesP(ink, 1, np.pi / 180, threshold=run // 2, minLineLength=run, maxLineGap=3)
    if segments is None:
        return []
    segments = segments.reshape(-1, 4)
    x0, y0, x1, y1 = segments.T
    under = (np.abs(y1 - y0) <= LEVEL * np.abs(x1 - x0)) & (np.minimum(y0, y1) >= (1 - LOW) * h)
    if not under.any():
        return []
    segments = segments[under]
    covered = np.zeros(w, bool)
    for x0, _, x1, _ in segments:
        covered[min(x0, x1):max(x0, x1) + 1] = True
    if covered.mean() < SPAN:
        return []
    # Erased as a band as thick as the line, and its anti-aliased rim.
    band = np.zeros_like(ink)
    for (x0, y0, x1, y1), thickness in zip(segments, thicknesses(ink, segments)):
        cv2.line(band, (int(x0), int(y0)), (int(x1), int(y1)), 1, int(thickness) + 2)
    rest = ink & (1 - band)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    digits = [k for k in range(1, count) if stats[k, cv2.CC_STAT_HEIGHT] >= DIGIT * h]
    if not digits:
        return []
    parts = []
    for k in sorted(digits, key=lambda k: stats[k, cv2.CC_STAT_LEFT]):
        x, y, bw, bh = (int(v) for v in stats[k, :4])
        own = labels[y:y + bh, x:x + bw] == k
        parts.append(((x, y, bw, bh), np.where(own, crop[y:y + bh, x:x + bw], 0).astype(crop.dtype)))
    return parts
