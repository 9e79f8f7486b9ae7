"""Touching digits: propose column splits of a wide blob; the classifier picks the best.

A blob much wider than one digit is cut at its thinnest columns into 2, 3 or 4 parts.
Every reading of it (whole, or k parts) is classified in the frame's one batch, and
the reading whose parts are most confidently digits wins.
"""
from __future__ import annotations

import numpy as np

SPLIT_FROM_ASPECT = 1.0  # width / height above which a blob may hold several digits
MAX_PARTS = 4
PART_MIN_WIDTH = 0.18  # of the blob's height: thinner slices are not digits
PART_MEAN_WIDTH = 0.4  # of the height: k parts need a blob at least k times this wide
SEARCH = 0.3  # a cut may move this share of a part's width to find the thinnest column
# Each extra part must earn its keep: a split is chosen only if its mean log-confidence
# beats the whole blob's by this much per extra part.
PART_PENALTY = 0.05


def propose(crop: np.ndarray) -> list[list[tuple[int, int]]]:
    """Column ranges [(x0, x1), ...] for each way of splitting ``crop`` (ink bright)."""
    h, w = crop.shape
    if w < SPLIT_FROM_ASPECT * h:
        return []
    ink_per_column = (crop > 0).sum(axis=0).astype(float)
    options = []
    for parts in range(2, min(MAX_PARTS, int(w / (PART_MEAN_WIDTH * h))) + 1):
        cuts = [0]
        for j in range(1, parts):
            ideal = j * w / parts
            reach = SEARCH * w / parts
            lo, hi = int(max(cuts[-1] + 1, ideal - reach)), int(min(w - 1, ideal + reach))
            if hi <= lo:
                break
            cuts.append(lo + int(np.argmin(ink_per_column[lo:hi])))
        else:
            cuts.append(w)
            spans = list(zip(cuts[:-1], cuts[1:]))
            if all(x1 - x0 >= PART_MIN_WIDTH * h for x0, x1 in spans):
                options.append(spans)
    return options


# A whole blob this sure of itself wins against any split (whose score is at most
# -PART_PENALTY): its parts need not be normalised nor classified at all.
SURE_WHOLE = float(np.exp(-PART_PENALTY))


def first_round(groups: np.ndarray, options: np.ndarray) -> np.ndarray:
    """Candidates to classify first: every whole blob, and the parts of blobs too wide
    to be read whole."""
    has_whole = np.zeros(groups.max() + 1 if len(groups) else 0, bool)
    has_whole[groups[options == 0]] = True
    return (options == 0) | ~has_whole[groups]


def second_round(groups: np.ndarray, options: np.ndarray, whole_confidences: np.ndarray) -> np.ndarray:
    """Parts still worth classifying: those of blobs whose whole reading is unsure.
    ``whole_confidences`` holds each candidate's confidence, 1 where not yet known."""
    unsure = np.zeros(groups.max() + 1 if len(groups) else 0, bool)
    wholes = options == 0
    unsure[groups[wholes]] = whole_confidences[wholes] < SURE_WHOLE
    return (options > 0) & unsure[groups]


def choose(groups: np.ndarray, options: np.ndarray, confidences: np.ndarray) -> np.ndarray:
    """Boolean mask of the candidates in the winning option of each group. Parts never
    classified (confidence 0) lose to their whole."""
    if len(groups) == 0:
        return np.zeros(0, bool)
    plausibility = np.log(np.maximum(confidences, 1e-6)).astype(float)
    # Score every (group, option) pair at once: mean log-confidence, less the penalty
    # for its extra parts; each group keeps its best option (the lowest on a tie).
    width = int(options.max()) + 1
    pair = groups * width + options
    slots = (int(groups.max()) + 1) * width
    parts = np.bincount(pair, minlength=slots)
    total = np.bincount(pair, weights=plausibility, minlength=slots)
    score = np.full(slots, -np.inf)
    held = parts > 0
    score[held] = total[held] / parts[held] - PART_PENALTY * (parts[held] - 1)
    best = score.reshape(-1, width).argmax(axis=1)
    return options == best[groups]
